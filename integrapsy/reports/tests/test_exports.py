import csv
import gc
import io
import tracemalloc
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Person
from cases.tests.factories import CaseFactory, PersonFactory, ReferralFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.reports.exports import CHUNK_SIZE, pseudonym
from interpreters.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

NAME, SURNAME, ALIAS, PHONE = "Zerihun", "Tesfalidet", "Zeri", "+33 6 11 22 33 44"


@pytest.fixture
def team():
    return TeamFactory(name="Équipe export")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, username="coord-export")


@pytest.fixture
def person(team):
    person = PersonFactory(
        first_name=NAME, last_name=SURNAME, alias=ALIAS, phone=PHONE, birth_date=date(1990, 4, 5), birth_year=None
    )
    case = CaseFactory(person=person, team=team)
    ReferralFactory(
        team=team,
        first_name=NAME,
        last_name=SURNAME,
        alias=ALIAS,
        phone=PHONE,
        birth_date=date(1990, 4, 5),
        person=person,
        case=case,
        status="accepted",
    )
    BookingFactory(team=team, case=case, starts_at=timezone.now() - timedelta(days=2))
    return person


def _content(response) -> bytes:
    body = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:  # the XLSX is compressed: read what it holds
        return b"".join(archive.read(name) for name in archive.namelist())


def _export(client, what, fmt, **params):
    response = client.get(reverse("reports:export", args=[what, fmt]), params)
    assert response.status_code == 200
    assert response.streaming
    return _content(response)


IDENTIFYING = [NAME.encode(), SURNAME.encode(), ALIAS.encode(), b"11 22 33 44", b"1990-04-05"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["cases", "referrals", "bookings"])
def test_the_deidentified_export_has_no_name_and_no_phone(client, coordinator, person, what, fmt):
    client.force_login(coordinator)
    content = _export(client, what, fmt, deidentified="on")
    for value in IDENTIFYING:
        assert value not in content, value
    assert pseudonym(person.code).encode() in content
    if what != "bookings":
        assert b"1990" in content  # the year of birth stays


@pytest.mark.parametrize("what", ["cases", "referrals", "bookings"])
def test_the_full_export_names_the_person(client, coordinator, person, what):
    client.force_login(coordinator)
    content = _export(client, what, "csv")
    assert NAME.encode() in content
    assert content.startswith("\ufeff".encode())


def test_the_pseudonym_is_stable_and_not_the_code(person):
    assert pseudonym(person.code) == pseudonym(str(person.code))
    assert str(person.code) not in pseudonym(person.code)
    assert len(pseudonym(person.code)) == len("P-") + 12
    assert pseudonym(person.code) != pseudonym(PersonFactory().code)


def test_every_export_is_audited_with_format_filters_and_row_count(client, coordinator, person, team):
    client.force_login(coordinator)
    _export(client, "cases", "xlsx", deidentified="on", team=str(team.code), date_from="2026-01-01")
    event = AuditEvent.objects.get(action="export.cases")
    assert event.actor == coordinator
    assert "format=xlsx" in event.detail
    assert "deidentified=yes" in event.detail
    assert f"team={team.name}" in event.detail and "from=2026-01-01" in event.detail
    assert "rows=1" in event.detail


def test_a_coordinator_exports_only_their_teams_rows(client, coordinator, person):
    other = CaseFactory(team=TeamFactory(name="Autre équipe"), person=PersonFactory(first_name="Autrepersonne"))
    client.force_login(coordinator)
    content = _export(client, "cases", "csv")
    assert NAME.encode() in content and other.person.first_name.encode() not in content
    # Another team's code answers 404, and nothing is exported (nor audited).
    response = client.get(reverse("reports:export", args=["cases", "csv"]), {"team": str(other.team.code)})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="export.cases").count() == 1


def test_the_administrator_exports_every_team(client, person):
    CaseFactory(team=TeamFactory(name="Autre équipe"), person=PersonFactory(first_name="Autrepersonne"))
    client.force_login(make_user_with_role(Role.ADMIN))
    content = _export(client, "cases", "csv")
    assert NAME.encode() in content and b"Autrepersonne" in content


@pytest.mark.parametrize("role", ["psychologist", "social_worker", "ambassador", "interpreter", "referrer"])
def test_without_the_capability_every_export_is_404(client, team, person, role):
    user = (
        make_user_with_role(role, team=team)
        if role in ("psychologist", "social_worker", "ambassador")
        else make_user_with_role(role)
    )
    client.force_login(user)
    for what in ("cases", "referrals", "bookings"):
        assert client.get(reverse("reports:export", args=[what, "csv"])).status_code == 404
    assert client.get(reverse("reports:exports")).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_bad_input_comes_back_with_the_message_beside_the_field(client, coordinator, person):
    client.force_login(coordinator)
    response = client.get(
        reverse("reports:export", args=["cases", "csv"]), {"date_from": "2026-05-01", "date_to": "nonsense"}
    )
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors
    assert response.context["form"]["date_from"].value() == "2026-05-01"
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_an_unknown_list_or_format_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("reports:export", args=["persons", "csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["cases", "pdf"])).status_code == 404


def test_text_a_spreadsheet_would_run_is_neutralised(client, coordinator, team):
    CaseFactory(team=team, person=PersonFactory(first_name='=HYPERLINK("http://x")'))
    client.force_login(coordinator)
    rows = list(csv.reader(io.StringIO(_export(client, "cases", "csv").decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'


def _add_cases(team, count: int, start: int) -> None:
    persons = Person.objects.bulk_create(
        PersonFactory.build(first_name=f"Personne{start + i}", phone="+32 470 12 34 56") for i in range(count)
    )
    Case.objects.bulk_create(
        Case(person=p, team=team, reference=f"IP-2026-{start + i:06d}", opened_on=timezone.localdate())
        for i, p in enumerate(persons)
    )


def _peak(client, url, params) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(url, params)
        for _chunk in response.streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("fmt", "bound"), [("csv", 2), ("xlsx", 2)])
def test_streaming_memory_does_not_grow_with_the_rows(client, coordinator, team, fmt, bound):
    client.force_login(coordinator)
    url = reverse("reports:export", args=["cases", fmt])
    n = 2 * CHUNK_SIZE  # at least two chunks: both runs hold at most one chunk at a time
    _add_cases(team, n, 0)
    _peak(client, url, {})  # warm up (imports, templates, translations)
    small = _peak(client, url, {})
    _add_cases(team, 9 * n, n)
    assert Case.objects.count() == 10 * n
    large = _peak(client, url, {})
    assert large < bound * small, (small, large)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_referral_reasons_are_exported_as_labels_in_the_readers_language(client, settings, coordinator, team, language):
    from django.utils import translation

    ReferralFactory(team=team, reasons=["sleep", "despair"])
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rows = list(csv.reader(io.StringIO(_export(client, "referrals", "csv").decode("utf-8-sig"))))
    with translation.override(language):
        column = rows[0].index(translation.gettext("Reasons"))
        expected = f"{translation.gettext('Sleep problems')}, {translation.gettext('Despair')}"
    assert [row[column] for row in rows[1:]] == [expected]
    assert "sleep" not in rows[1][column]
