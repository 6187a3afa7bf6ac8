"""The Jinja2 templates: the parts of a page drawn many times over (rows, cards, timeline entries).

Django's template language resolves each variable through its generic lookups and renders
each node through Python calls of its own; for a card drawn ten times or a row drawn fifty,
that was most of a page's drawing time. Those parts are ``templates/<app>/_*.jinja``, drawn
from a Django template by ``{% jinja "app/_rows.jinja" %}`` (``integrapsy.templatetags.jinja``)
with that template's context. Pages, the layout and forms stay Django templates.

What a Jinja2 template may use, beside Jinja2's own: ``{{ _("text") }}`` (Django's
catalogues), ``{{ _("%(n)s text")|format(n=n) }}`` for a text with values (the whole text is
escaped), ``url(name, *args)``, ``static(path)``, and the filters ``date`` and ``time``
(Django's). Values are drawn as a Django template draws them: numbers and dates in the
reader's language, times in their time zone. ``makemessages`` finds a text only written so,
``_("...")`` with nothing else in the brackets (see the Makefile's ``messages``); a plural
is chosen in Python. A missing value draws nothing, as in Django's templates. Methods are
not called for you: ``obj.get_x_display()``, with the brackets. An app adds a function of its own with
``register_global`` (from its registry), as it adds its menu entries.
"""

from __future__ import annotations

import jinja2
from django.template.defaultfilters import date, time
from django.templatetags.static import static
from django.utils import translation
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from markupsafe import Markup

from integrapsy.links import cached_reverse


class _JinjaOnly(jinja2.FileSystemLoader):
    """Serves ``*.jinja`` only: the Django templates beside them are never read as Jinja2."""

    def get_source(self, environment, template):
        if not template.endswith(".jinja"):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


# The functions the apps give their Jinja2 templates (``register_global``): the environment's own globals.
_GLOBALS: dict = {}


def register_global(name: str, function) -> None:
    """A function the Jinja2 templates may call, e.g. a badge an app draws on every row."""
    _GLOBALS[name] = function


def url(name: str, *args, **kwargs) -> str:
    """``{{ url('name', value) }}``: as Django's ``{% url %}`` in these templates, reversed once where it can be."""
    return cached_reverse(name, args, kwargs or None)


def environment(**options) -> jinja2.Environment:
    options.pop("autoescape", None)  # always on: every value drawn is escaped
    options["loader"] = _JinjaOnly(options["loader"].searchpath)
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, pgettext=translation.pgettext)
    _GLOBALS.update(env.globals, url=url, static=static)
    env.globals = _GLOBALS  # the same dictionary: a function registered later is seen too
    env.filters.update(date=_local(date), time=_local(time))
    # Every value drawn as a Django template draws it: in the reader's time zone and language
    # ("2,5" in French, not "2.5").
    env.finalize = _as_django_draws
    return env


_TEXTS = frozenset({str, Markup, SafeString})


def _as_django_draws(value):
    # Text (most of what a template draws) is drawn as it is: neither a number nor a time.
    if type(value) in _TEXTS:
        return value
    return localize(template_localtime(value))


def _local(django_filter):
    """A Django date filter given, as in a Django template, a time in the reader's time zone."""
    return lambda value, arg=None: django_filter(template_localtime(value), arg)
