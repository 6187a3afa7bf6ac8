import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from integrapsy.accounts.demo import DEMO_USERS

# Apps contribute their demo rows through a ``demo`` module with a ``seed(*, stdout)``
# function; they run in INSTALLED_APPS order, which follows the dependencies.
PROJECT_PACKAGES = ("integrapsy.", "cases", "interpreters", "ambassadors")


class Command(BaseCommand):
    help = "Create or refresh fictional demo data and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo writes fictional people and well-known passwords: it refuses to run "
                "with DJANGO_DEBUG off. Use --force on a demo or test server only."
            )
        for config in apps.get_app_configs():
            if not config.name.startswith(PROJECT_PACKAGES):
                continue
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            # Demo people are fictional: notifications their services send go nowhere.
            with transaction.atomic(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        shown = "integrapsy" if settings.DEMO_PASSWORD == "integrapsy" else "the value of DEMO_PASSWORD"
        self.stdout.write(f"Demo logins (password: {shown}):")

        for username, _first, _last, role, scope in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role:<14} {scope or ''}")
