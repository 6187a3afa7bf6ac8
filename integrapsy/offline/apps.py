from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "integrapsy.offline"
    label = "offline"
    verbose_name = _("Working offline")
