"""Every write of the reports: the reports and exports prepared in the background.

A report too long for a web request (the funder indicators of several teams, a list of more
than ``REPORT_INLINE_MAX_ROWS`` rows) becomes a ``ReportJob``: a task writes the same file as
the page would have sent into the configured storage, its progress on the row, then tells
the user through the outbox. The file is deleted after ``REPORT_FILE_HOURS``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from integrapsy.accounts.models import Team, User
from integrapsy.audit.services import audit_record
from integrapsy.notifications.services import outbox_queue
from integrapsy.reports import exports, facts, selectors
from integrapsy.reports.indicators import counts
from integrapsy.reports.indicators import indicators as indicators_of
from integrapsy.reports.models import PERSON_FIELDS, Fact, FactsRefresh, ReportJob, TeamCounts
from integrapsy.reports.periods import Period

logger = logging.getLogger(__name__)

Status = ReportJob.Status
Kind = ReportJob.Kind

# A job still waiting this long had its task lost: it is asked again. A job running this long
# had its worker die: it is marked failed. Rows expired this long ago are deleted.
STALE_PENDING = timedelta(minutes=5)
STALE_RUNNING = timedelta(hours=2)
KEEP_EXPIRED_ROWS = timedelta(days=30)
PROGRESS_STEPS = 20


def file_lifetime() -> timedelta:
    return timedelta(hours=settings.REPORT_FILE_HOURS)


def report_job_params(*, team: Team | None, period: Period, deidentified: bool = False) -> dict:
    """The parameters of a job as stored: what the task needs to write the file again."""
    return {
        "team": str(team.code) if team else "",
        "team_name": team.name if team else "",
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
        "deidentified": bool(deidentified),
    }


def report_job_start(
    *, user: User, kind: str, fmt: str, params: dict, what: str = "", language: str = "", site_url: str = ""
) -> ReportJob:
    """Ask for a file to be prepared; the same request still waiting or running is given back."""
    with transaction.atomic():
        for job in ReportJob.objects.filter(
            requested_by=user, kind=kind, what=what, fmt=fmt, status__in=[Status.PENDING, Status.RUNNING]
        ):
            if {k: v for k, v in job.params.items() if k != "page_url"} == params:
                return job
        now = timezone.now()
        job = ReportJob.objects.create(
            requested_by=user,
            kind=kind,
            what=what,
            fmt=fmt,
            params=params,
            language=language or user.language or settings.LANGUAGE_CODE,
            created_at=now,
            expires_at=now + file_lifetime(),
        )
        if site_url:  # the page's address, for the message that says the file is ready
            job.params = {**params, "page_url": site_url.rstrip("/") + reverse("reports:job", args=[job.code])}
            job.save(update_fields=["params"])
        audit_record(action="report_job.asked", actor=user, obj=job, detail=_detail(job))
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from integrapsy.reports.tasks import run_report_job

    try:
        run_report_job.enqueue(job_id)
    except Exception:  # the row is safe: the sweep asks again
        logger.exception("Could not enqueue report job %s", job_id)


def _detail(report_job: ReportJob, **extra) -> str:
    """The audit detail of a job's file, as the same download from the page writes it."""
    params = report_job.params
    parts = {
        "format": report_job.fmt,
        "team": params.get("team_name") or "all",
        "from": params.get("date_from", ""),
        "to": params.get("date_to", ""),
    }
    if report_job.kind == Kind.LIST:
        parts["deidentified"] = "yes" if params.get("deidentified") else "no"
    parts.update(extra)
    return "; ".join(f"{k}={v}" for k, v in parts.items())


def _set_progress(job: ReportJob, value: int) -> None:
    ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=max(1, min(99, value)))


