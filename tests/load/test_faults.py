"""PostgreSQL restarts while requests are in flight: clean error pages, recovery, nothing half-written.

The restarted server is a throwaway cluster of this test (``integrapsy.bench.faults``), never
the machine's main one.
"""

import os
import time

import pytest

from integrapsy.bench import load
from integrapsy.bench.faults import Cluster

pytestmark = pytest.mark.postgres


def test_a_database_restart_fails_cleanly_then_the_app_recovers_by_itself():
    seconds = float(os.environ.get("FAULT_SECONDS", "24"))
    restart: dict = {}
    with Cluster() as cluster:
        url = load.load_database_url(cluster.url, "integrapsy_fault")
        load.prepare_database(url, scale=0.01)
        load.mark_generated(url)
        targets = load.Targets.read(url)

        def restart_midway(start, deadline):
            time.sleep(max(0, start + seconds / 3 - time.monotonic()))
            restart["from"] = time.monotonic() - start
            restart["down"] = cluster.restart()
            restart["until"] = time.monotonic() - start

        with load.gunicorn(url) as base:
            samples = load.run_users(base, targets, users=10, seconds=seconds, on_tick=restart_midway)
            # Afterwards the same server (not restarted) answers again.
            browser = load.signed_in(base, "bench-coord-0")
            assert browser.request("/cases/").status == 200
        problems = load.integrity_problems(url)

    errors = [s for s in samples if s.status >= 500 or s.status == 0]
    assert all(s.status != 0 for s in samples), "a connection was dropped instead of answered"
    # Failed requests show the app's error page, never a traceback.
    assert not [s for s in samples if s.traceback]
    assert all(s.error_page for s in errors)
    print(f"restart {restart}: {len(samples)} requests, {len(errors)} failed cleanly during the restart")
    assert all(restart["from"] - 1 <= s.at <= restart["until"] + 10 for s in errors), (restart, errors[:5])
    late = [s for s in samples if s.at > restart["until"] + 10]
    assert late and all(s.status < 500 for s in late)
    assert problems == {}
