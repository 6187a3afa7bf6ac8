"""Helpers shared by the apps' views and forms."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.forms.renderers import get_default_renderer
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from markupsafe import escape

from integrapsy.directory.models import Language
from integrapsy.offline.services import submission_once


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` beside the fields it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(None if field == NON_FIELD_ERRORS else target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- The one form page -------------------------------------------------------------------

# What a page says after a write: a success message, or a ``Message`` of another level
# (a warning, an information), or several of them.
Said = str | Message


def posted(request: HttpRequest) -> QueryDict | None:
    """The data a POST submitted, even none at all; None on a GET. A form's first argument."""
    return request.POST if request.method == "POST" else None


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[..., Any],
    *,
    success: Said | Callable[[Any], Said | Sequence[Said]],
    then: str | Callable[[Any], str],
    template: str,
    context: dict | Callable[[], dict] | None = None,
    form_name: str = "form",
) -> HttpResponse:
    """Valid form -> ``action(**cleaned_data)`` -> message -> redirect; else the form again, bound.

    ``action`` is the service with its fixed arguments (a ``functools.partial``, or a small
    function that adapts the cleaned data). A ``ValidationError`` it raises goes beside the
    fields. ``success`` and ``then`` may depend on what the action returned. The page answers
    400 whenever the form it shows has errors, so nothing typed is lost and clients can tell.
    A POST that carries an idempotency key (``Idempotency-Key`` header or ``client_id`` field)
    and was already processed answers the first redirect without running the action again.
    """

    def respond() -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                result = action(**form.cleaned_data)
            except PermissionDenied as exc:
                # A service that refuses the row's team: the row is outside the user's scope.
                raise Http404 from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                said = success(result) if callable(success) else success
                for item in said if isinstance(said, list | tuple) else [said]:
                    if isinstance(item, Message):
                        messages.add_message(request, item.level, item.message)
                    else:
                        messages.success(request, item)
                return redirect(then(result) if callable(then) else then)
        page = dict(context() if callable(context) else context or {})
        page[form_name] = form
        return render(request, template, page, status=400 if form.errors else 200)

    return submission_once(request, respond)


def act(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    then: str,
    one_message_per_error: bool = False,
) -> HttpResponse:
    """A button with nothing to type: ``action()`` -> success message -> redirect to ``then``.

    A ``ValidationError`` the action raises is said as an error message instead (its messages
    joined in one, or one message each), and the redirect is the same: the page the button is on
    says why nothing changed. ``success`` may depend on what the action returned.
    """
    try:
        result = action()
    except ValidationError as exc:
        for text in exc.messages if one_message_per_error else [" ".join(exc.messages)]:
            messages.error(request, text)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(then)


# --- Hostile input ------------------------------------------------------------------------
# Values that would reach the database and break the request there (a NUL character, which
# PostgreSQL refuses in text; an id beyond 64 bits, which no integer column holds) are refused
# beside their field instead. Text fields refuse NUL already (Django's CharField); the choice
# fields below do the same for the values they look up. Use them instead of Django's.

_BIGINT = 2**63 - 1
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*\Z")


def refuse_hostile_value(field: forms.Field, value) -> None:
    if isinstance(value, str):
        ProhibitNullCharactersValidator()(value)
        key = getattr(field, "to_field_name", None) or "pk"
        if key == "pk" and _INTEGER.match(value) and abs(int(value)) > _BIGINT:
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


# --- Widgets drawn in Python ---------------------------------------------------------------

# The templates of Django's plain inputs: each only includes ``input.html``.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "number", "email", "url", "search", "tel", "password", "date", "datetime", "time")
)


class FormRenderer(Jinja2Renderer):
    """Django's Jinja2 form renderer, but the plain inputs (text, number, date, time...),
    written here in Python with the markup their templates give: a template each, and a page's
    filters hold several. Any other template is Jinja2's."""

    def render(self, template_name, context, request=None):
        if template_name in _INPUT_TEMPLATES:
            widget = context["widget"]
            value = widget["value"]
            return (
                f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
                + ("" if value is None else f' value="{escape(value)}"')
                + f"{_jinja_attrs(widget['attrs'])}>"
            )
        return super().render(template_name, context, request)


# --- Selects -----------------------------------------------------------------------------

