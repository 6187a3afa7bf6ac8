import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.case_file import services as case_services
from cases.models import Case, Person, TimelineEvent
from cases.tests.factories import CaseFactory, PersonFactory, ReferralFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.tests.erasure import anonymise, export_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Équipe A")


@pytest.fixture
def admin():
    return make_user_with_role(Role.ADMIN)


@pytest.fixture
def followed(team):
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    case = CaseFactory(
        team=team, person=PersonFactory(first_name="Hewan", last_name="Kidane", phone="+33 6 11 22 33 44")
    )
    case_services.coordination_note_add(case=case, actor=coordinator, text="Rendez-vous avec Hewan mardi")
    return case, coordinator


def test_subject_access_holds_identity_timeline_and_accesses(client, admin, followed):
    case, coordinator = followed
    client.force_login(coordinator)
    client.get(reverse("cases:detail", args=[case.reference]))
    client.force_login(admin)
    html = client.get(reverse("cases:gdpr_subject_access", args=[case.person.code]), {"lang": "nl"}).content.decode()
    assert "Kidane" in html and "+33 6 11 22 33 44" in html
    assert "Rendez-vous avec Hewan mardi" in html
    assert case.reference in html
    assert coordinator.username in html  # who accessed the file
    assert 'lang="nl"' in html or "Identiteit" in html
    data = json.loads(client.get(reverse("cases:gdpr_subject_access_json", args=[case.person.code])).content)
    assert {s["key"] for s in data["sections"]} >= {
        "identity",
        "consents",
        "referrals",
        "cases",
        "timeline",
        "accesses",
    }
    assert AuditEvent.objects.filter(action="export.subject_access", actor=admin).count() == 2


def test_erasure_blanks_identity_but_keeps_counts(client, admin, followed):
    case, coordinator = followed
    ReferralFactory(team=case.team, person=case.person, case=case, status="accepted", first_name="Hewan")
    case_services.case_close(case=case, actor=coordinator, reason="fin")
    client.force_login(admin)
    response = anonymise(client, case.person, "Demande du 3 mars")
    assert response.status_code == 302
    person = Person.objects.get(pk=case.person.pk)
    assert person.first_name == "—" and person.last_name == "" and person.phone == ""
    assert person.birth_year == 1995 and person.nationality  # kept for the indicators
    assert Case.objects.filter(person=person).count() == 1
    assert not TimelineEvent.objects.filter(summary__icontains="Hewan").exists()
    assert not case.referrals.filter(first_name="Hewan").exists()
    assert AuditEvent.objects.filter(action="person.anonymised", detail="Demande du 3 mars").exists()


def test_erasure_is_refused_while_a_case_is_open(client, admin, followed):
    case, _ = followed
    client.force_login(admin)
    response = anonymise(client, case.person, "Demande")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Person.objects.get(pk=case.person.pk).last_name == "Kidane"


def test_retention_dry_run_then_real_run_never_touching_open_cases(team):
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    old = CaseFactory(team=team, opened_on=timezone.localdate() - timedelta(days=4000))
    case_services.case_close(
        case=old, actor=coordinator, reason="fin", closed_on=timezone.localdate() - timedelta(days=3000)
    )
    recent = CaseFactory(team=team)
    case_services.case_close(case=recent, actor=coordinator, reason="fin")
    still_open = CaseFactory(team=team, opened_on=timezone.localdate() - timedelta(days=4000))
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"person {old.person.code}" in out.getvalue()
    assert str(recent.person.code) not in out.getvalue()
    assert str(still_open.person.code) not in out.getvalue()
    assert Person.objects.get(pk=old.person.pk).first_name != "—"  # dry run changed nothing
    call_command("apply_retention", stdout=StringIO())
    assert Person.objects.get(pk=old.person.pk).first_name == "—"
    assert Person.objects.get(pk=recent.person.pk).first_name != "—"
    assert Person.objects.get(pk=still_open.person.pk).first_name != "—"


