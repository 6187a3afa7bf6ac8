"""Query-string and ``next`` parameters, parsed strictly: anything unexpected is ignored, never a 500.

``str.isdigit()`` accepts Unicode digits ("²") that ``int()`` refuses, and an id beyond 64 bits
overflows the database: only ASCII digits of a size a column holds pass here.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_ID = re.compile(r"[0-9]{1,18}\Z", re.ASCII)
_TOKEN = re.compile(r"[a-z][a-z0-9_.-]{0,63}\Z", re.ASCII)


def query_id(value: str | None) -> int | None:
    """A positive database id, or ``None`` for anything else."""
    if value is None or not _ID.match(value):
        return None
    number = int(value)
    return number or None


def query_token(value: str | None, allowed) -> str:
    """``value`` when it is a plain lowercase word among ``allowed``; ``""`` otherwise."""
    if not value or not _TOKEN.match(value) or value not in allowed:
        return ""
    return value


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address when it is a path of this site; ``default`` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


def query_without(request: HttpRequest, name: str) -> str:
    """The page's query string without ``name``: what links to another page or format of it keep."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
