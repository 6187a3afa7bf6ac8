"""``manage.py benchmark``: generate fictional data at scale in a separate database, then measure pages.

The code lives in ``integrapsy.bench`` (which, unlike the rest of the core, imports every app).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from integrapsy.bench import data, database, measure, readme
from integrapsy.bench import profile as profiling
from integrapsy.bench.pages import World
from integrapsy.bench.wire import WirePage, measure_wire
from integrapsy.bench.wire import table as measure_wire_table


class Command(BaseCommand):
    help = "Generate fictional data at scale in the benchmark database, then measure the main pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="N x 10,000 persons, 100,000 timeline events... (0.01 is fine)"
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="The benchmark database (default: integrapsy_bench on the project's PostgreSQL server, "
            "or bench.sqlite3 with SQLite). Never the project's own database.",
        )
        parser.add_argument(
            "--reuse", action="store_true", help="Keep the database if it already holds this scale's data."
        )
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
        parser.add_argument("--json", dest="json_path", default="", help="Also write the results as JSON here.")
        parser.add_argument(
            "--check-constant",
            action="store_true",
            help="Also measure a database a tenth of the size; fail if any page's query count differs.",
        )
        parser.add_argument(
            "--generate-only", action="store_true", help="Generate (or reuse) the data, measure nothing."
        )
        parser.add_argument(
            "--wire",
            action="store_true",
            help="Also measure two pages through gunicorn on loopback: time to first byte and to load.",
        )
        parser.add_argument("--wire-users", type=int, default=4, help="Concurrent users for --wire.")
        parser.add_argument(
            "--profile", action="store_true", help="Also say where each page's time goes (SQL, templates, widgets)."
        )
        parser.add_argument(
            "--write-readme", action="store_true", help="Write the tables into README.md between its markers."
        )

    def handle(self, *args, **options):
        try:
            self._handle(**options)
        finally:
            database.cleanup()

    def _handle(
        self,
        *,
        scale,
        database_url,
        reuse,
        repeat,
        json_path,
        check_constant,
        generate_only,
        wire,
        wire_users,
        profile,
        write_readme,
        **options,
    ):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        try:
            bench = database.bench_settings(database_url or None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        constant_failures: list[str] = []
        small_results = None
        if check_constant:
            small_scale = max(scale / 10, 0.001)
            self._prepare(database.small_settings(bench), small_scale, reuse)
            if not generate_only:
                small_results = measure.measure(repeat=1, warmup=1)
        self._prepare(bench, scale, reuse)
        if generate_only:
            return
        results = measure.measure(repeat=repeat)
        if small_results is not None:
            small_counts = {r.page: r.queries for r in small_results}
            for r in results:
                if small_counts.get(r.page) != r.queries:
                    constant_failures.append(f"{r.page}: {small_counts.get(r.page)} queries small, {r.queries} large")

        vendor = bench["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"IntegraPsy benchmark, --scale {scale:g} on {vendor}")
        self.stdout.write(measure.table(results))
        totals = measure.summary(results)
        wire_results = None
        if wire:
            wire_results = self._wire(bench, users=wire_users)
            self.stdout.write(measure_wire_table(wire_results))
        shares = None
        if profile:
            shares = profiling.profile()
            self.stdout.write(profiling.table(shares))
        if json_path:
            Path(json_path).write_text(
                json.dumps(
                    {
                        "scale": scale,
                        "vendor": bench["ENGINE"].rsplit(".", 1)[-1],
                        "repeat": repeat,
                        "pages": measure.as_dicts(results),
                        "summary": totals,
                        "constant": not constant_failures if check_constant else None,
                        "wire": [asdict(w) for w in wire_results] if wire_results else None,
                    },
                    indent=2,
                )
            )
        if check_constant:
            if constant_failures:
                self.stdout.write("Query counts differ between scales:\n  " + "\n  ".join(constant_failures))
            else:
                self.stdout.write(f"Query counts are the same at --scale {max(scale / 10, 0.001):g} and {scale:g}.")
        bench_line = (
            f"BENCH worst_ratio={totals['worst_ratio']:.2f} max_queries={totals['max_queries']} "
            f"layout_ratio={totals['layout_ratio']:.2f}"
        )
        self.stdout.write(bench_line)
        if write_readme:
            heading = (
                f"Last measured {timezone.localdate():%Y-%m-%d} at `--scale {scale:g}` on {vendor}, "
                f"{repeat} timed requests per page"
                + (", query counts constant between scales" if check_constant and not constant_failures else "")
                + ":"
            )
            readme.write(
                Path(settings.BASE_DIR) / "README.md",
                readme.markdown(
                    heading=heading, results=results, bench_line=bench_line, wire=wire_results, shares=shares
                ),
            )
            self.stdout.write("README.md: benchmark tables written.")
        if constant_failures:
            raise CommandError("Query counts are not constant.")

    def _wire(self, bench: dict, *, users: int) -> list:
        """The empty page, the case list and the heaviest case page, as a browser gets them."""
        world = World.load()
        with override_settings(ROOT_URLCONF="integrapsy.bench.urls"):
            empty = reverse("bench_empty")
        pages = [
            WirePage("empty page (baseline)", world.users["coordinator"].username, empty),
            WirePage("case list", world.users["coordinator"].username, reverse("cases:list")),
            WirePage(
                "case page (5,000 events)",
                world.users["psychologist"].username,
                reverse("cases:detail", args=[world.heavy_case]),
            ),
        ]
        return measure_wire(database.url_of(bench), pages, users=users)

    def _prepare(self, bench: dict, scale: float, reuse: bool) -> None:
        """Create (or reuse) and fill the database, and make it the one this process uses."""
        fresh = not (reuse and database.exists(bench))
        if fresh:
            database.drop(bench)
            database.create(bench)
        database.use(bench)
        if not fresh:
            meta = database.read_meta()
            if meta.get("complete") == "1" and float(meta.get("scale", -1)) == scale:
                self.stderr.write(f"bench: reusing {bench['NAME']} (--scale {scale:g})")
                if database.migrate():  # a migration may rewrite rows: the planner's statistics anew
                    data.analyse()
                self._refresh_figures()
                return
            self.stderr.write(f"bench: {bench['NAME']} holds another scale ({meta.get('scale')}): recreating it")
            database.drop(bench)
            database.create(bench)
            database.use(bench)
        self.stderr.write(f"bench: migrating {bench['NAME']}")
        database.migrate(bench)
        started = time.monotonic()
        plan = data.Plan(scale)
        self.stderr.write(
            f"bench: generating --scale {scale:g}: " + ", ".join(f"{v:,} {k}" for k, v in plan.counts().items())
        )
        counts = data.generate(plan, stream=self.stderr._out)
        data.analyse()
        elapsed = time.monotonic() - started
        total = sum(counts.values())
        self.stderr.write(f"bench: {total:,} rows in {elapsed:.0f} s ({total / max(elapsed, 1e-6):,.0f} rows/s)")
        database.write_meta({"scale": scale, "complete": "1", "rows": total, "seconds": round(elapsed)})
        self._refresh_figures()

    def _refresh_figures(self) -> None:
        """The figures' lines, as the scheduled refresh writes them (the reports read them)."""
        from integrapsy.reports.models import Fact
        from integrapsy.reports.services import facts_refresh

        run = facts_refresh()
        data.analyse(Fact)
        self.stderr.write(f"bench: figures' lines written again: {run.rows:,} lines in {run.seconds:.1f} s")
