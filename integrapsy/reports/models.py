import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrapsy.fields import ref, user_ref


class ReportJob(models.Model):
    """A report or an export prepared in the background, and the file it gives for a day.

    Only the user who asked for it sees it. The parameters are those of the page it was asked
    from (team, period, de-identified or not): the file is written as that page would have.
    """

    class Kind(models.TextChoices):
        INDICATORS = "indicators", _("funder indicators")
        LIST = "list", _("list export")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a worker")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("could not be prepared")
        EXPIRED = "expired", _("expired")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = user_ref(_("asked by"), on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    what = models.CharField(_("list"), max_length=40, blank=True)
    fmt = models.CharField(_("format"), max_length=8)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="report-jobs/", max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report being prepared")
        verbose_name_plural = _("reports being prepared")
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="report_job_user_idx"),
            models.Index(fields=["status", "expires_at"], name="report_job_status_exp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.what} {self.fmt} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)


# What a line keeps of its person, for the indicators' breakdowns.
PERSON_FIELDS = ("sex", "birth_date", "birth_year", "nationality", "unaccompanied_minor")


class Fact(models.Model):
    """One line of the figures: what a team did on a day, by kind (``key``), and for whom.

    The dashboard and the funder indicators read these lines, not the whole history: each is
    the count (``n``) and the minutes (``amount``) of the source rows of one figure that share a
    team, a day, a key and a person, as ``integrapsy.reports.facts`` defines them. They are
    written again by ``services.facts_refresh`` (a scheduled task) and are "as of" that run. A
    person's lines go with the person (erasure, merge).
    """

    TEAM_PATH = "team"

    # No foreign-key constraint in the database: the lines are written from rows that hold these
    # references, in the run's transaction, and checking millions of them at its commit doubled
    # the run. A person's or a team's lines still go with them (the ORM's cascade).
    team = ref(
        "accounts.Team", _("team"), on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField(_("day"))
    figure = models.CharField(_("figure"), max_length=30)
    key = models.CharField(_("key"), max_length=40, blank=True)
    person = ref(
        "cases.Person", _("person"), on_delete=models.CASCADE, related_name="+", optional=True, db_constraint=False
    )
    n = models.PositiveIntegerField(_("number"))
    amount = models.PositiveIntegerField(_("amount"), default=0)
    # The person as the indicators count them, when the line is a person's (as of the run).
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth (estimated)"), null=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), null=True)

    class Meta:
        verbose_name = _("figure line")
        verbose_name_plural = _("figure lines")
        # A team's lines of a figure over a period, read from the index alone (PostgreSQL).
        indexes = [
            models.Index(
                fields=["team", "figure", "day"],
                include=["person", "key", "n", "amount", *PERSON_FIELDS],
                name="fact_team_figure_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.team_id} {self.day} {self.key} {self.n}"


class FactsRefresh(models.Model):
    """One run of ``services.facts_refresh``: the figures are as of ``as_of``."""

    as_of = models.DateTimeField(_("as of"))
    seconds = models.FloatField(_("seconds"))
    rows = models.PositiveIntegerField(_("lines"))

    class Meta:
        ordering = ["-as_of"]
        get_latest_by = "as_of"
        verbose_name = _("figures refresh")
        verbose_name_plural = _("figures refreshes")

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d %H:%M} ({self.rows})"


class TeamCounts(models.Model):
    """Counts of one team over one period, from one run of the figures' lines.

    Written right after each run for the period each page opens on, so that the page reads them
    instead of counting the period's lines: the funder indicators' year to date (``INDICATORS``:
    what ``indicators.counts`` gives from that run's lines, with the cases shared across the
    border as they stood then) and the dashboard's last days (``DASHBOARD``: what
    ``reports.selectors.dashboard_lines`` reads of them, with the team's cases by status and the
    names shown beside the figures, as they stood then). Another period is counted when asked.
    """

    TEAM_PATH = "team"

    class Kind(models.TextChoices):
        INDICATORS = "indicators", _("Funder indicators")
        DASHBOARD = "dashboard", _("Dashboard")

    run = models.ForeignKey(FactsRefresh, on_delete=models.CASCADE, related_name="+", verbose_name=_("run"))
    team = ref("accounts.Team", _("team"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDICATORS)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    counts = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("team counts")
        verbose_name_plural = _("team counts")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind", "start", "end", "run"], name="team_counts_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.start}–{self.end} ({self.run_id})"
