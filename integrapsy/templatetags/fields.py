"""``{{ form.field|as_field }}``: a field drawn as crispy's ``as_crispy_field`` draws it, in Python.

``{% for field in form|fields:"a b" %}``: the fields of those names, for a row of like columns.

The list pages' filters (the case list's seven, the planner's ten) were drawn through crispy's
bootstrap5 field template and its includes, a Django template per field that cost as much as
the widget itself. The plain fields those filters hold (a text, date or time input, a select)
are drawn here with the same markup; anything else (a checkbox, a file, radio buttons, a form
with a crispy helper) is left to crispy. A test compares both drawings field by field.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The widgets crispy draws with its plain branch: a label, the widget, its errors, its help text.
_COMPLEX = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)


def _add_classes(widget: forms.Widget, classes: str) -> None:
    """The classes crispy's ``crispy_field`` tag gives the widget: its kind, then the pack's."""
    kind = widget.__class__.__name__.lower()
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(kind) == -1:
            css_class += f" {kind}"
    else:
        css_class = kind
    for name in classes.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


@register.filter
def as_field(field: BoundField) -> SafeString:
    widget = field.field.widget
    if (
        not isinstance(field, BoundField)
        or field.is_hidden
        or isinstance(widget, _COMPLEX)
        or getattr(widget, "widget", None) is not None
        or getattr(field.form, "helper", None) is not None
    ):
        return as_crispy_field(field)
    errors = field.errors
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, f"{base} is-invalid" if errors else base)
    required = field.field.required
    # Written as crispy's template writes them, each value escaped as ``format_html`` would.
    esc = conditional_escape
    auto_id = field.auto_id
    parts = []
    if field.label:
        for_id = field.id_for_label
        target = f'for="{esc(for_id)}" ' if for_id else ""
        mark = (" requiredField", _ASTERISK) if required else ("", "")
        parts.append(f'<label {target}class="form-label{mark[0]}">{esc(field.label)}{mark[1]}</label>')
    parts.append(esc(str(field)))
    if errors:
        field_id = getattr(errors, "field_id", None)
        shown = "".join(
            f'<p id="error_{n}_{esc(auto_id)}"><strong>{esc(error)}</strong></p>'
            for n, error in enumerate(errors, start=1)
        )
        parts.append(
            f'<div id="{esc("None" if field_id is None else field_id)}_error" class="invalid-feedback">{shown}</div>'
        )
    if field.help_text:
        helped = f'id="{esc(auto_id)}_helptext" ' if auto_id else ""
        parts.append(f'<div {helped}class="form-text">{field.help_text}</div>')
    css_classes = field.css_classes()
    more = f" {esc(css_classes)}" if css_classes else ""
    return mark_safe(f'<div id="div_{esc(auto_id)}" class="mb-3{more}">{"".join(parts)}</div>')


_ASTERISK = '<span class="asteriskField">*</span>'


@register.filter
def fields(form: forms.BaseForm, names: str) -> list[BoundField]:
    """``{% for field in form|fields:"sex birth_date birth_year" %}``: the form's fields of these names, in this order.

    For the rows of a form whose fields take the same columns: one loop draws them. A name the form
    does not have (a field it drops for some users) is passed over, as ``{{ form.name }}`` draws nothing.
    """
    return [form[name] for name in names.split() if name in form.fields]
