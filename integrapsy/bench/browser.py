"""A person at a browser, for the tools that drive a real server (the smoke test, the load).

Cookies and the CSRF token are kept; redirects are not followed (the tools check them). Only
the standard library speaks HTTP here, and nothing imports Django: the tools run outside it.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class Browser:
    """One person: cookies, the CSRF token, no redirect followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None, timeout: float = 30) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 — loopback
        if data is not None:
            req.add_header("X-CSRFToken", self.csrf)
            req.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=timeout) as r:
                text = r.read().decode("utf-8", "replace")
                return Response(r.status, dict(r.headers.items()), text, time.perf_counter() - started)
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            return Response(exc.code, dict(exc.headers.items()), text, time.perf_counter() - started)

    @property
    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self, username: str, password: str) -> int:
        """Sign in through the login page; the status it answered (302 when signed in)."""
        page = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""}
        return self.request("/accounts/login/", data).status
