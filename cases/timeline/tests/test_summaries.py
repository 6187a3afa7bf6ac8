"""Timeline summaries written when shown: in the reader's language and date format, from the event's data."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.case_file import services as case_services
from cases.models import Case, ConsentRecord, TimelineEvent
from cases.permanences import services as permanence_services
from cases.tests.factories import CaseFactory, PermanenceSessionFactory, consent
from cases.tests.helpers import count_queries
from cases.timeline.kinds import EVENT_KINDS, summary_of
from cases.timeline.record import timeline_record

pytestmark = pytest.mark.django_db


def _timeline(client, settings, case, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _summaries(client, settings, case, language: str) -> list[str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return [row["summary"] for row in client.get(reverse("cases:detail", args=[case.reference])).context["events"]]


def test_a_summary_written_in_french_reads_in_english_and_dutch(client, settings, psychologist, team):
    case = CaseFactory(team=team, status=Case.Status.OPEN)
    with translation.override("fr"):  # written by a French-speaking coordinator
        case_services.case_update(
            case=case, actor=psychologist, status=Case.Status.ON_HOLD, lead_psychologist=None, members=[]
        )
    client.force_login(psychologist)
    for language in ("en", "nl", "fr"):
        with translation.override(language):
            expected = translation.gettext("status: %(status)s") % {"status": Case.Status.ON_HOLD.label}
        assert _summaries(client, settings, case, language) == [expected]
    assert _summaries(client, settings, case, "en") == ["status: Follow-up"] or Case.Status.ON_HOLD.label != "Follow-up"


def test_labels_of_choices_follow_the_reader(client, settings, psychologist, team):
    case = CaseFactory(team=team)
    with translation.override("fr"):
        consent(case.person, psychologist)
    client.force_login(psychologist)
    with translation.override("en"):
        english = f"{ConsentRecord.Purpose.SHARING.label} — yes"
    assert english == "Sharing with another team or service — yes"
    assert _summaries(client, settings, case, "en") == [english]


def test_dates_are_written_in_the_readers_format(client, settings, coordinator, team):
    session = PermanenceSessionFactory(team=team, date=date(2027, 12, 1))
    case = CaseFactory(team=team)
    slot = session.slots.order_by("start_time")[1]  # 09:45
    with translation.override("en"):  # written on an English page: the stored text holds 12/01/2027 before
        permanence_services.permanence_slot_book(slot=slot, actor=coordinator, case=case)
    client.force_login(coordinator)
    assert _summaries(client, settings, case, "en") == ["CAES Croisilles — 01/12/2027 09:45"]
    assert _summaries(client, settings, case, "nl") == ["CAES Croisilles — 1-12-2027 09:45"]
    assert _summaries(client, settings, case, "fr") == ["CAES Croisilles — 01/12/2027 09:45"]


def test_an_event_recorded_before_shows_its_stored_text(client, settings, psychologist, team):
    case = CaseFactory(team=team)
    # Old rows: no data, or data without the pieces a summary needs (an erased event has none).
    timeline_record(case=case, kind="case.updated", actor=psychologist, summary="statut : En suivi")
    timeline_record(
        case=case, kind="consent.recorded", actor=psychologist, summary="Ancien", data={"purpose": "gone", "given": 1}
    )
    timeline_record(
        case=case,
        kind="permanence.booked",
        actor=psychologist,
        summary="Lieu — 01/12/2026 09:00",
        data={"session": "x"},
    )
    client.force_login(psychologist)
    assert sorted(_summaries(client, settings, case, "en")) == sorted(
        ["statut : En suivi", "Ancien", "Lieu — 01/12/2026 09:00"]
    )


@pytest.mark.parametrize("kind", sorted(k for k, entry in EVENT_KINDS.items() if entry.summary))
@pytest.mark.parametrize("data", [{}, {"unexpected": 1}, {"when": None, "status": "nope", "changes": [["x"]]}])
def test_no_data_breaks_the_page(kind, data):
    event = TimelineEvent(kind=kind, summary="stored", data=data)
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            assert isinstance(summary_of(event), str)


def test_the_timeline_costs_the_same_queries_for_1_and_30_written_out_events(client, coordinator, team):
    case = CaseFactory(team=team)
    session = PermanenceSessionFactory(team=team, date=timezone.localdate() + timedelta(days=3))
    slots = list(session.slots.order_by("start_time"))

    def add(i):
        when = timezone.make_aware(datetime.combine(date(2027, 1, 1), time(9))) - timedelta(minutes=i)
        timeline_record(
            case=case,
            kind="permanence.booked",
            actor=coordinator,
            summary="stored",
            occurred_at=when,
            data={"when": {"place": "CAES Croisilles", "day": "2027-01-01", "at": "09:00"}},
        )
        timeline_record(
            case=case,
            kind="booking.confirmed",
            actor=coordinator,
            summary="stored",
            occurred_at=when,
            data={
                "language": {"fr": "tigrigna", "nl": "Tigrinya", "en": "Tigrinya"},
                "mode": "on_site",
                "starts_at": when.isoformat(),
                "interpreter": "Yonas Haile",
                "on_behalf": True,
            },
        )

    permanence_services.permanence_slot_book(slot=slots[0], actor=coordinator, case=case)
    add(0)
    client.force_login(coordinator)
    url = reverse("cases:detail", args=[case.reference])
    one = count_queries(client, url)
    for i in range(1, 15):
        add(i)
    assert count_queries(client, url) == one
    rows = client.get(url).context["events"]
    assert len(rows) == 30 and all(row["summary"] != "stored" for row in rows)


def test_why_a_risk_flag_was_raised_reads_in_the_clinicians_language(client, settings, psychologist, team):
    from cases.models import RiskFlag
    from cases.risk import services as risk_services

    case = CaseFactory(team=team)
    with translation.override("fr"):
        risk_services.risk_flag_raise(
            case=case,
            source=RiskFlag.Source.SCREENING,
            reason_data={"why": "text", "texts": {"fr": "Item 9 (fr)", "nl": "Vraag 9 (nl)", "en": "Item 9 (en)"}},
            actor=psychologist,
        )
        risk_services.risk_flag_raise(
            case=case,
            source=RiskFlag.Source.CONSULTATION,
            reason_data={"why": "consultation_suicidal", "day": "2027-12-01"},
            actor=psychologist,
        )
    client.force_login(psychologist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    rows = client.get(reverse("cases:detail", args=[case.reference])).context["events"]
    details = [r["summary"] for r in rows if r["event"].kind == "risk.raised_detail"]
    with translation.override("nl"):
        day = translation.gettext("Suicidal thoughts recorded in the consultation of %(day)s") % {"day": "1-12-2027"}
    assert details == [day, "Vraag 9 (nl)"]
    assert _summaries(client, settings, case, "en")[:2] == [
        "Suicidal thoughts recorded in the consultation of 01/12/2027",
        "Item 9 (en)",
    ]
