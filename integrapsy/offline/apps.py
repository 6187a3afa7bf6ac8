from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "integrapsy.offline"
    label = "offline"
    verbose_name = _("Working offline")

    def ready(self) -> None:
        from datetime import time

        from integrapsy.schedule.jobs import ScheduledJob, daily, register_job

        def prune():
            from integrapsy.offline.tasks import prune_idempotency_keys

            return prune_idempotency_keys.enqueue()

        register_job(ScheduledJob("offline_keys_prune", prune, daily(time(3, 0))))
