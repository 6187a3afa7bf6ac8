from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "integrapsy.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from integrapsy.notifications import registry  # noqa: F401 — registers on import
