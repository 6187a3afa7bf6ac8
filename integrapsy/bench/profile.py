"""Where each page's time goes: SQL, template rendering, form widgets, the rest (``benchmark --profile``).

Each page is requested a few times under ``cProfile``; the shares are the cumulative times of
the functions that open each kind of work, over the whole request:

- SQL: the database cursor's ``execute`` (the queries themselves, and the driver);
- templates: Django's ``Template.render`` (which includes the SQL of a queryset first read
  by a template, and the widgets);
- widgets: ``BoundField.as_widget``, the drawing of form fields.

The rest is Python in the view, the middleware and the framework.
"""

from __future__ import annotations

import cProfile
import inspect
import pstats
from dataclasses import dataclass

from django.db.backends.utils import CursorWrapper
from django.forms.boundfield import BoundField
from django.template.base import Template
from django.test.utils import override_settings

from integrapsy.bench.measure import BENCH_SETTINGS, _get, requests
from integrapsy.bench.pages import PAGES


@dataclass(frozen=True)
class Share:
    page: str
    sql: float
    templates: float
    widgets: float


def _key(function) -> tuple[str, int, str]:
    function = inspect.unwrap(function)
    return (inspect.getsourcefile(function), inspect.getsourcelines(function)[1], function.__name__)


KEYS = {
    "sql": [_key(CursorWrapper._execute), _key(CursorWrapper._executemany)],
    "templates": [_key(Template.render)],
    "widgets": [_key(BoundField.as_widget)],
}


def _cumulative(stats: pstats.Stats, keys) -> float:
    return sum(stats.stats[k][3] for k in keys if k in stats.stats)


def profile(*, repeat: int = 5, pages=None) -> list[Share]:
    pages = [p for p in (pages or PAGES) if not p.baseline]
    shares = []
    with override_settings(**BENCH_SETTINGS):
        for page, client, url, data in requests(pages, {}):
            _get(client, url, data, quiet=page.quiet)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                _get(client, url, data, quiet=page.quiet)
            profiler.disable()
            stats = pstats.Stats(profiler)
            total = stats.total_tt or 1.0
            shares.append(
                Share(
                    page=page.name,
                    sql=round(_cumulative(stats, KEYS["sql"]) / total, 3),
                    templates=round(_cumulative(stats, KEYS["templates"]) / total, 3),
                    widgets=round(_cumulative(stats, KEYS["widgets"]) / total, 3),
                )
            )
    return shares


def table(shares: list[Share]) -> str:
    width = max(len(s.page) for s in shares)
    lines = [f"{'page (share of its time)':<{width}}   sql  templates  widgets"]
    for s in shares:
        lines.append(f"{s.page:<{width}}  {s.sql:>4.0%}  {s.templates:>9.0%}  {s.widgets:>7.0%}")
    return "\n".join(lines)
