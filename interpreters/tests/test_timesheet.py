import csv
import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from interpreters import exports
from interpreters.models import BookingStatus
from interpreters.selectors import timesheet
from interpreters.tests.factories import BookingFactory, InterpreterFactory, completed_booking

pytestmark = pytest.mark.django_db


def _last_month_day(day, hour=10):
    first = timezone.localdate().replace(day=1)
    month = (first - timedelta(days=1)).replace(day=day)
    return timezone.make_aware(datetime.combine(month, datetime.min.time().replace(hour=hour)))


def _done(team, interpreter, day, minutes, **kw):
    start = _last_month_day(day)
    return BookingFactory(
        team=team,
        interpreter=interpreter,
        status=kw.pop("status", BookingStatus.COMPLETED),
        starts_at=start,
        billable_minutes=minutes,
        **kw,
    )


@pytest.fixture
def month_of_work(team, interpreter):
    other = InterpreterFactory(first_name="Selam", username="selam")
    _done(team, interpreter, 3, 50)
    _done(team, interpreter, 10, 60)
    _done(team, interpreter, 12, 60, status=BookingStatus.CANCELLED, late_cancellation=True)
    _done(team, interpreter, 14, None, status=BookingStatus.CANCELLED, late_cancellation=False)
    _done(team, interpreter, 15, None, status=BookingStatus.NO_SHOW)
    _done(team, other, 20, 90)
    # Another month, another team: not on this sheet.
    completed_booking(team, interpreter, days_ago=80, minutes=30)
    _done(TeamFactory(name="Autre"), interpreter, 5, 45)
    return other


def test_sums_completed_and_late_cancelled(coordinator, interpreter, month_of_work):
    sheet = timesheet(user=coordinator, month=_last_month_day(1).date())
    assert sheet["total"].minutes == 50 + 60 + 60 + 90
    assert sheet["total"].bookings == 4
    per = {t.label: t.minutes for t in sheet["by_interpreter"]}
    assert per == {str(interpreter): 170, str(month_of_work): 90}
    assert [t.minutes for t in sheet["by_service"]] == [260]


def test_filter_by_interpreter(coordinator, interpreter, month_of_work):
    sheet = timesheet(user=coordinator, month=_last_month_day(1).date(), interpreter=month_of_work)
    assert sheet["total"].minutes == 90


def test_interpreter_sees_only_their_own_work_of_every_team(interpreter, month_of_work):
    sheet = timesheet(user=interpreter.user, month=_last_month_day(1).date())
    assert {b.interpreter_id for b in sheet["rows"]} == {interpreter.pk}
    assert sheet["total"].minutes == 170 + 45


def test_another_teams_coordinator_sees_nothing(month_of_work):
    stranger = make_user_with_role(Role.COORDINATOR, team=TeamFactory(name="Loin"))
    assert timesheet(user=stranger, month=_last_month_day(1).date())["rows"] == []


def test_page_and_csv(client, coordinator, month_of_work):
    client.force_login(coordinator)
    month = _last_month_day(1).strftime("%Y-%m")
    response = client.get(reverse("interpreters:timesheet"), {"month": month})
    assert response.status_code == 200
    assert b'id="total-minutes" data-minutes="260"' in response.content
    response = client.get(reverse("interpreters:timesheet_export"), {"month": month, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4
    assert sum(int(r[9]) for r in rows[1:]) == 260
    assert "Testperson" not in response.content.decode()  # no person's name


def test_xlsx_export(client, coordinator, month_of_work):
    client.force_login(coordinator)
    month = _last_month_day(1).strftime("%Y-%m")
    response = client.get(reverse("interpreters:timesheet_export"), {"month": month, "format": "xlsx"})
    if exports.xlsx_available():
        import openpyxl

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 1 + 4 + 1
        assert sheet.cell(row=sheet.max_row, column=10).value == 260
    else:
        # Without openpyxl the same sheet comes as CSV.
        assert response["Content-Type"].startswith("text/csv")


def _queries(client, month):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("interpreters:timesheet"), {"month": month})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_timesheet_query_count_does_not_grow(client, coordinator, team, interpreter):
    client.force_login(coordinator)
    month = _last_month_day(1).strftime("%Y-%m")
    _done(team, interpreter, 2, 30)
    one = _queries(client, month)
    for i in range(29):
        _done(team, InterpreterFactory(username=f"t{i}"), 3 + i % 20, 30)
    assert _queries(client, month) == one
