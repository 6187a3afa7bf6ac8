"""``{% url %}`` as Django writes it, each address reversed once where it can be (``integrapsy.links``).

A builtin of the project's templates (``TEMPLATES``' ``builtins``): it stands in for Django's
own tag, with the same syntax and the same addresses.
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from integrapsy.links import cached_reverse

register = template.Library()


class _URLNode(defaulttags.URLNode):
    def render(self, context):
        # Django's ``URLNode.render``, reversing through ``cached_reverse``.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = _URLNode
    return node
