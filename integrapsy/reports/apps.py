from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        # Files past their day deleted, lost jobs asked again (idempotent: see the service).
        register_job(ScheduledJob("report_jobs_sweep", sweep, every(minutes=5)))

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
