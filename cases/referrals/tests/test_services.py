from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.case_file import selectors as case_selectors
from cases.case_file import services as case_services
from cases.models import Case, ConsentRecord, Person, Referral, RiskFlag, TimelineEvent
from cases.persons import selectors as person_selectors
from cases.persons import services as person_services
from cases.referrals import selectors, services
from cases.tests.factories import CaseFactory, LocationFactory, PersonFactory, consent
from cases.timeline.record import timeline_record
from integrapsy.accounts.models import Country, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.audit.models import AppendOnlyError, AuditEvent
from integrapsy.notifications.testing import mailed_to
from integrapsy.tests.concurrency import at_once


@pytest.fixture
def team(db):
    return TeamFactory(name="IntegraPsy Hauts-de-France", contact_email="team@example.org")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, email="coord@example.org")


@pytest.fixture
def psychologist(team):
    return make_user_with_role(Role.PSYCHOLOGIST, team=team)


@pytest.fixture
def referrer(db):
    org = OrganisationFactory(name="CAES Croisilles", contact_email="caes@example.org")
    return make_user_with_role(Role.REFERRER, organisation=org, email="ref@example.org")


def submit(referrer, team, **overrides):
    data = {
        "first_name": "Yonas",
        "last_name": "Tesfamariam",
        "reasons": ["anxiety"],
        "urgency": "routine",
        "consent_given": True,
        "consent_date": timezone.localdate(),
        "consent_method": "oral",
    }
    data.update(overrides)
    return services.referral_submit(actor=referrer, team=team, **data)


