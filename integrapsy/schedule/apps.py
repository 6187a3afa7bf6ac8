from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "integrapsy.schedule"
    label = "schedule"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from integrapsy.schedule import registry  # noqa: F401 — registers on import
