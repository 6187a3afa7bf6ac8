"""Reports and exports prepared in the background: the same file as inline, for its owner only,
for a day; progress shown, a message when ready, each download audited."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.testing import deliver_pending
from integrapsy.reports import exports, services
from integrapsy.reports.indicators import indicators
from integrapsy.reports.models import ReportJob
from integrapsy.reports.periods import Period
from integrapsy.schedule.jobs import JOBS

pytestmark = pytest.mark.django_db

PERIOD = Period(start=date(2026, 1, 1), end=date(2026, 6, 30))


@pytest.fixture
def team():
    return TeamFactory(name="Équipe Lille")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, username="coord-jobs", email="coord@example.org")


@pytest.fixture
def cases(team):
    return [
        CaseFactory(team=team, person=PersonFactory(first_name=f"Nom{i}"), opened_on=date(2026, 2, 1 + i))
        for i in range(5)
    ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _job_code(response) -> str:
    """The page of the file being prepared, shown at the download's address."""
    assert response.status_code == 200, response.status_code
    assert not response.streaming
    return re.search(r'data-job="([0-9a-f-]{36})"', response.content.decode()).group(1)


def _export(client, capture, fmt="csv", what="cases", **params):
    with capture(execute=True):
        return client.get(reverse("reports:export", args=[what, fmt]), {**PERIOD.as_query(), **params})


