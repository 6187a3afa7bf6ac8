"""Dates, times and counts as a French or Dutch reader expects them, on every page of the matrix.

No ISO date ("2026-12-01 09:45"), no "(s)" plural placeholder: dates go through the ``date``
filter with a format name (or ``date_format``), counts through ``ngettext`` or
``{% blocktranslate count %}``, elapsed times through ``naturaltime`` ("il y a 5 minutes").
"""

import html
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import ROLE_NAMES
from integrapsy.tests import test_url_matrix as matrix

world = matrix.world
UUID = "00000000-0000-0000-0000-000000000001"

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PLURAL_PLACEHOLDER = re.compile(r"\w\(s\)")
# The subject-access export writes its dates in ISO 8601 on purpose: the same values fill its JSON file.
ISO_ON_PURPOSE = {"cases:gdpr_subject_access"}


def visible_text(content: str) -> str:
    text = re.sub(r"<(script|style|template)\b.*?</\1>", " ", content, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def _page_text(world, role: str, url: str, language: str) -> str | None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with matrix.rolled_back():
        client.force_login(world["users"][role])
        response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return visible_text(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_page_shows_an_iso_date_or_a_plural_placeholder(world, language):
    wrong = []
    for name, (kwargs_builder, statuses) in matrix.MATRIX.items():
        url = reverse(name, kwargs=kwargs_builder(world) if kwargs_builder else {})
        for role in ROLE_NAMES:
            if statuses[role] != 200 or (text := _page_text(world, role, url, language)) is None:
                continue
            patterns = [PLURAL_PLACEHOLDER] + ([] if name in ISO_ON_PURPOSE else [ISO_DATE])
            for pattern in patterns:
                for found in pattern.finditer(text):
                    wrong.append(f"{name} as {role}: …{text[max(0, found.start() - 50) : found.end() + 20]}…")
    assert not wrong, "\n".join(sorted(set(wrong)))


@pytest.mark.parametrize(
    ("template", "panel"),
    [
        (
            "cases/_home_urgent_referrals.html",
            lambda at: {"urgent_referrals": [SimpleNamespace(code=UUID, reference="R-1", received_at=at)]},
        ),
        (
            "cases/_home_risk_flags.html",
            lambda at: {
                "risk_flags": [
                    SimpleNamespace(
                        case=SimpleNamespace(reference="IP-2026-00001"), get_source_display="", raised_at=at
                    )
                ]
            },
        ),
    ],
)
def test_banner_times_say_how_long_ago(template, panel):
    at = timezone.now() - timedelta(minutes=5)
    with translation.override("en"):
        text = visible_text(render_to_string(template, {"panel": panel(at)}))
    assert "5\xa0minutes ago" in text or "5 minutes ago" in text, text


@pytest.mark.parametrize(("booked", "words"), [(0, "0 of 4 slots booked"), (1, "1 of 4 slots booked")])
def test_the_psychologists_coming_permanences_count_their_bookings(booked, words):
    from datetime import time

    session = SimpleNamespace(
        code=UUID,
        date=timezone.localdate(),
        start_time=time(9),
        end_time=time(12),
        location=SimpleNamespace(name="CAES"),
        slots_booked=booked,
        slots_total=4,
    )
    with translation.override("en"):
        text = visible_text(render_to_string("cases/_home_psychologist.html", {"panel": {"sessions": [session]}}))
    assert words in text
    with translation.override("fr"):
        text = visible_text(render_to_string("cases/_home_psychologist.html", {"panel": {"sessions": [session]}}))
    assert "/4" not in text
