"""The benchmark's smoke run: a tiny scale, two databases, constant query counts, the BENCH line."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from integrapsy.bench import data, database
from integrapsy.bench.pages import PAGES


def test_the_benchmark_runs_at_a_tiny_scale_with_constant_query_counts(tmp_path):
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "benchmark",
            "--scale",
            "0.005",
            "--repeat",
            "2",
            "--check-constant",
            "--database-url",
            f"sqlite:///{tmp_path / 'bench.sqlite3'}",
            "--json",
            str(tmp_path / "bench.json"),
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("BENCH worst_ratio=") and " max_queries=" in lines[-1] and " layout_ratio=" in lines[-1]
    assert "Query counts are the same" in result.stdout
    assert "rows/s" in result.stderr  # progress while generating
    report = (tmp_path / "bench.json").read_text()
    assert all(page.name in report for page in PAGES)
    assert not list(Path(tmp_path).glob("*.migrated"))  # the migrated copy is removed


def test_a_scale_means_the_documented_row_counts():
    counts = data.Plan(1).counts()
    assert counts["persons"] == 10_000 and counts["cases"] == 12_000
    assert counts["timeline events"] == 100_000 and counts["consultations"] == 30_000
    assert counts["interpreter bookings"] == 20_000 and counts["permanence slots"] == 5_000
    assert data.Plan(100).heavy_events == 5_000


def test_it_never_uses_the_project_database():
    default = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/app/db.sqlite3", "TEST": {"NAME": "/t.sqlite3"}}
    for name in ("/srv/app/db.sqlite3", "/t.sqlite3", "/elsewhere/db.sqlite3"):
        with pytest.raises(ValueError):
            database.refuse_project_database({"ENGINE": default["ENGINE"], "NAME": name}, default)
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "integrapsy"}
    for name in ("integrapsy", "test_integrapsy", "postgres"):
        with pytest.raises(ValueError):
            database.refuse_project_database({"ENGINE": pg["ENGINE"], "NAME": name}, pg)
    database.refuse_project_database({"ENGINE": pg["ENGINE"], "NAME": "integrapsy_bench"}, pg)


def test_a_postgresql_benchmark_database_prepares_the_statements_the_project_prepares(settings):
    url = "postgres://bench@127.0.0.1:5432/integrapsy_bench_x?connect_timeout=5"
    settings.DB_PREPARE_THRESHOLD = 5
    bench = database.bench_settings(url)
    assert bench["OPTIONS"] == {"connect_timeout": 5, "prepare_threshold": 5}
    settings.DB_PREPARE_THRESHOLD = None  # DJANGO_DB_PREPARED=0
    assert "prepare_threshold" not in database.bench_settings(url).get("OPTIONS", {})


@pytest.mark.parametrize("weeks", [1, 2, 3, 30])
def test_the_generated_permanences_always_hold_a_week_to_come(weeks):
    """Whatever the day the data are generated (a small scale holds a single week of sessions),
    some are still to come, and a third of the weeks are past when there are enough of them."""
    from datetime import date, timedelta

    from integrapsy.bench.data import first_session_monday

    for today in (date(2026, 11, 30) + timedelta(days=i) for i in range(7)):  # Monday to Sunday
        monday = first_session_monday(today, weeks)
        assert monday.weekday() == 0
        last_friday = monday + timedelta(weeks=weeks - 1, days=4)
        assert last_friday > today
        if weeks >= 6:
            assert monday <= today - timedelta(weeks=weeks // 3)
