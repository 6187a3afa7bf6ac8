"""The address of each row of a list: ``row_url(name)(value)`` rather than ``reverse(name, args=[value])``.

``reverse`` walks the URLconf's patterns for each address (some 25 µs): a list of fifty rows
linked twice spent a tenth of its page there. ``row_url`` reverses the view's address once
per URLconf, script prefix and name, with the first value it is given, and puts each other
value in that value's place. A value that is not plain (letters, digits, ``-`` and ``_``: the
codes and references the rows link by) is reversed as ever, as is each value until one comes
whose address holds it exactly once. The values are those of the rows the view's own pattern was made for
(the same converter): a value its pattern would refuse is not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")


def row_url(name: str) -> Callable[[object], str]:
    """What gives the address of view ``name`` for one value (its one argument), for many rows."""
    return _RowUrl(name, get_urlconf(), get_script_prefix())


class _RowUrl:
    def __init__(self, name: str, urlconf, prefix: str):
        self.name, self.urlconf, self.prefix = name, urlconf, prefix

    def __call__(self, value) -> str:
        value = str(value)
        parts = _parts(self.name, self.urlconf, self.prefix, value) if _PLAIN.fullmatch(value) else None
        if parts is None:
            return reverse(self.name, args=[value], urlconf=self.urlconf)
        return parts[0] + value + parts[1]


_CACHE: dict[tuple, tuple[str, str]] = {}


def _parts(name: str, urlconf, prefix: str, value: str) -> tuple[str, str] | None:
    """The address of ``name`` around its value, found by reversing it once (with a value the
    address holds once: until then, each value is reversed)."""
    key = (name, urlconf, prefix)
    parts = _CACHE.get(key)
    if parts is None:
        url = reverse(name, args=[value], urlconf=urlconf)
        if url.count(value) != 1:
            return None
        parts = _CACHE[key] = tuple(url.split(value))
    return parts
