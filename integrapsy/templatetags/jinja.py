"""``{% jinja "app/_cards.jinja" %}``: a Jinja2 template drawn with this template's context (``integrapsy.jinja``).

The request comes with it: ``request``, ``csrf_input`` and ``csrf_token``, as in any Jinja2
template Django draws for a request.
"""

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> SafeString:
    """The Jinja2 template ``template_name`` drawn with the context, and ``values`` beside it."""
    template = engines["jinja2"].get_template(template_name)
    drawn = template.render({**context.flatten(), **values}, context.get("request"))
    return mark_safe(drawn)  # Jinja2 escapes every value it draws (autoescape)
