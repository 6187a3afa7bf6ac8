from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GdprConfig(AppConfig):
    """Data-protection registries (subject access, erasure, retention) and the daily retention run."""

    name = "integrapsy.gdpr"
    label = "gdpr"
    verbose_name = _("Data protection")