def test_audit_log_is_kept_at_least_six_months(settings):
    from integrapsy.audit.services import audit_record

    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "audit_log": 0.1}
    event = audit_record(action="case.viewed")
    AuditEvent.objects.filter(pk=event.pk).redact_for_erasure(occurred_at=timezone.now() - timedelta(days=100))
    call_command("apply_retention", stdout=StringIO())
    assert AuditEvent.objects.filter(pk=event.pk).exists()  # 100 days < 6 months
    AuditEvent.objects.filter(pk=event.pk).redact_for_erasure(occurred_at=timezone.now() - timedelta(days=200))
    call_command("apply_retention", stdout=StringIO())
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_categories_list_every_role(client, admin):
    client.force_login(admin)
    rows = client.get(reverse("staff_categories")).context["rows"]
    assert len(rows) == len(Role)
    assert {r["role"] for r in rows if r["health_data"]} == {
        Role.PSYCHOLOGIST.label,
        Role.COORDINATOR.label,
        Role.SOCIAL_WORKER.label,
        Role.ADMIN.label,
    }


# --- The clinical records of the cases ----------------------------------------------------

SECRETS = {
    "consultation": "Saba raconte le passage en mer",
    "next_steps": "Revoir Saba dans quinze jours",
    "addendum": "Complément: Saba dort mieux",
    "helper": "Madame Ghebremeskel voisine",
    "orientation": "Orientation de Saba vers le CMP",
    "sent": "Courrier pour Saba au CMP",
    "outcome": "Saba a vu le psychiatre",
    "flag": "Saba évoque des idées noires",
    "factors": "Saba: facteurs de protection, sa soeur",
    "actions": "Plan de sécurité rédigé avec Saba",
    "plan": "Appeler la soeur de Saba",
    "permanence": "Saba vient avec son fils",
    "slot_request": "Saba préfère le matin",
    "slot_declined": "Plus de place pour Saba ce mardi",
}


@pytest.fixture
def clinical(team):
    from cases.models import ConsultationAddendum, OrientationOutcome, RiskFlag, SafetyPlan
    from cases.tests.factories import (
        ActivitySessionFactory,
        ConsultationFactory,
        EnrolmentFactory,
        OrientationFactory,
        PermanenceBookingFactory,
        RiskAssessmentFactory,
        ScreeningFactory,
    )

    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    case = CaseFactory(team=team, person=PersonFactory(first_name="Saba", last_name="Ghebremeskel"))
    consultation = ConsultationFactory(
        case=case, psychologist=psychologist, notes=SECRETS["consultation"], next_steps=SECRETS["next_steps"]
    )
    ConsultationAddendum.objects.create(consultation=consultation, author=psychologist, text=SECRETS["addendum"])
    ScreeningFactory(case=case, administered_by=psychologist, helper_kind="other", helper_name=SECRETS["helper"])
    orientation = OrientationFactory(case=case, reason=SECRETS["orientation"], what_was_sent=SECRETS["sent"])
    OrientationOutcome.objects.create(
        orientation=orientation, status="appointment_set", on=timezone.localdate(), note=SECRETS["outcome"]
    )
    flag = RiskFlag.objects.create(case=case, source="consultation", reason=SECRETS["flag"], raised_at=timezone.now())
    assessment = RiskAssessmentFactory(
        case=case, flag=flag, level="moderate", factors=SECRETS["factors"], actions_taken=SECRETS["actions"]
    )
    SafetyPlan.objects.create(assessment=assessment, people_to_ask=SECRETS["plan"])
    booking = PermanenceBookingFactory(case=case, person=case.person, note=SECRETS["permanence"], session__team=team)
    from cases.tests.factories import SlotRequestFactory

    SlotRequestFactory(
        referral=ReferralFactory(team=team, person=case.person, case=case, status="accepted"),
        slot=booking.session.slots.last(),
        note=SECRETS["slot_request"],
        status="declined",
        decline_reason=SECRETS["slot_declined"],
    )
    enrolment = EnrolmentFactory(
        case=case, activity__team=team, activity__title="Atelier photo", enrolled_at=timezone.now()
    )
    session = ActivitySessionFactory(activity=enrolment.activity)
    from cases.models import Attendance

    Attendance.objects.create(session=session, enrolment=enrolment, present=True, recorded_by=coordinator)
    return case, coordinator


