"""Render times and query counts of the registered pages, with Django's test client."""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass

from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from integrapsy.bench.pages import BARE, EMPTY, PAGES, World

# What the measured requests need: the benchmark's URLconf, plain http, no second factor
# (the middleware is off when OTP_REQUIRED is off), static files without a manifest.
BENCH_SETTINGS = {
    "ROOT_URLCONF": "integrapsy.bench.urls",
    "ALLOWED_HOSTS": ["testserver"],
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "OTP_REQUIRED": False,
    # A form that queues a message writes its task row, as in production; nothing is sent.
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DEBUG": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


@dataclass
class Result:
    page: str
    url: str
    role: str
    median_ms: float
    p95_ms: float
    queries: int
    ratio: float = 0.0
    baseline: str = ""


class QueryCounter:
    """Counts the SQL statements run (an execute wrapper: no debug cursor, no log to overflow)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def requests(pages, clients: dict[str, Client]):
    """Each page with a client signed in as its role (one per role, kept in ``clients``), its
    address and what it posts."""
    world = World.load()
    for page in pages:
        client = clients.get(page.role)
        if client is None:
            client = clients[page.role] = Client()
            client.force_login(world.users[page.role])
        yield page, client, page.url(world), page.post(world) if page.post else None


def measure(*, repeat: int = 20, warmup: int = 2, pages=None) -> list[Result]:
    """Measure every page: its queries once (counted), then ``repeat`` timed requests.

    The timed requests go round the pages in turn (one request per page per round), so that
    a change in the machine's load during the run weighs on every page alike, ratios included.
    """
    pages = list(pages or PAGES)
    with override_settings(**BENCH_SETTINGS):
        clients: dict[str, Client] = {}
        urls, posts, counts = [], [], []
        for page, client, url, data in requests(pages, clients):
            for _ in range(warmup):
                _get(client, url, data, quiet=page.quiet)
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                _get(client, url, data, quiet=page.quiet)
            urls.append(url)
            posts.append(data)
            counts.append(queries.count)
        times: list[list[float]] = [[] for _ in pages]
        for _ in range(repeat):
            for i, page in enumerate(pages):
                started = time.perf_counter()
                _get(clients[page.role], urls[i], posts[i], quiet=page.quiet)
                times[i].append((time.perf_counter() - started) * 1000)
    results = [
        Result(
            page=page.name,
            url=urls[i],
            role=page.role,
            median_ms=round(statistics.median(times[i]), 2),
            p95_ms=round(percentile(times[i], 0.95), 2),
            queries=counts[i],
            baseline=page.baseline,
        )
        for i, page in enumerate(pages)
    ]
    empty = next((r for r in results if r.baseline == EMPTY), None)
    for r in results:
        r.ratio = round(r.median_ms / empty.median_ms, 2) if empty and empty.median_ms else 0.0
    return results


@contextmanager
def _no_recipients():
    """The outbox finds nobody to write to: a service does all its work but queue its messages."""
    from integrapsy.notifications import services

    recipients = services._recipients
    services._recipients = lambda to: []
    try:
        yield
    finally:
        services._recipients = recipients


def _get(client: Client, url: str, data: dict | None = None, *, quiet: bool = False):
    """A page read (200), or a form sent that succeeded (its redirect)."""
    with _no_recipients() if quiet else nullcontext():
        response = client.get(url) if data is None else client.post(url, data)
    if response.status_code != (200 if data is None else 302):
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def summary(results: list[Result]) -> dict:
    bare = next(r for r in results if r.baseline == BARE)
    empty = next(r for r in results if r.baseline == EMPTY)
    pages = [r for r in results if not r.baseline]
    return {
        "worst_ratio": max(r.ratio for r in pages),
        "max_queries": max(r.queries for r in results),
        "layout_ratio": round(empty.median_ms / bare.median_ms, 2),
    }


def table(results: list[Result]) -> str:
    width = max(len(r.page) for r in results)
    lines = [f"{'page':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'queries':>7}  {'ratio':>5}"]
    for r in results:
        lines.append(f"{r.page:<{width}}  {r.median_ms:>9.1f}  {r.p95_ms:>8.1f}  {r.queries:>7}  {r.ratio:>5.2f}")
    return "\n".join(lines)


def as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]
