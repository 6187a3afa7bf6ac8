"""Addresses reversed once: ``row_url(name)(value)`` for a list's rows, ``cached_reverse`` and
the ``{% url %}`` tag of every template (``integrapsy.templatetags.links``).

``reverse`` walks the URLconf's patterns for each address (some 25 µs): a list of fifty rows
linked twice spent a tenth of its page there, and every page draws the menu's and the footer's
links. An address without arguments is reversed once per URLconf, script prefix and
application namespace; an address with one plain value (letters, digits, ``-`` and ``_``: the
codes and references the pages link by) is reversed once with the first such value it is
given, and each other value put in that value's place. Any other address (several arguments,
keyword arguments, a value that is not plain) is reversed as ever, as is each value until one
comes whose address holds it exactly once, and a value that is not a text, a number or a
UUID (None, a boolean). A value is put only in an address learnt from a value of the same
form (digits, a UUID, any other plain text: what Django's ``int``, ``uuid``, ``slug`` and
``str`` converters take), so a view's pattern refuses what it refused.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
# The forms of value Django's converters take (``int``, ``uuid``; ``str`` and ``slug`` take any
# plain value): a value is put in an address learnt from a value of the same form only.
_FORMS = (
    re.compile(r"[0-9]+"),
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    _PLAIN,
)


def _form(value: str) -> int:
    return next(i for i, form in enumerate(_FORMS) if form.fullmatch(value))


# (name, URLconf, script prefix, application namespace) -> the address (no argument), or the
# address before and after its one value.
_BARE: dict[tuple, str] = {}
_AROUND: dict[tuple, tuple[str, str]] = {}


def cached_reverse(name: str, args=(), kwargs=None, current_app: str | None = None) -> str:
    """``reverse(name, args=args, kwargs=kwargs, current_app=current_app)``, reversed once where it can be."""
    urlconf = get_urlconf()
    if kwargs:
        return reverse(name, args=args, kwargs=kwargs, current_app=current_app, urlconf=urlconf)
    key = (name, urlconf, get_script_prefix(), current_app)
    if not args:
        url = _BARE.get(key)
        if url is None:
            _bounded(_BARE)
            url = _BARE[key] = reverse(name, current_app=current_app, urlconf=urlconf)
        return url
    if len(args) == 1 and isinstance(args[0], str | int | uuid.UUID) and not isinstance(args[0], bool):
        value = str(args[0])
        if _PLAIN.fullmatch(value):
            key = (*key, _form(value))
            parts = _AROUND.get(key)
            if parts is None:
                url = reverse(name, args=[value], current_app=current_app, urlconf=urlconf)
                if url.count(value) != 1:
                    return url
                _bounded(_AROUND)
                parts = _AROUND[key] = tuple(url.split(value))
            return parts[0] + value + parts[1]
    return reverse(name, args=args, current_app=current_app, urlconf=urlconf)


def _bounded(cache: dict) -> None:
    """Emptied past a few thousand addresses (a view name per page, a few prefixes): never grows unbounded."""
    if len(cache) >= 5000:
        cache.clear()


def row_url(name: str) -> Callable[[object], str]:
    """What gives the address of view ``name`` for one value (its one argument), for many rows."""
    return lambda value: cached_reverse(name, [value])
