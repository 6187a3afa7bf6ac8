"""``benchmark --write-readme`` replaces the figures between the README's markers, and only them."""

from pathlib import Path

import pytest
from django.conf import settings

from integrapsy.bench import database, readme
from integrapsy.bench.measure import Result
from integrapsy.bench.wire import WireResult


def _results():
    rows = [
        ("empty page (baseline)", "/e/", 5.0, 8.0, 3, 1.0, "empty"),
        ("case list", "/cases/", 1234.5, 1500.0, 10, 2.5, ""),
    ]
    return [
        Result(page=p, url=u, role="coordinator", median_ms=m, p95_ms=p95, queries=q, ratio=r, baseline=b)
        for p, u, m, p95, q, r, b in rows
    ]


def test_the_tables_replace_what_stood_between_the_markers(tmp_path: Path):
    path = tmp_path / "README.md"
    path.write_text(f"# Title\n\nbefore\n{readme.START}\nold figures\n{readme.END}\nafter\n")
    wire = [WireResult("case list", 4, 20.0, 30.0, 50.0, 70.0, 6, 1.5)]
    block = readme.markdown(heading="Measured:", results=_results(), bench_line="BENCH worst_ratio=2.50", wire=wire)
    readme.write(path, block)
    text = path.read_text()
    assert "old figures" not in text
    assert text.startswith("# Title\n\nbefore\n") and text.endswith("after\n")
    assert "| case list | 1,234.5 | 1,500.0 | 10 | 2.50 |" in text
    assert "| case list | 4 | 20.0 | 30.0 | 50.0 | 70.0 | 6 | 1.50 |" in text
    assert "`BENCH worst_ratio=2.50`" in text
    readme.write(path, "again")  # a second run replaces the first one's tables
    assert path.read_text().count(readme.START) == 1 and "1,234.5" not in path.read_text()


def test_a_readme_without_markers_is_left_alone(tmp_path: Path):
    path = tmp_path / "README.md"
    path.write_text("no markers here\n")
    with pytest.raises(ValueError, match="markers"):
        readme.write(path, "x")
    assert path.read_text() == "no markers here\n"


def test_the_project_readme_holds_the_markers():
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert text.count(readme.START) == 1 and text.count(readme.END) == 1


def test_the_benchmark_database_as_a_url():
    assert database.url_of({"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/b.sqlite3"}) == (
        "sqlite:////tmp/b.sqlite3"
    )
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "integrapsy_bench", "USER": "postgres", "HOST": "h"}
    assert database.url_of({**pg, "PORT": 5432}) == "postgres://postgres@h:5432/integrapsy_bench"