def test_subject_access_holds_the_clinical_records(client, admin, clinical):
    from cases.models import Screening

    case, _ = clinical
    client.force_login(admin)
    sections = export_sections(client, case.person)
    assert SECRETS["consultation"] in sections["consultations"]
    assert SECRETS["next_steps"] in sections["consultations"]
    assert SECRETS["addendum"] in sections["consultations"]
    assert Screening.objects.get(case=case).instrument.name in sections["screenings"]
    assert "mild" in sections["screenings"] and " 8" in sections["screenings"]
    assert "1=1" in sections["screenings"] and SECRETS["helper"] in sections["screenings"]
    assert SECRETS["orientation"] in sections["orientations"] and SECRETS["outcome"] in sections["orientations"]
    assert "Cabinet de psychologie" in sections["orientations"]
    for text in ("flag", "factors", "actions", "plan"):
        assert SECRETS[text] in sections["risk"], text
    assert SECRETS["permanence"] in sections["permanences"] and "CAES Croisilles" in sections["permanences"]
    assert SECRETS["slot_request"] in sections["permanences"] and SECRETS["slot_declined"] in sections["permanences"]
    assert sections["activities"].count("Atelier photo") == 2  # the enrolment and one session attended
    html = client.get(reverse("cases:gdpr_subject_access", args=[case.person.code])).content.decode()
    assert SECRETS["addendum"] in html and SECRETS["plan"] in html


def test_erasure_leaves_no_clinical_free_text_but_keeps_what_is_counted(client, admin, clinical):
    from cases.models import Consultation, Enrolment, PermanenceBooking, RiskAssessment, Screening
    from integrapsy.tests.erasure import rows_containing

    case, coordinator = clinical
    case_services.case_close(case=case, actor=coordinator, reason="Saba est partie à Lyon")
    assert len(rows_containing(*SECRETS.values())) >= len(SECRETS)  # the check sees them before
    client.force_login(admin)
    response = anonymise(client, case.person)
    assert response.status_code == 302
    sections = export_sections(client, case.person)
    exported = " ".join(sections.values())
    for text in [*SECRETS.values(), "Saba", "Ghebremeskel"]:
        assert text not in exported, text
    assert rows_containing(*SECRETS.values(), "Saba", "Ghebremeskel") == []
    # Dates, kinds, levels and scores stay for the indicators.
    consultation = Consultation.objects.get(case=case)
    assert consultation.presenting_problems == ["anxiety"] and consultation.duration_minutes == 45
    screening = Screening.objects.get(case=case)
    assert (screening.total, screening.band) == (8, "mild")
    assert RiskAssessment.objects.get(case=case).level == "moderate"
    assert PermanenceBooking.objects.filter(case=case).count() == 1
    assert Enrolment.objects.get(case=case).attendances.count() == 1
    assert sections["consultations"] and sections["risk"] and sections["activities"]


def test_retention_blanks_declined_referrals_and_the_notes_of_their_slot_requests(team):
    from cases.models import Referral, SlotRequest
    from cases.tests.factories import SlotRequestFactory

    old = ReferralFactory(
        team=team,
        first_name="Meron",
        status=Referral.Status.DECLINED,
        decline_reason="Suivie ailleurs",
        decided_at=timezone.now() - timedelta(days=800),
    )
    request = SlotRequestFactory(
        referral=old, note="Meron vient avec sa tante", status="declined", decline_reason="Suivie ailleurs"
    )
    call_command("apply_retention", stdout=StringIO())
    assert Referral.objects.get(pk=old.pk).first_name == "—"
    assert SlotRequest.objects.get(pk=request.pk).note == ""
