"""Production static files: the manifest storage must process every asset we ship.

In production (``DJANGO_DEBUG=0``) ``collectstatic`` runs with the manifest storage, which
rewrites the references inside CSS and JS files (``url()``, ``sourceMappingURL``) to hashed
names: a reference to a file we do not ship fails the deployment, then every page answers 500.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

STATIC = Path(__file__).resolve().parents[2] / "static"
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_manifest_storage_processes_every_asset(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        # The files the base layout loads have a hashed name, as the pages will ask for them.
        for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/chartjs/chart.umd.min.js", "css/app.css"):
            hashed = staticfiles_storage.stored_name(name)
            assert hashed != name and (tmp_path / hashed).is_file()


VENDORED = sorted(p for p in (STATIC / "vendor").rglob("*") if p.suffix in (".js", ".css"))


@pytest.mark.parametrize("path", VENDORED, ids=[str(p.relative_to(STATIC)) for p in VENDORED])
def test_every_source_map_a_vendored_file_names_is_shipped(path):
    import re

    for target in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(encoding="utf-8")):
        assert (path.parent / target).is_file(), f"{path.relative_to(STATIC)} names {target}, which is not shipped"
