"""Helpers shared by the features' tests."""

from io import StringIO

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """Queries run by a GET of ``url`` (which must answer 200), on an empty cache: what the
    first visit costs (a filter's options kept a minute are read again)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def seed_demo(*demos) -> str:
    """The demo accounts and directory, then each of ``demos`` (modules with ``seed``); what they said."""
    from integrapsy.accounts import demo as accounts_demo
    from integrapsy.directory import demo as directory_demo

    out = StringIO()
    for demo in (accounts_demo, directory_demo, *demos):
        demo.seed(stdout=out)
    return out.getvalue()
