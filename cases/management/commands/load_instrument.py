from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.screenings import scoring
from cases.screenings.services import InstrumentVersionInUse, instrument_load

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "screenings" / "instruments"


def builtin_files() -> list[Path]:
    """The questionnaires shipped with IntegraPsy (PHQ-9, GAD-7, PCL-5, WHO-5)."""
    return sorted(BUILTIN_DIR.glob("*.json"))


class Command(BaseCommand):
    help = (
        "Load screening questionnaires from JSON files (format: cases/screenings/instruments/README.md). "
        "Every file is checked first; if one is wrong, nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Instrument files (.json).")
        parser.add_argument(
            "--builtin", action="store_true", help="Load the questionnaires shipped in cases/screenings/instruments/."
        )

    def handle(self, *args, files: list[str], builtin: bool = False, **options):
        paths = [Path(f) for f in files] + (builtin_files() if builtin else [])
        if not paths:
            raise CommandError("Give at least one instrument file, or --builtin.")
        definitions, problems = [], []
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{path}: cannot be read ({exc})")
                continue
            try:
                definitions.append((path, scoring.parse_instrument_file(text)))
            except scoring.InstrumentFileError as exc:
                problems.extend(f"{path}: {scoring.format_error(*e)}" for e in exc.errors)
        if problems:
            raise CommandError("Nothing was loaded.\n" + "\n".join(problems))
        try:
            with transaction.atomic():
                results = [(path, instrument_load(definition=d)) for path, d in definitions]
        except InstrumentVersionInUse as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for path, result in results:
            i = result.instrument
            self.stdout.write(f"{i.name} version {i.version} ({i.key}): {result.outcome} — {path.name}")
