import csv
import io
import zipfile
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Assignment
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, ContactFactory
from cases.models import Case, CaseShare, Person
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.reports import services
from integrapsy.reports.indicators import HIDDEN_LABEL, age_band_filters, indicators, mask
from integrapsy.reports.models import ReportJob
from integrapsy.reports.periods import Period

pytestmark = pytest.mark.django_db

PERIOD = Period(start=date(2026, 3, 1), end=date(2026, 5, 31))


def test_small_cells_are_hidden():
    assert [mask(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


@pytest.fixture
def teams():
    return TeamFactory(name="Équipe FR", country="FR"), TeamFactory(name="Équipe BE", country="BE")


def _person(team, *, opened=date(2026, 1, 10), closed=None, **fields):
    person = PersonFactory(**{"birth_year": None, **fields})
    status = Case.Status.CLOSED if closed else Case.Status.ACTIVE
    return CaseFactory(person=person, team=team, opened_on=opened, closed_on=closed, status=status)


@pytest.fixture
def world(teams):
    """A hand-built set of persons, with the expected counts written beside each."""
    fr, be = teams
    for _ in range(6):  # 18–29, women, Eritrea
        _person(fr, sex="F", birth_date=date(2000, 1, 1), nationality="ER")
    _person(fr, sex="M", birth_date=date(2008, 3, 1), nationality="SD")  # 18 on the first day: 18–29
    _person(fr, sex="M", birth_date=date(2008, 3, 2), nationality="SD", unaccompanied_minor=True)  # 17
    _person(fr, sex="X", birth_year=1971, nationality="SD")  # 55 by the year of birth
    _person(fr, sex="F", birth_date=date(1971, 3, 2), nationality="SD")  # 54 the day before
    shared = _person(be, sex="M", birth_year=2009, nationality="SD", unaccompanied_minor=True)  # 17, Belgium
    CaseShare.objects.create(case=shared, team=fr, reason="Suivi conjoint")
    # Not supported in the period: case closed before it, case opened after it.
    _person(fr, sex="F", birth_date=date(1990, 1, 1), closed=date(2026, 2, 15), nationality="ML")
    _person(fr, sex="F", birth_date=date(1990, 1, 1), opened=date(2026, 6, 10), nationality="ML")
    # Supported through an ambassador's contact only (case closed before the period).
    old = _person(fr, sex="X", closed=date(2026, 2, 1), nationality="AF")
    assignment = AssignmentFactory(
        ambassador=AmbassadorFactory(team=fr), case=old, status=Assignment.Status.ACTIVE, starts_on=date(2026, 1, 5)
    )
    ContactFactory(assignment=assignment, occurred_on=date(2026, 3, 10), duration_minutes=60)
    services.facts_refresh()  # the figures' lines, as the scheduled refresh writes them
    return fr, be


def test_indicators_against_a_hand_built_data_set(world):
    admin = make_user_with_role(Role.ADMIN)
    data = indicators(user=admin, period=PERIOD)
    assert data.value("participants", "total") == 12
    assert data.value("gender", "F") == 7
    assert data.value("gender", "M") == "<5"  # 3
    assert data.value("gender", "X") == "<5"  # 2
    assert data.value("age", "18_29") == 7
    assert data.value("age", "under_18") == "<5"  # 2
    assert data.value("age", "30_54") == "<5"
    assert data.value("age", "55_plus") == "<5"
    assert data.value("age", "unknown") == "<5"
    assert data.value("minors", "unaccompanied") == "<5"
    assert data.value("nationality", "ER") == 6
    assert data.value("nationality", "AF") == "<5"
    # 12 − 6 − 5 would give the "<5" away: the smallest other cell (Sudan, 5) is hidden too.
    assert data.value("nationality", "SD") == HIDDEN_LABEL
    with pytest.raises(KeyError):
        data.value("nationality", "ML")  # nobody supported in the period
    assert data.value("territory", "BE") == "<5"
    assert data.value("territory", "FR") == HIDDEN_LABEL  # 11: the total minus it would give BE
    assert data.value("cross_border", "persons") == "<5"
    assert data.value("services", "ambassadors") == "<5"
    assert data.value("services", "consultations") == 0
    # No cell anywhere holds a count between 1 and 4.
    for section in data.sections:
        for row in section.rows:
            assert row.value in ("<5", HIDDEN_LABEL) or row.value == 0 or row.value >= 5, (section.key, row.key)


def test_age_bands_at_their_edges():
    start = date(2026, 3, 1)
    born = {
        "17": PersonFactory(birth_year=None, birth_date=date(2008, 3, 2)),
        "18": PersonFactory(birth_year=None, birth_date=date(2008, 3, 1)),
        "29": PersonFactory(birth_year=None, birth_date=date(1996, 3, 2)),
        "30": PersonFactory(birth_year=None, birth_date=date(1996, 3, 1)),
        "54": PersonFactory(birth_year=None, birth_date=date(1971, 3, 2)),
        "55": PersonFactory(birth_year=None, birth_date=date(1971, 3, 1)),
        "y17": PersonFactory(birth_year=2009),
        "y18": PersonFactory(birth_year=2008),
        "y55": PersonFactory(birth_year=1971),
        "none": PersonFactory(birth_year=None),
    }
    bands = age_band_filters(start)
    members = {key: set(Person.objects.filter(q).values_list("pk", flat=True)) for key, q in bands.items()}
    expected = {
        "under_18": {"17", "y17"},
        "18_29": {"18", "29", "y18"},
        "30_54": {"30", "54"},
        "55_plus": {"55", "y55"},
        "unknown": {"none"},
    }
    for band, names in expected.items():
        assert members[band] == {born[n].pk for n in names}, band
        # The database agrees with the Python rule on each person's age.
        for n in names:
            age = born[n].age_on(start)
            assert (age is None) == (band == "unknown")


def test_a_coordinator_counts_only_their_teams(world):
    fr, be = world
    coordinator = make_user_with_role(Role.COORDINATOR, team=be)
    data = indicators(user=coordinator, period=PERIOD)
    assert data.teams == [be]
    assert data.value("participants", "total") == "<5"
    assert data.value("territory", "FR") == 0


def test_the_page_shows_the_cells(client, world):
    fr, _be = world
    client.force_login(make_user_with_role(Role.COORDINATOR, team=fr))
    response = client.get(reverse("reports:indicators"), {**PERIOD.as_query()})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-row="total"><th scope="row" class="fw-normal">' in body
    assert "&lt;5" in body


def _period_moment():
    return timezone.make_aware(datetime.combine(PERIOD.start, time(10)))


def test_the_csv_export_keeps_the_small_cells_hidden_and_is_audited(client, world):
    fr, _be = world
    coordinator = make_user_with_role(Role.COORDINATOR, team=fr)
    client.force_login(coordinator)
    response = client.get(reverse("reports:indicators_export", args=["csv"]), PERIOD.as_query())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    values = [row[2] for row in rows[4:]]  # after the header, the period, the teams and the "as of" line
    assert "<5" in values and str(HIDDEN_LABEL) in values
    assert all(v in ("<5", str(HIDDEN_LABEL)) or int(v) == 0 or int(v) >= 5 for v in values)
    event = AuditEvent.objects.get(action="export.indicators")
    assert event.actor == coordinator
    assert "format=csv" in event.detail and "from=2026-03-01" in event.detail and "rows=" in event.detail


def test_the_xlsx_export(client, world, django_capture_on_commit_callbacks):
    client.force_login(make_user_with_role(Role.ADMIN))
    # All the teams: prepared by a task (run at once in the tests), then downloaded.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:indicators_export", args=["xlsx"]), PERIOD.as_query())
    assert response.status_code == 200 and not response.streaming  # the page of the file being prepared
    job = ReportJob.objects.get(requested_by__username="admin-user").code
    response = client.get(reverse("reports:job_download", args=[job]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "&lt;5" in sheet
    assert AuditEvent.objects.filter(action="export.indicators", detail__contains="format=xlsx").exists()


def test_an_unknown_format_is_not_found(client, world):
    client.force_login(make_user_with_role(Role.ADMIN))
    assert client.get(reverse("reports:indicators_export", args=["pdf"])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


@pytest.mark.parametrize("role", ["psychologist", "social_worker", "ambassador", "interpreter", "referrer"])
def test_other_roles_get_nothing_but_404(client, world, role):
    fr, _be = world
    client.force_login(
        make_user_with_role(role, team=fr)
        if role in ("psychologist", "social_worker", "ambassador")
        else make_user_with_role(role)
    )
    for url in (reverse("reports:indicators"), reverse("reports:indicators_export", args=["csv"])):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_indicators_query_count_does_not_grow_with_the_rows(client, teams):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integrapsy.reports.tests.factories import populate

    fr, _be = teams
    client.force_login(make_user_with_role(Role.COORDINATOR, team=fr))
    populate(fr, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reports:indicators")).status_code == 200
    populate(fr, 29)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("reports:indicators")).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_nationalities_are_counted_by_code_and_named_in_the_readers_language(teams):
    from django.utils import translation

    fr, _be = teams
    for _ in range(6):
        _person(fr, nationality="ER")
    for _ in range(5):
        _person(fr, nationality="")  # not recorded, or still to resolve: not known
    for _ in range(5):
        _person(fr, nationality="ZZ")
    services.facts_refresh()
    admin = make_user_with_role(Role.ADMIN)
    with translation.override("nl"):
        data = indicators(user=admin, period=PERIOD)
    rows = {r.key: r for r in next(s for s in data.sections if s.key == "nationality").rows}
    assert set(rows) == {"ER", "ZZ"}
    assert rows["ER"].value == 6 and rows["ER"].label == "Eritrea"
    assert rows["ZZ"].value == 10
    with translation.override("fr"):
        data = indicators(user=admin, period=PERIOD)
    assert next(r for s in data.sections if s.key == "nationality" for r in s.rows if r.key == "ER").label == "Érythrée"


def test_the_xlsx_and_csv_show_the_second_hidden_cell(client, world):
    fr, _be = world
    client.force_login(make_user_with_role(Role.COORDINATOR, team=fr))
    response = client.get(reverse("reports:indicators_export", args=["xlsx"]), PERIOD.as_query())
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in archive.namelist() else ""
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "&lt;5" in sheet + strings
    assert str(HIDDEN_LABEL) in sheet + strings


def _sheet_names(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content), read_only=True).sheetnames


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_sheets_are_named_in_the_readers_language(
    client, world, settings, django_capture_on_commit_callbacks, language
):
    from django.utils import translation

    fr, _be = world
    client.force_login(make_user_with_role(Role.COORDINATOR, team=fr))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        expected = translation.gettext("Indicators")
    response = client.get(reverse("reports:indicators_export", args=["xlsx"]), PERIOD.as_query())
    assert _sheet_names(b"".join(response.streaming_content)) == [expected]
    # Prepared in the background (every team, for the administrator): the same name.
    client.force_login(make_user_with_role(Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:indicators_export", args=["xlsx"]), PERIOD.as_query())
    job = ReportJob.objects.get(requested_by__username="admin-user").code
    response = client.get(reverse("reports:job_download", args=[job]))
    assert _sheet_names(b"".join(response.streaming_content)) == [expected]
    if language == "fr":
        assert expected == "Indicateurs"