@pytest.mark.parametrize("deidentified", [False, True])
def test_a_long_list_is_prepared_and_holds_the_same_csv_as_inline(
    client, coordinator, cases, settings, django_capture_on_commit_callbacks, deidentified
):
    client.force_login(coordinator)
    extra = {"deidentified": "on"} if deidentified else {}
    inline = _export(client, django_capture_on_commit_callbacks, **extra)
    assert inline.status_code == 200
    inline_csv = _body(inline)

    settings.REPORT_INLINE_MAX_ROWS = 4  # five rows: past the limit
    code = _job_code(_export(client, django_capture_on_commit_callbacks, **extra))
    job = ReportJob.objects.get(code=code)
    assert job.requested_by == coordinator and job.status == ReportJob.Status.DONE
    assert job.progress == 100 and job.rows == 5
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    page = client.get(reverse("reports:job", args=[code]))
    assert page.status_code == 200
    assert b'id="job-download"' in page.content
    download = client.get(reverse("reports:job_download", args=[code]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == inline["Content-Disposition"]
    assert _body(download) == inline_csv
    assert len(list(csv.reader(io.StringIO(inline_csv.decode("utf-8-sig"))))) == 6


def test_the_xlsx_file_and_the_audit_of_each_download(
    client, coordinator, cases, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    settings.REPORT_INLINE_MAX_ROWS = 1
    code = _job_code(_export(client, django_capture_on_commit_callbacks, fmt="xlsx", team=""))
    for _ in range(2):
        response = client.get(reverse("reports:job_download", args=[code]))
        assert response.status_code == 200
        assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
        with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
            assert b"Nom3" in b"".join(archive.read(n) for n in archive.namelist())
    events = AuditEvent.objects.filter(action="export.cases", actor=coordinator)
    assert events.count() == 2
    assert all("format=xlsx" in e.detail and "rows=5" in e.detail and code in e.detail for e in events)


def test_the_owner_alone_sees_and_downloads_the_file(
    client, coordinator, team, cases, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    settings.REPORT_INLINE_MAX_ROWS = 1
    code = _job_code(_export(client, django_capture_on_commit_callbacks))
    colleague = make_user_with_role(Role.COORDINATOR, team=team, username="coord-other")
    admin = make_user_with_role(Role.ADMIN, username="admin-jobs")
    for user in (colleague, admin):
        client.force_login(user)
        assert client.get(reverse("reports:job", args=[code])).status_code == 404
        assert client.get(reverse("reports:job_download", args=[code])).status_code == 404
    client.logout()
    assert client.get(reverse("reports:job", args=[code])).status_code == 302  # to the login page
    assert client.get(reverse("reports:export", args=["cases", "csv"])).status_code == 302
    assert not AuditEvent.objects.filter(action="export.cases").exists()


def test_the_page_shows_the_progress_and_asks_again(client, coordinator, cases, settings):
    client.force_login(coordinator)
    settings.REPORT_INLINE_MAX_ROWS = 1
    # Outside an on_commit capture the task is not started: the job waits.
    code = _job_code(client.get(reverse("reports:export", args=["cases", "csv"]), PERIOD.as_query()))
    job = ReportJob.objects.get(code=code)
    assert job.status == ReportJob.Status.PENDING
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=40)
    page = client.get(reverse("reports:job", args=[code])).content.decode()
    assert '<progress id="job-progress" class="job-progress" max="100" value="40">' in page
    assert 'hx-trigger="every 2s"' in page and "vendor/htmx/htmx.min.js" in page
    assert "job-download" not in page
    assert client.get(reverse("reports:job_download", args=[code])).status_code == 404
    # htmx asks for the status block only.
    part = client.get(reverse("reports:job", args=[code]), headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="job-status"') and "<html" not in part
    # The same export asked again while it is prepared: the same job.
    again = client.get(reverse("reports:export", args=["cases", "csv"]), PERIOD.as_query())
    assert _job_code(again) == code
    assert ReportJob.objects.count() == 1
    # Done: no more polling, the link.
    assert services.report_job_run(job.pk) == "skipped"  # running already: not taken twice
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.PENDING)
    assert services.report_job_run(job.pk) == ReportJob.Status.DONE
    part = client.get(reverse("reports:job", args=[code]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part and 'id="job-download"' in part


def test_the_user_is_told_in_their_language_when_the_file_is_ready(client, team, cases, settings):
    settings.REPORT_INLINE_MAX_ROWS = 1
    user = make_user_with_role(Role.COORDINATOR, team=team, username="coord-nl", email="nl@example.org")
    user.language = "nl"
    user.save()
    client.force_login(user)
    code = _job_code(client.get(reverse("reports:export", args=["cases", "csv"]), PERIOD.as_query()))
    assert services.report_job_run(ReportJob.objects.get(code=code).pk) == ReportJob.Status.DONE
    message = OutboxMessage.objects.get(template="report.ready")
    assert message.recipient == user and message.address == "nl@example.org"
    deliver_pending()
    [email] = mail.outbox
    assert email.to == ["nl@example.org"]
    assert f"/reports/files/{code}/" in email.body
    assert "Nom" not in email.body  # never a person's name
    assert message.language == "nl"
    assert "(Dossiers)" in email.body  # the list's name in Dutch
    assert re.search(r"\d{1,2}-\d{1,2}-\d{4} \d{2}:\d{2}", email.body)  # and the date as written there


def test_files_expire_after_a_day_and_the_sweep_is_idempotent(
    client, coordinator, cases, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    settings.REPORT_INLINE_MAX_ROWS = 1
    code = _job_code(_export(client, django_capture_on_commit_callbacks))
    job = ReportJob.objects.get(code=code)
    name = job.file.name
    assert default_storage.exists(name)
    assert services.report_jobs_sweep() == {"expired": 0, "deleted_rows": 0, "restarted": 0, "abandoned": 0}
    later = timezone.now() + timedelta(hours=24, minutes=1)
    assert services.report_jobs_sweep(now=later)["expired"] == 1
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.EXPIRED and not job.file
    assert services.report_jobs_sweep(now=later) == {"expired": 0, "deleted_rows": 0, "restarted": 0, "abandoned": 0}
    assert client.get(reverse("reports:job_download", args=[code])).status_code == 404
    assert b'id="job-expired"' in client.get(reverse("reports:job", args=[code])).content
    # The row itself goes a month later.
    assert services.report_jobs_sweep(now=later + timedelta(days=31))["deleted_rows"] == 1
    assert "report_jobs_sweep" in {j.key for j in JOBS}


def test_lost_and_dead_jobs(coordinator, team):
    params = services.report_job_params(team=team, period=PERIOD)
    job = services.report_job_start(user=coordinator, kind=ReportJob.Kind.LIST, what="cases", fmt="csv", params=params)
    later = timezone.now() + timedelta(minutes=6)
    # A job whose task was lost is asked again (the tests' backend runs it at once).
    assert services.report_jobs_sweep(now=later)["restarted"] == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    other = services.report_job_start(
        user=coordinator, kind=ReportJob.Kind.LIST, what="referrals", fmt="csv", params=params
    )
    ReportJob.objects.filter(pk=other.pk).update(status=ReportJob.Status.RUNNING, started_at=timezone.now())
    assert services.report_jobs_sweep(now=timezone.now() + timedelta(hours=3))["abandoned"] == 1
    other.refresh_from_db()
    assert other.status == ReportJob.Status.FAILED


def test_a_team_no_longer_the_users_fails_the_job(client, coordinator, team, cases):
    params = services.report_job_params(team=TeamFactory(name="Autre"), period=PERIOD)
    job = services.report_job_start(user=coordinator, kind=ReportJob.Kind.LIST, what="cases", fmt="csv", params=params)
    assert services.report_job_run(job.pk) == ReportJob.Status.FAILED
    client.force_login(coordinator)
    page = client.get(reverse("reports:job", args=[job.code])).content
    assert b'id="job-error"' in page
    assert not OutboxMessage.objects.filter(template="report.ready").exists()


def test_indicators_of_several_teams_are_always_prepared(client, team, cases, django_capture_on_commit_callbacks):
    TeamFactory(name="Équipe Mons")
    admin = make_user_with_role(Role.ADMIN, username="admin-ind")
    client.force_login(admin)
    page = client.get(reverse("reports:indicators"), PERIOD.as_query())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="indicators-background"' in body and "data-section" not in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:indicators_export", args=["csv"]), PERIOD.as_query())
    code = _job_code(response)
    download = _body(client.get(reverse("reports:job_download", args=[code])))
    header, rows = exports.indicator_rows(indicators(user=admin, period=PERIOD))
    assert download == "".join(exports.csv_stream(header, rows)).encode()
    assert AuditEvent.objects.filter(action="export.indicators", detail__contains="team=all").count() == 1
    # One team chosen: inline, as before.
    one = client.get(reverse("reports:indicators_export", args=["csv"]), {**PERIOD.as_query(), "team": team.code})
    assert one.status_code == 200


def test_the_schedule_starts_the_sweep_once_every_five_minutes(django_capture_on_commit_callbacks):
    from integrapsy.schedule.jobs import run_schedule_once

    moment = timezone.now().replace(minute=0, second=30)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_schedule_once(moment)
        again = run_schedule_once(moment + timedelta(minutes=2))
        later = run_schedule_once(moment + timedelta(minutes=5))
    assert [line for line in first if line.startswith("report_jobs_sweep")]
    assert not [line for line in again if line.startswith("report_jobs_sweep")]
    assert [line for line in later if line.startswith("report_jobs_sweep")]
