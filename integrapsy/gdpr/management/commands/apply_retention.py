from django.core.management.base import BaseCommand

from integrapsy.gdpr.services import retention_apply


class Command(BaseCommand):
    help = "Apply the retention schedule (meant to run daily). Never touches an open case."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be done, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        total = 0
        for outcome in retention_apply(dry_run=dry_run):
            rule, lines = outcome.rule, outcome.lines
            total += len(lines)
            self.stdout.write(
                f"[{rule.key}] {rule.description} — {rule.years:g} y, before {outcome.cutoff}: {len(lines)}"
            )
            for line in lines:
                self.stdout.write(f"  {'would ' if dry_run else ''}{line}")
        self.stdout.write(("Dry run: nothing changed. " if dry_run else "") + f"{total} item(s).")