_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _jinja_attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` as Jinja2 writes it (its escaping, not Django's)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's select, its options written in Python rather than by two template includes each.

    The markup is the one Django's Jinja2 templates write (the form renderer is Jinja2): a test
    compares both. The options are written straight from the choices (Django's ``optgroups``
    makes a dictionary of a dozen keys per option first). Groups of options, a multiple select,
    another template, a widget that changes its context or options, or another renderer are
    left to Django.
    """

    def _draws_itself(self, renderer) -> bool:
        cls = type(self)
        return (
            isinstance(renderer, Jinja2Renderer)
            and not self.allow_multiple_selected
            and self.template_name == "django/forms/widgets/select.html"
            and self.option_template_name == _OPTION_TEMPLATE
            and not self.option_inherits_attrs
            and cls.get_context is Select.get_context
            and cls.create_option is Select.create_option
        )

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        if not self._draws_itself(renderer):
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        wanted = widget["value"]
        parts = [f'<select name="{escape(name)}"{_jinja_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                return super().render(name, value, attrs, renderer)
            if option_value is None:
                option_value = ""
            selected = not has_selected and str(option_value) in wanted
            has_selected |= selected
            parts.append(
                f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{escape(option_label)}</option>"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class ModelChoiceIterator(forms.models.ModelChoiceIterator):
    """A field's options read once, in one query, however many times the widget goes over them.

    Django's iterator reads the options with ``QuerySet.iterator()``: on PostgreSQL a server-side
    cursor (three round trips: declare, fetch, close) for every pass, and no rows kept. A form's
    options are a short list, all of it drawn: they are read into the queryset's cache.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ModelChoiceIterator
    widget = Select

    def to_python(self, value):
        refuse_hostile_value(self, value)
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ModelChoiceIterator

    def _check_values(self, value):
        for v in value if isinstance(value, list | tuple) else [value]:
            refuse_hostile_value(self, v)
        return super()._check_values(value)


@dataclass(frozen=True)
class Options:
    """One list of a form's options: its rows, the fields their labels need, their order."""

    rows: QuerySet
    fields: tuple[str, ...]
    order_by: tuple[str, ...]


def read_options(**lists: Options) -> dict[str, list]:
    """Several short lists of options (a filter's teams, places, languages...), read in one query.

    Each list's rows are read with the fields their labels need (``str(row)`` as on Django's
    own options) and numbered in their order by the database (so names sort by its collation, as
    an ``ORDER BY`` would), all in one ``UNION ALL``; each comes back as model instances.
    """
    if not lists:
        return {}
    width = max(len(options.fields) for options in lists.values())
    parts = []
    for name, options in lists.items():
        columns = {f"_c{i}": F(field) for i, field in enumerate(options.fields)}
        columns.update({f"_c{i}": Value("") for i in range(len(options.fields), width)})
        order = [F(field[1:]).desc() if field.startswith("-") else F(field).asc() for field in options.order_by]
        parts.append(
            options.rows.order_by()
            .annotate(_list=Value(name), _n=Window(RowNumber(), order_by=order), **columns)
            .values_list("_list", "pk", "_n", *columns)
        )
    read: dict[str, list] = {name: [] for name in lists}
    for name, pk, _position, *values in sorted(parts[0].union(*parts[1:], all=True), key=lambda r: (r[0], r[2])):
        model = lists[name].rows.model
        read[name].append(model(pk=pk, **dict(zip(lists[name].fields, values, strict=False))))
    return read


def language_options() -> Options:
    """The active languages as a form lists them (``active_languages``), for ``read_options``."""
    return Options(active_languages(), ("name_fr", "name_nl", "name_en"), ("name_fr", "variety"))


def place_options(places: QuerySet, *extra: str) -> Options:
    """Places by name, labelled as a place names itself (its name and city); ``extra``: other
    fields read, such as the ``code`` a field's values are."""
    return Options(places, (*extra, "name", "city"), ("name",))


def people_options(users: QuerySet, *extra: str) -> Options:
    """Users by last and first name, labelled as a user names themself, each once however many
    of their memberships ``users`` matched (its ``DISTINCT`` would not hold beside the list's
    row numbers)."""
    once = users.model.objects.filter(pk__in=users.order_by().values("pk"))
    return Options(once, (*extra, "first_name", "last_name", "username"), ("last_name", "first_name"))


# How long a filter's lists of options are kept (``kept_options``): a psychologist who joins a
# team, a new place or language appear in the lists within this time (what is listed is never kept).
OPTIONS_SECONDS = 60


def kept_options(name: str, key: tuple[int, ...] | None, read: Callable[[], dict[str, Options]]) -> dict[str, list]:
    """``read_options`` of the lists ``read()`` gives, kept ``OPTIONS_SECONDS`` for every user whose
    scope key (``access.scope_key``) is ``key``: they are the same lists. ``name`` tells the forms apart."""
    cache_key = f"options:{name}:" + ("all" if key is None else ",".join(map(str, key)))
    options = cache.get(cache_key)
    if options is None:
        options = read_options(**read())
        cache.set(cache_key, options, OPTIONS_SECONDS)
    return options


def id_choices(rows: Sequence, *, empty_label=None, key: str = "pk", label=str) -> list[tuple[str, str]]:
    """The options of a choice field of rows: their ids (or ``key``), labelled as Django labels a row."""
    choices = [("", empty_label)] if empty_label is not None else []
    return choices + [(str(getattr(row, key)), label(row)) for row in rows]


def draw_options(field: forms.ModelChoiceField, rows: Sequence) -> None:
    """The field's select draws ``rows`` (kept lists, ``kept_options``) as the field would draw its
    queryset: the same values and labels. The queryset still checks the value sent (one query
    then), so that a stale list never lets a row in that the user may not choose."""
    field.widget.choices = id_choices(
        rows, empty_label=field.empty_label, key=field.to_field_name or "pk", label=field.label_from_instance
    )


def active_languages():
    """The languages a form offers: those in use, in the order of their French names."""
    return Language.objects.filter(is_active=True).order_by("name_fr", "variety")


# --- Date and time inputs -------------------------------------------------------------------
# The browser's own pickers; the value is written in the ISO form they read, whatever the locale.


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)