class TestReferralSubmit:
    def test_it_records_the_referral_for_the_referrers_organisation(self, referrer, team):
        referral = submit(referrer, team)
        assert referral.organisation == referrer.organisation
        assert referral.status == Referral.Status.SUBMITTED
        assert referral.reference.startswith(f"OR-{timezone.localdate().year}-")
        assert not referral.alarm
        assert AuditEvent.objects.filter(action="referral.submitted", object_ref=str(referral.code)).exists()

    def test_it_refuses_a_referral_without_consent(self, referrer, team):
        with pytest.raises(ValidationError) as exc:
            submit(referrer, team, consent_given=False)
        assert "consent_given" in exc.value.error_dict
        assert Referral.objects.count() == 0

    @pytest.mark.parametrize(
        ("field", "overrides"),
        [
            ("reasons", {"reasons": []}),
            ("birth_date", {"birth_date": lambda: timezone.localdate() + timedelta(days=1)}),
            ("reason_other", {"reasons": ["other"], "reason_other": ""}),
            ("interpreter_language", {"interpreter_needed": True}),
            ("consent_date", {"consent_date": lambda: timezone.localdate() + timedelta(days=2)}),
            ("phone", {"phone": "call me maybe"}),
            ("first_name", {"first_name": "x" * 500}),
        ],
    )
    def test_bad_input_names_the_field_and_saves_nothing(self, referrer, team, field, overrides):
        # A date is worked out when the test runs (not when it is collected: a day may turn between).
        overrides = {name: value() if callable(value) else value for name, value in overrides.items()}
        with pytest.raises(ValidationError) as exc:
            submit(referrer, team, **overrides)
        assert field in exc.value.error_dict
        assert Referral.objects.count() == 0

    def test_suicidal_thoughts_alert_the_coordinators(
        self, referrer, team, coordinator, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            referral = submit(referrer, team, reasons=["suicidal_thoughts"])
        assert referral.alarm
        assert len(mail.outbox) == 2  # one email per recipient
        assert mailed_to() == {"coord@example.org", "team@example.org"}
        assert all("Yonas" not in m.body for m in mail.outbox)  # no identity in the email
        assert selectors.urgent_referrals_untaken(user=coordinator) == [referral]

    def test_only_referrers_may_submit(self, coordinator, team):
        with pytest.raises(ValidationError):
            submit(coordinator, team)


class TestReferralTeam:
    """The team a referral goes to: the place's team, else the team of the referrer's country."""

    def test_the_team_of_the_place_where_the_person_lives(self, referrer, team):
        belgian = TeamFactory(name="IntegraPsy Wallonie picarde", country=Country.BELGIUM)
        place = LocationFactory(team=belgian)
        assert selectors.referral_team(user=referrer, location=place) == belgian

    def test_without_a_place_the_team_of_the_referrers_country(self, referrer, team):
        belgian = TeamFactory(name="IntegraPsy Wallonie picarde", country=Country.BELGIUM)
        assert selectors.referral_team(user=referrer) == team
        referrer.organisation.country = Country.BELGIUM
        referrer.organisation.save()
        assert selectors.referral_team(user=referrer) == belgian

    def test_the_service_sends_it_there_when_no_team_is_given(self, referrer, team):
        belgian = TeamFactory(name="IntegraPsy Wallonie picarde", country=Country.BELGIUM)
        assert submit(referrer, None, location=LocationFactory(team=belgian)).team == belgian
        assert submit(referrer, None).team == team


class TestTriage:
    def test_accept_creates_person_case_and_timeline(self, referrer, team, coordinator, psychologist):
        referral = submit(referrer, team, reasons=["trauma"], birth_year=1998)
        case = services.referral_accept(referral=referral, actor=coordinator, lead_psychologist=psychologist)
        referral.refresh_from_db()
        assert referral.status == Referral.Status.ACCEPTED
        assert referral.case == case and referral.person == case.person
        assert case.reference.startswith("IP-")
        assert case.lead_psychologist == psychologist
        assert case.person.first_name_key == "yns"
        kinds = list(case.timeline_events.order_by("occurred_at", "id").values_list("kind", flat=True))
        assert kinds[:3] == ["case.opened", "consent.recorded", "referral.submitted"] or set(kinds) >= {
            "case.opened",
            "referral.submitted",
            "referral.accepted",
        }
        assert case.person.consents.get().purpose == ConsentRecord.Purpose.REFERRAL

    def test_accept_attaches_to_the_open_case_of_a_known_person(self, referrer, team, coordinator):
        case = CaseFactory(team=team)
        referral = submit(referrer, team, first_name=case.person.first_name, last_name=case.person.last_name)
        again = services.referral_accept(referral=referral, actor=coordinator, person=case.person)
        assert again == case
        assert Case.objects.count() == 1

    def test_accept_with_suicidal_thoughts_raises_the_risk_flag(self, referrer, team, coordinator):
        referral = submit(referrer, team, reasons=["suicidal_thoughts"])
        case = services.referral_accept(referral=referral, actor=coordinator)
        flag = case.risk_flags.get()
        assert flag.is_open and flag.source == RiskFlag.Source.REFERRAL
        detail = case.timeline_events.get(kind="risk.raised_detail")
        assert detail.visibility == "clinical"
        assert case.timeline_events.get(kind="risk.raised").visibility == "team"

    def test_accepting_twice_is_refused(self, referrer, team, coordinator):
        referral = submit(referrer, team)
        services.referral_accept(referral=referral, actor=coordinator)
        with pytest.raises(ValidationError):
            services.referral_accept(referral=referral, actor=coordinator)
        assert Case.objects.count() == 1

    def test_the_first_contact_is_recorded_and_the_referrer_told(
        self, referrer, team, coordinator, django_capture_on_commit_callbacks
    ):
        referral = submit(referrer, team)
        services.referral_accept(referral=referral, actor=coordinator)
        referral = selectors.referral_get_for_team(user=coordinator, code=referral.code)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_record_first_contact(referral=referral, actor=coordinator, on=timezone.localdate())
        referral.refresh_from_db()
        assert referral.first_contact_on == timezone.localdate()
        assert AuditEvent.objects.filter(action="referral.first_contact", object_ref=str(referral.code)).exists()
        assert mailed_to() == {"caes@example.org", "ref@example.org"}

    def test_a_first_contact_needs_an_accepted_referral_and_a_date_since_it(self, referrer, team, coordinator):
        referral = submit(referrer, team)
        with pytest.raises(ValidationError) as exc:
            services.referral_record_first_contact(referral=referral, actor=coordinator, on=timezone.localdate())
        assert not hasattr(exc.value, "error_dict")  # the referral's state, not a field
        services.referral_accept(referral=referral, actor=coordinator)
        for day in (timezone.localdate() + timedelta(days=1), referral.received_at.date() - timedelta(days=1)):
            with pytest.raises(ValidationError) as exc:
                services.referral_record_first_contact(referral=referral, actor=coordinator, on=day)
            assert "on" in exc.value.error_dict
        referral.refresh_from_db()
        assert referral.first_contact_on is None
        assert not AuditEvent.objects.filter(action="referral.first_contact").exists()

    def test_the_first_contact_is_compared_with_the_local_day_the_referral_came(self, referrer, team, coordinator):
        # Received at 00:30 in Paris on 10 June: still 9 June in UTC.
        referral = submit(referrer, team)
        services.referral_accept(referral=referral, actor=coordinator)
        received = datetime(2026, 6, 10, 0, 30, tzinfo=ZoneInfo("Europe/Paris"))
        Referral.objects.filter(pk=referral.pk).update(received_at=received)
        referral.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            services.referral_record_first_contact(referral=referral, actor=coordinator, on=date(2026, 6, 9))
        assert "on" in exc.value.error_dict
        services.referral_record_first_contact(referral=referral, actor=coordinator, on=date(2026, 6, 10))
        referral.refresh_from_db()
        assert referral.first_contact_on == date(2026, 6, 10)

    def test_decline_needs_a_reason_and_emails_the_referrer(
        self, referrer, team, coordinator, django_capture_on_commit_callbacks
    ):
        referral = submit(referrer, team)
        with pytest.raises(ValidationError):
            services.referral_decline(referral=referral, actor=coordinator, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_decline(referral=referral, actor=coordinator, reason="Déjà suivi ailleurs")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.DECLINED
        assert referral.decline_reason == "Déjà suivi ailleurs"
        assert {a for m in mail.outbox[-2:] for a in m.to} == {"caes@example.org", "ref@example.org"}

    def test_ask_and_answer(self, referrer, team, coordinator):
        referral = submit(referrer, team)
        services.referral_request_info(referral=referral, actor=coordinator, question="Quelles disponibilités ?")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.INFO_REQUESTED
        services.referral_answer_info(referral=referral, actor=referrer, answer="Le matin.")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SUBMITTED
        assert referral.info_response == "Le matin."
        with pytest.raises(ValidationError):
            services.referral_answer_info(referral=referral, actor=referrer, answer="Encore")

    def test_take_removes_the_banner_for_everyone(self, referrer, team, coordinator):
        other = make_user_with_role(Role.COORDINATOR, team=team, username="coord2")
        referral = submit(referrer, team, urgency="urgent")
        services.referral_take(referral=referral, actor=coordinator)
        assert selectors.urgent_referrals_untaken(user=other) == []


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_at_once_open_one_case(referrer, team, coordinator):
    other = make_user_with_role(Role.COORDINATOR, team=team, username="coord-b")
    referral = submit(referrer, team)

    def accept(user):
        services.referral_accept(referral=Referral.objects.get(pk=referral.pk), actor=user)
        return "ok"

    outcomes = at_once(accept, [(coordinator,), (other,)])
    said = ["refused" if isinstance(o, ValidationError) else o if isinstance(o, str) else repr(o) for o in outcomes]
    assert sorted(said) == ["ok", "refused"]
    assert Case.objects.count() == 1
    assert Person.objects.count() == 1


class TestCases:
    def test_share_requires_consent_to_sharing(self, team, coordinator):
        case = CaseFactory(team=team)
        other = TeamFactory(name="IntegraPsy Wallonie picarde")
        with pytest.raises(ValidationError, match="consent"):
            case_services.case_share(case=case, team=other, actor=coordinator)
        consent(case.person, coordinator)
        case_services.case_share(case=case, team=other, actor=coordinator)
        assert case.timeline_events.filter(kind="case.shared").exists()
        psy_be = make_user_with_role(Role.PSYCHOLOGIST, team=other)
        assert case_selectors.case_get(user=psy_be, reference=case.reference) == case

    def test_withdrawn_consent_stops_sharing(self, team, coordinator):
        case = CaseFactory(team=team)
        for given in (True, False):
            consent(case.person, coordinator, given=given)
        with pytest.raises(ValidationError):
            case_services.case_share(case=case, team=TeamFactory(), actor=coordinator)

    def test_close_needs_a_reason_and_a_sane_date(self, team, coordinator):
        case = CaseFactory(team=team)
        with pytest.raises(ValidationError):
            case_services.case_close(case=case, actor=coordinator, reason="")
        with pytest.raises(ValidationError):
            case_services.case_close(
                case=case, actor=coordinator, reason="ok", closed_on=timezone.localdate() + timedelta(days=1)
            )
        case_services.case_close(case=case, actor=coordinator, reason="Suivi terminé")
        case.refresh_from_db()
        assert case.is_closed and case.closed_on == timezone.localdate()

    def test_one_open_case_per_person_and_team(self, team, coordinator):
        case = CaseFactory(team=team)
        with pytest.raises(ValidationError):
            case_services.case_open(person=case.person, team=team, actor=coordinator)

    def test_lead_psychologist_must_be_of_the_team(self, team, coordinator):
        outsider = make_user_with_role(Role.PSYCHOLOGIST, team=TeamFactory())
        with pytest.raises(ValidationError) as exc:
            case_services.case_open(person=PersonFactory(), team=team, actor=coordinator, lead_psychologist=outsider)
        assert "lead_psychologist" in exc.value.error_dict

    def test_note_goes_on_the_timeline(self, team, coordinator):
        case = CaseFactory(team=team)
        case_services.coordination_note_add(case=case, actor=coordinator, text="Rendez-vous mardi")
        event = case.timeline_events.get(kind="note.added")
        assert event.summary == "Rendez-vous mardi" and event.visibility == "team"

    def test_timeline_is_append_only(self, team, coordinator):
        case = CaseFactory(team=team)
        case_services.coordination_note_add(case=case, actor=coordinator, text="x")
        event = TimelineEvent.objects.get()
        with pytest.raises(AppendOnlyError):
            event.delete()
        with pytest.raises(AppendOnlyError):
            TimelineEvent.objects.all().delete()

    def test_unknown_timeline_kind_is_refused(self, team):
        with pytest.raises(ValueError):
            timeline_record(case=CaseFactory(team=team), kind="made.up")


class TestMerge:
    def test_merge_moves_all_history(self, referrer, team, coordinator):
        # Both records are followed by the coordinator's team (one case closed, the other open).
        keep = CaseFactory(
            team=team,
            person=PersonFactory(first_name="Mohammed", last_name="Adam"),
            status=Case.Status.CLOSED,
            closed_on=timezone.localdate(),
        ).person
        dup_case = CaseFactory(team=team, person=PersonFactory(first_name="Muhammad", last_name="Adam"))
        dup = dup_case.person
        consent(dup, coordinator, "follow_up")
        person_services.person_merge(keep=keep, duplicate=dup, actor=coordinator)
        dup.refresh_from_db()
        dup_case.refresh_from_db()
        assert dup.merged_into == keep
        assert dup_case.person == keep
        assert keep.consents.count() == 1
        assert dup_case.timeline_events.filter(kind="person.merged").exists()

    def test_merge_refuses_two_open_cases_in_one_team(self, team, coordinator):
        a, b = CaseFactory(team=team), CaseFactory(team=team)
        with pytest.raises(ValidationError):
            person_services.person_merge(keep=a.person, duplicate=b.person, actor=coordinator)

    def test_duplicates_are_found_across_spellings(self, team, coordinator):
        known = CaseFactory(
            team=team, person=PersonFactory(first_name="Mohammed", last_name="Adam Ismail", birth_year=1995)
        ).person
        CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo"))
        hidden = CaseFactory(team=TeamFactory(), person=PersonFactory(first_name="Muhammad", last_name="Adam"))
        found = person_selectors.duplicate_candidates(
            user=coordinator, first_name="Muhammad", last_name="Adam Ismaïl", birth_year=1995
        )
        assert [s.person for s in found] == [known]
        assert found[0].score >= 80
        assert hidden.person not in [s.person for s in found]  # another team's person is not revealed


class TestAwaitedAnswer:
    """The referrer answers only what the team asked: their list and the status page show it, the service holds it."""

    def test_only_a_referral_with_a_question_awaits_an_answer(self, referrer, team, coordinator):
        referral = submit(referrer, team)
        assert not selectors.referral_awaits_answer(referral)
        services.referral_request_info(referral=referral, actor=coordinator, question="Quelle langue ?")
        referral.refresh_from_db()
        assert selectors.referral_awaits_answer(referral)
        assert [row["awaits_answer"] for row in selectors.referrer_rows(user=referrer)] == [True]
        services.referral_answer_info(referral=referral, actor=referrer, answer="Tigrinya")
        referral.refresh_from_db()
        assert not selectors.referral_awaits_answer(referral)
        with pytest.raises(ValidationError):
            services.referral_answer_info(referral=referral, actor=referrer, answer="Encore")


class TestAlarm:
    """An alarming referral shows the crisis lines to its referrer, and asks a coordinator to take it, until decided."""

    def test_an_urgent_referral_is_alarming_until_the_team_decides(self, referrer, team, coordinator):
        referral = submit(referrer, team, urgency="urgent")
        assert selectors.referral_is_alarming(referral) and selectors.referral_awaits_taker(referral)
        taken = services.referral_take(referral=referral, actor=coordinator)
        assert selectors.referral_is_alarming(taken) and not selectors.referral_awaits_taker(taken)
        services.referral_decline(referral=taken, actor=coordinator, reason="Hors secteur")
        taken.refresh_from_db()
        assert not selectors.referral_is_alarming(taken)

    def test_a_routine_referral_is_not(self, referrer, team):
        referral = submit(referrer, team)
        assert not selectors.referral_is_alarming(referral) and not selectors.referral_awaits_taker(referral)
