from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the figures are written again (the pages say as of when).
FACTS_EVERY_MINUTES = 15


class ReportsConfig(AppConfig):
    name = "integrapsy.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from integrapsy.access import Capability
        from integrapsy.navigation import NavItem, register_nav
        from integrapsy.reports import notifications  # noqa: F401 — registers its message
        from integrapsy.schedule.jobs import ScheduledJob, every, register_job

        def sweep():
            from integrapsy.reports.tasks import sweep_report_jobs

            return sweep_report_jobs.enqueue()

        def refresh():
            from integrapsy.reports.tasks import refresh_facts

            return refresh_facts.enqueue()

        # Files past their day deleted, lost jobs asked again (idempotent: see the service).
        register_job(ScheduledJob("report_jobs_sweep", sweep, every(minutes=5)))
        # The dashboard's and the indicators' figures, written again: they are "as of" the last run.
        register_job(ScheduledJob("facts_refresh", refresh, every(minutes=FACTS_EVERY_MINUTES)))

        register_nav(
            NavItem(
                _("Dashboard"),
                "reports:dashboard",
                Capability.VIEW_DASHBOARD,
                order=80,
                active_prefix="reports:list",
            ),
            NavItem(
                _("Indicators"),
                "reports:indicators",
                Capability.VIEW_INDICATORS,
                order=85,
                active_prefix="reports:export",
            ),
        )
