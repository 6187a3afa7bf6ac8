"""Smoke test of a production-like server: the login page, then one page per role, signed in.

    python -m integrapsy.bench.smoke http://127.0.0.1:8123

The server runs with ``DJANGO_DEBUG=0`` and the manifest storage over the output of
``collectstatic``, on a database filled by ``seed_demo`` (``.ci/smoke`` sets all of that up).
Each page must answer 200, every static file it links to must answer 200 (a name missing from
the manifest makes the page answer 500; a hashed file is cached for a long time), and signed-in
pages must not be stored by the browser. Only the standard library speaks HTTP here.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from integrapsy.bench.browser import Browser

# A demo login per role (integrapsy/accounts/demo.py) and a page of that role.
ROLE_PAGES = [
    ("admin", "/admin/"),
    ("coordinator", "/reports/"),  # the dashboard loads Chart.js
    ("psychologist", "/cases/"),
    ("socialworker", "/permanences/"),
    ("ambassador", "/my-assignments/"),
    ("interpreter", "/my-bookings/"),
    ("referrer", "/referrals/mine/"),
]
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
LONG_CACHE = "max-age=315360000"  # WhiteNoise, for file names that carry their hash


def check(condition: bool, message: str, problems: list[str]) -> None:
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        problems.append(message)


def check_static_links(browser: Browser, body: str, seen: set[str], problems: list[str]) -> None:
    for path in STATIC_LINK.findall(body):
        if path in seen:
            continue
        seen.add(path)
        response = browser.request(path)
        cache = response.headers.get("Cache-Control", "")
        check(
            response.status == 200 and LONG_CACHE in cache and "no-store" not in cache,
            f"{path}: {response.status}, Cache-Control {cache!r}",
            problems,
        )


def run(base: str, password: str) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    anonymous = Browser(base)
    page = anonymous.request("/accounts/login/")
    check(page.status == 200, f"login page: {page.status}", problems)
    check_static_links(anonymous, page.body, seen, problems)
    for username, path in ROLE_PAGES:
        browser = Browser(base)
        status = browser.login(username, password)
        check(status == 302, f"{username}: sign in answered {status}", problems)
        for url in ("/", path):
            response = browser.request(url)
            cache = response.headers.get("Cache-Control", "")
            check(
                response.status == 200 and "no-store" in cache,
                f"{username} {url}: {response.status}, Cache-Control {cache!r}",
                problems,
            )
            check_static_links(browser, response.body, seen, problems)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the server's address, e.g. http://127.0.0.1:8123")
    args = parser.parse_args(argv)
    problems = run(args.base.rstrip("/"), os.environ.get("DEMO_PASSWORD", "integrapsy"))
    print(f"SMOKE {'failed: ' + str(len(problems)) + ' problem(s)' if problems else 'passed'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