def _counted(rows: Iterable[list], job: ReportJob, total: int, *, start: int, end: int) -> Iterator[list]:
    """The rows, with the job's progress moved from ``start`` to ``end`` as they are read."""
    step = max(1, total // PROGRESS_STEPS)
    for n, row in enumerate(rows, 1):
        yield row
        if n % step == 0 and total:
            _set_progress(job, start + (end - start) * n // total)


def _team_and_period(job: ReportJob) -> tuple[Team | None, Period]:
    params = job.params
    period = Period(start=date.fromisoformat(params["date_from"]), end=date.fromisoformat(params["date_to"]))
    if not params.get("team"):
        return None, period
    for team in selectors.report_teams(user=job.requested_by):
        if str(team.code) == params["team"]:
            return team, period
    raise PermissionError("the team is no longer among those the user may report on")


def _build(job: ReportJob) -> tuple[list[str], Iterable[list], str, str, int]:
    """Header, rows, title, file name and row count of the job's file (read as it is written)."""
    team, period = _team_and_period(job)
    user = job.requested_by
    if job.kind == Kind.INDICATORS:
        data = indicators_of(user=user, period=period, team=team)
        _set_progress(job, 80)
        header, rows = exports.indicator_rows(data)
        count = sum(len(s.rows) for s in data.sections)
        return (
            header,
            rows,
            str(exports.INDICATORS_SHEET),
            exports.filename(str(exports.INDICATORS_STEM), period, job.fmt),
            count,
        )
    spec = exports.EXPORTS[job.what]
    deidentified = bool(job.params.get("deidentified"))
    qs = spec.rows(user, team, period)
    count = qs.count()
    _set_progress(job, 5)
    header, rows = exports.list_rows(spec, qs, deidentified=deidentified)
    stem = f"{job.what}-pseudonymised" if deidentified else job.what
    rows = _counted(rows, job, count, start=5, end=95)
    return header, rows, str(spec.title), exports.filename(stem, period, job.fmt), count


def report_job_run(job_id: int) -> str:
    """Write the job's file, if the job still waits and nobody else took it; what became of it."""
    now = timezone.now()
    if not ReportJob.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=now, progress=1
    ):
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            header, rows, title, filename, count = _build(job)
            if job.fmt == "xlsx":
                handle = exports.xlsx_file(header, rows, title=title)
            else:
                handle = exports.csv_file(header, rows)
        with handle:
            name = default_storage.save(f"report-jobs/{job.code}/{filename}", File(handle, name=filename))
    except Exception as exc:  # any failure: the user sees it on the job's page
        logger.exception("Report job %s (%s %s) failed", job.code, job.kind, job.what)
        ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000], finished_at=timezone.now()
        )
        return Status.FAILED
    finished = timezone.now()
    with transaction.atomic():
        done = ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.DONE,
            progress=100,
            rows=count,
            file=name,
            filename=filename,
            finished_at=finished,
            expires_at=finished + file_lifetime(),
        )
        if not done:  # expired or failed meanwhile: the file is not wanted
            default_storage.delete(name)
            return "skipped"
        outbox_queue(
            to=job.requested_by,
            template="report.ready",
            context={
                "kind": job.kind,
                "what": job.what,
                "until": (finished + file_lifetime()).isoformat(),
                "url": job.params.get("page_url", ""),
            },
        )
    logger.info("Report job %s (%s %s): %s rows written to %s", job.code, job.kind, job.what, count, name)
    return Status.DONE


def report_job_downloaded(*, job: ReportJob, request) -> None:
    """A prepared file is downloaded: audited as the same download made from the page."""
    action = "export.indicators" if job.kind == Kind.INDICATORS else f"export.{job.what}"
    audit_record(
        action=action,
        request=request,
        object_type="indicators" if job.kind == Kind.INDICATORS else job.what,
        detail=_detail(job, rows=job.rows, job=job.code),
    )


