"""The registries and the URL names, as the rest of the app relies on them, against a snapshot.

Moving code between modules must not change what is registered (timeline kinds and their
families, case-page panels, menu entries, home panels, GDPR providers) nor where a URL name
points. Regenerate the snapshot on purpose only: ``python -m integrapsy.tests.test_registry_snapshot``.
"""

import json
import uuid
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

SNAPSHOT = Path(__file__).with_name("registry_snapshot.json")
SAMPLE = {"string": "IP-2026-00001", "uuid": str(uuid.UUID(int=1)), "slug": "phq-9", "int": 1, "path": "a/b"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # Django's own, with regex patterns
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            kwargs = {
                name: SAMPLE[type(conv).__name__.removesuffix("Converter").lower()] for name, conv in converters.items()
            }
            yield f"{namespace}{entry.name}", kwargs


def registry_dump() -> dict:
    """Everything registered at start-up, in a form that does not depend on module paths."""
    from cases.panels import CASE_PANELS
    from cases.timeline.kinds import EVENT_KINDS, KIND_FAMILIES
    from integrapsy import gdpr
    from integrapsy.navigation import HOME_PANELS, NAV_ITEMS

    with translation.override("en"):
        urls = {}
        for name, kwargs in _url_names():
            urls[name] = reverse(name, kwargs=kwargs)
        return {
            "kinds": {k: [str(v.label), str(v.visibility)] for k, v in sorted(EVENT_KINDS.items())},
            "families": {k: str(v) for k, v in sorted(KIND_FAMILIES.items())},
            "case_panels": [[p.template, p.context.__name__, p.order, p.section] for p in CASE_PANELS],
            "nav": [[str(i.label), i.url_name, str(i.capability), i.order, i.active_prefix] for i in NAV_ITEMS],
            "home_panels": [[p.template, str(p.capability), p.order] for p in HOME_PANELS],
            "subject_providers": sorted(name for name, _ in gdpr.SUBJECT_PROVIDERS),
            "erasers": sorted(name for name, _ in gdpr.ERASERS),
            "retention_rules": sorted(f"{r.key} {r.default_years} {r.minimum_years}" for r in gdpr.RETENTION_RULES),
            "urls": dict(sorted(urls.items())),
        }


def test_registries_and_urls_match_the_snapshot():
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(registry_dump()))
    for key in expected:
        assert actual[key] == expected[key], key
    assert set(actual) == set(expected)


if __name__ == "__main__":
    import django

    django.setup()
    SNAPSHOT.write_text(json.dumps(registry_dump(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
