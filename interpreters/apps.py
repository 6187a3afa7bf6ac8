from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretersConfig(AppConfig):
    name = "interpreters"
    verbose_name = _("Interpreters")

    def ready(self) -> None:
        from interpreters import registry  # noqa: F401 — registers on import