def report_jobs_sweep(*, now=None) -> dict[str, int]:
    """Delete the files past their day, and look after lost jobs; running it twice does nothing more."""
    now = now or timezone.now()
    counts = {"expired": 0, "deleted_rows": 0, "restarted": 0, "abandoned": 0}
    for job in ReportJob.objects.filter(expires_at__lte=now).exclude(status=Status.EXPIRED):
        if job.file:
            default_storage.delete(job.file.name)
        if (
            ReportJob.objects.filter(pk=job.pk)
            .exclude(status=Status.EXPIRED)
            .update(status=Status.EXPIRED, file="", progress=0)
        ):
            counts["expired"] += 1
    counts["abandoned"] = ReportJob.objects.filter(status=Status.RUNNING, started_at__lt=now - STALE_RUNNING).update(
        status=Status.FAILED, error="worker stopped while preparing the file", finished_at=now
    )
    for job_id in ReportJob.objects.filter(status=Status.PENDING, created_at__lt=now - STALE_PENDING).values_list(
        "pk", flat=True
    ):
        _enqueue(job_id)
        counts["restarted"] += 1
    counts["deleted_rows"], _ = ReportJob.objects.filter(
        status=Status.EXPIRED, expires_at__lt=now - KEEP_EXPIRED_ROWS
    ).delete()
    if any(counts.values()):
        logger.info("Report jobs: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


# --- The figures' lines ---------------------------------------------------------------------

KEEP_REFRESHES = 20


def facts_refresh() -> FactsRefresh:
    """Write every figure's lines again from the source tables, in one transaction.

    Each figure is one ``INSERT … SELECT`` grouped in the database (no row passes through
    Python), so the run costs a few scans of the history whatever its size; readers see the
    previous lines until it commits. The run is recorded: the pages say "as of" its start.
    """
    table = connection.ops.quote_name(Fact._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Fact._meta.get_field(name).column)
        for name in ("team", "day", "figure", "key", "person", "n", "amount", *PERSON_FIELDS)
    )
    person_columns = "".join(f", s.{column}" for column in facts.PERSON_COLUMNS)
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two runs at once would each insert their lines: the second waits for the first to
            # commit (readers are not blocked). SQLite writes one transaction at a time anyway.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        started, clock = timezone.now(), time.monotonic()
        Fact.objects.all().delete()
        for figure in facts.FIGURES:
            sql, params = facts.lines(figure).query.sql_with_params()
            # The table and columns are the model's, quoted; the SELECT is Django's, with its params.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"SELECT s.f_team, s.f_day, %s, s.f_key, s.f_person, s.f_n, s.f_amount{person_columns} FROM ({sql}) s",
                (figure.name, *params),
            )
            rows += max(cursor.rowcount, 0)
        run = FactsRefresh.objects.create(as_of=started, seconds=round(time.monotonic() - clock, 3), rows=rows)
        old = FactsRefresh.objects.order_by("-as_of").values_list("pk", flat=True)[KEEP_REFRESHES:]
        FactsRefresh.objects.filter(pk__in=list(old)).delete()
    logger.info("Figures: %s lines written in %.1f s.", rows, run.seconds)
    _tidy_lines(table)
    team_counts_write(run)
    return run


def _tidy_lines(table: str) -> None:
    """PostgreSQL: the run's dead lines reclaimed and the statistics renewed, so that the counts
    that follow and the pages read the new lines from their index alone (at a million persons:
    4 s, then 3 s for the 40 teams' counts). VACUUM runs outside a transaction: within a
    caller's (a test's), autovacuum does it later."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}")


def team_counts_write(run: FactsRefresh) -> int:
    """Count each team's figures from the run's lines once, for the pages to read over the
    period each opens on: the indicators' year to date (``indicators.latest_counts``) and the
    dashboard's last days (``selectors.dashboard_lines``); another period is counted when asked."""
    year, last_days = Period.year_to_date(), Period.last_days()
    written = 0
    for team in Team.objects.order_by("pk"):
        for kind, period, found in (
            (TeamCounts.Kind.INDICATORS, year, counts(user=None, period=year, teams=[team]).as_json()),
            (TeamCounts.Kind.DASHBOARD, last_days, selectors.dashboard_lines(team=team, period=last_days)),
        ):
            TeamCounts.objects.update_or_create(
                run=run, team=team, kind=kind, start=period.start, end=period.end, defaults={"counts": found}
            )
            written += 1
    return written
