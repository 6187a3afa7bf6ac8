"""Everything in the reader's language: dates written as each interface language writes them."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role


@pytest.mark.parametrize(
    "language, short_date, short_datetime",
    [
        ("fr", "01/12/2026", "01/12/2026 09:05"),
        ("nl", "1-12-2026", "1-12-2026 09:05"),
        # English as written in Europe: day first, 24-hour clock (not 12/01/2026 9:05 a.m.).
        ("en", "01/12/2026", "01/12/2026 09:05"),
    ],
)
def test_dates_are_day_first_in_every_language(language, short_date, short_datetime):
    with translation.override(language):
        assert date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT") == short_date
        assert date_format(datetime(2026, 12, 1, 9, 5), "SHORT_DATETIME_FORMAT") == short_datetime


def test_the_english_case_list_writes_dates_day_first(client, db, settings):
    coordinator = make_user_with_role(Role.COORDINATOR, language="en")
    CaseFactory(team=coordinator.memberships.get().team, opened_on=date(2026, 12, 1))
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "01/12/2026" in content and "12/01/2026" not in content
    assert response.wsgi_request.LANGUAGE_CODE == "en"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_staff_categories_page_says_what_each_role_reads_in_the_readers_language(
    client, db, settings, catalogue, language
):
    msgid = "status and dates of their own organisation's referrals"
    catalogue(msgid, fr="le statut et les dates des orientations de leur organisation", nl="de status en data (NL)")
    client.force_login(make_user_with_role(Role.ADMIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("staff_categories")).content.decode()
    with translation.override(language):
        expected = translation.gettext(msgid)
    assert expected != msgid and expected.replace("'", "&#x27;") in content
    assert msgid.replace("'", "&#x27;") not in content
