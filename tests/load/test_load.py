"""Load on the real server (gunicorn, 2 workers, PostgreSQL): no server error, nothing double-booked.

Run with ``make load`` (``LOAD_USERS`` and ``LOAD_SECONDS`` set its size; CI runs 20 s).
"""

import os

import pytest

from integrapsy.bench import load

pytestmark = pytest.mark.postgres


def test_fifty_users_cause_no_server_error_and_no_double_booking():
    result = load.run(
        database_url=os.environ["DATABASE_URL"],
        users=int(os.environ.get("LOAD_USERS", "50")),
        seconds=float(os.environ.get("LOAD_SECONDS", "60")),
        scale=0.02,
    )
    assert result["requests"] > 0
    assert result["server_errors"] == 0, load.format_report(result)
    assert result["tracebacks"] == 0
    assert result["integrity_problems"] == {}
    # The competing writes happened, and each was either made whole or refused.
    assert result["writes"]["bookings confirmed"] > 0
    assert result["writes"]["slots booked"] > 0
