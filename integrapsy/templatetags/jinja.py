"""``{% jinja "app/_cards.jinja" %}``: a Jinja2 template drawn with this template's context (``integrapsy.jinja``).

The request comes with it: ``request``, ``csrf_input`` and ``csrf_token``, as in any Jinja2
template Django draws for a request.
"""

import functools

from django import template
from django.middleware.csrf import get_token
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> SafeString:
    """The Jinja2 template ``template_name`` drawn with the context, and ``values`` beside it."""
    template = engines["jinja2"].get_template(template_name)
    request = context.get("request")
    values = {**context.flatten(), **values}
    if request is not None:
        # Made once a drawing, as the Django template's ``{% csrf_token %}`` makes its token: the
        # Jinja2 backend's own ``csrf_input`` masks a new token each time it is drawn.
        values["csrf_input"] = SimpleLazyObject(functools.partial(csrf_input, request))
        values["csrf_token"] = SimpleLazyObject(functools.partial(get_token, request))
    return mark_safe(template.template.render(values))  # Jinja2 escapes every value it draws (autoescape)
