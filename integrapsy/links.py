"""Addresses reversed once: ``row_url(name)(value)`` for a list's rows, ``cached_reverse`` and
the ``{% url %}`` tag of every template (``integrapsy.templatetags.links``).

``reverse`` walks the URLconf's patterns for each address (some 25 µs): a list of fifty rows
linked twice spent a tenth of its page there, and every page draws the menu's and the footer's
links. An address without arguments is reversed once per URLconf, script prefix and
application namespace; an address with one plain value (letters, digits, ``-`` and ``_``: the
codes and references the pages link by) is reversed once with the first such value it is
given, and each other value put in that value's place. Any other address (several arguments,
keyword arguments, a value that is not plain) is reversed as ever, as is each value until one
comes whose address holds it exactly once. The values are those of the rows the view's own
pattern was made for (the same converter): a value its pattern would refuse is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")

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
            url = _BARE[key] = reverse(name, current_app=current_app, urlconf=urlconf)
        return url
    if len(args) == 1:
        value = str(args[0])
        if _PLAIN.fullmatch(value):
            parts = _AROUND.get(key)
            if parts is None:
                url = reverse(name, args=[value], current_app=current_app, urlconf=urlconf)
                if url.count(value) != 1:
                    return url
                parts = _AROUND[key] = tuple(url.split(value))
            return parts[0] + value + parts[1]
    return reverse(name, args=args, current_app=current_app, urlconf=urlconf)


def row_url(name: str) -> Callable[[object], str]:
    """What gives the address of view ``name`` for one value (its one argument), for many rows."""
    return lambda value: cached_reverse(name, [value])
