from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "integrapsy.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from integrapsy.accounts import messages  # noqa: F401 — registers the account's message
