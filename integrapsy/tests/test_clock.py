"""The services' clock: the real time, or a past moment for the current context only."""

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from integrapsy import clock

JUNE = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)


def test_now_is_the_real_time_outside_as_of():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()


def test_as_of_sets_now_and_the_local_date_then_restores_them():
    with clock.as_of(JUNE):
        assert clock.now() == JUNE
        assert clock.localdate().isoformat() == "2026-06-03"
    assert clock.now() > JUNE


def test_as_of_holds_for_the_current_thread_only():
    seen = {}
    with clock.as_of(JUNE):
        thread = threading.Thread(target=lambda: seen.setdefault("other", clock.now()))
        thread.start()
        thread.join()
    assert seen["other"] > JUNE


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), clock.as_of(datetime(2026, 6, 3, 9, 30)):
        pass


def test_no_production_module_patches_the_time():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if (
            parts[0].startswith(".")
            or "tests" in parts
            or "migrations" in parts
            or parts[0] in {"tests", "conftest.py"}
        ):
            continue
        if "mock.patch" in path.read_text(encoding="utf-8"):
            offenders.append(str(path))
    assert offenders == []
