"""Demo: the figures' lines counted once the other apps' demo rows are written (apps come in order)."""

from integrapsy.reports import services


def seed(*, stdout) -> None:
    run = services.facts_refresh()
    stdout.write(f"Figures counted: {run.rows} lines.")
