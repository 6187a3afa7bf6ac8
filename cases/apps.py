from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each feature's registry, in this order: blocks and menu entries of the same rank keep it.
FEATURE_REGISTRIES = (
    "risk",
    "consultations",
    "referrals",
    "case_file",
    "persons",
    "households",
    "permanences",
    "screenings",
    "orientations",
    "activities",
    "gdpr",
    "reminders",
)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from importlib import import_module

        for feature in FEATURE_REGISTRIES:
            import_module(f"cases.{feature}.registry")
        import_module("cases.notifications")  # the messages the features send
