from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "integrapsy.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from integrapsy.access import Capability
        from integrapsy.navigation import NavItem, register_nav

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
