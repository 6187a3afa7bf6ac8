from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.consultations.services import (
    consultation_addendum_add,
    consultation_create,
    consultation_sign,
    consultation_update,
)
from cases.models import (
    Consultation,
    ConsultationAddendum,
    RiskAssessment,
    RiskFlag,
    SafetyPlan,
    TimelineEvent,
)
from cases.referrals.services import referral_accept
from cases.risk.services import risk_assessment_record
from cases.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

PLAN = {
    "warning_signs": "Ne dort plus, s'isole",
    "coping_strategies": "Marcher, musique",
    "people_and_places": "La mosquée, le terrain de foot",
    "people_to_ask": "Son cousin à Lille",
    "professionals": "Psychologue de l'équipe, 3114",
    "safe_environment": "Médicaments confiés à l'infirmière",
}


def _log(clinic, **overrides):
    fields = {
        "started_at": timezone.now() - timedelta(hours=2),
        "duration_minutes": 45,
        "mode": "in_person",
        "place": clinic.location,
        "kind": "follow_up",
        "interpreter": clinic.interpreter,
        "interpreter_language": clinic.tigrinya,
        "notes": "Il parle de cauchemars récurrents.",
        "presenting_problems": ["sleep", "trauma"],
        "next_steps": "Revoir dans 15 jours",
        "risk_level": "",
        **overrides,
    }
    return consultation_create(case=clinic.case, actor=clinic.psychologist, **fields)


def test_a_draft_is_not_on_the_timeline_until_signed(clinic):
    consultation = _log(clinic)
    assert consultation.status == Consultation.Status.DRAFT
    assert not TimelineEvent.objects.filter(kind__startswith="consultation.").exists()
    consultation_sign(consultation=consultation, actor=clinic.psychologist)
    consultation.refresh_from_db()
    assert consultation.is_signed and consultation.signed_at is not None
    team_event = TimelineEvent.objects.get(case=clinic.case, kind="consultation.logged")
    assert team_event.visibility == "team"
    assert team_event.summary.startswith("45 min")
    assert "Tigrinya" in team_event.summary
    assert "cauchemars" not in team_event.summary
    clinical = TimelineEvent.objects.get(case=clinic.case, kind="consultation.clinical")
    assert clinical.visibility == "clinical"


def test_a_signed_consultation_cannot_be_edited_only_completed(clinic):
    consultation = _log(clinic, sign=True)
    with pytest.raises(ValidationError, match="addendum"):
        consultation_update(consultation=consultation, actor=clinic.psychologist, notes="changé")
    consultation.refresh_from_db()
    assert consultation.notes == "Il parle de cauchemars récurrents."
    with pytest.raises(ValidationError):
        consultation_sign(consultation=consultation, actor=clinic.psychologist)
    addendum = consultation_addendum_add(
        consultation=consultation, actor=clinic.psychologist, text="Précision: cauchemars depuis l'été."
    )
    assert addendum.author == clinic.psychologist and addendum.created_at is not None
    event = TimelineEvent.objects.get(case=clinic.case, kind="consultation.addendum")
    assert event.visibility == "clinical"


def test_an_addendum_needs_text_and_a_signed_consultation(clinic):
    draft = _log(clinic)
    with pytest.raises(ValidationError):
        consultation_addendum_add(consultation=draft, actor=clinic.psychologist, text="x")
    consultation_sign(consultation=draft, actor=clinic.psychologist)
    with pytest.raises(ValidationError) as exc:
        consultation_addendum_add(consultation=draft, actor=clinic.psychologist, text="   ")
    assert "text" in exc.value.message_dict
    assert not ConsultationAddendum.objects.exists()


def test_a_draft_is_changed_by_its_author_only(clinic):
    draft = _log(clinic)
    consultation_update(consultation=draft, actor=clinic.psychologist, duration_minutes=60)
    draft.refresh_from_db()
    assert draft.duration_minutes == 60
    colleague = clinic.psychologist.__class__.objects.create(username="psy2")
    colleague.memberships.create(role="psychologist", team=clinic.team)
    with pytest.raises(ValidationError):
        consultation_update(consultation=draft, actor=colleague, duration_minutes=30)


def test_a_consultation_in_the_future_is_refused_beside_the_date(clinic):
    with pytest.raises(ValidationError) as exc:
        _log(clinic, started_at=timezone.now() + timedelta(days=1))
    assert "started_at" in exc.value.message_dict
    assert not Consultation.objects.exists()


def test_only_psychologists_of_the_team_log_consultations(clinic):
    for user in (clinic.social_worker, clinic.coordinator, clinic.other_psychologist):
        with pytest.raises(ValidationError):
            consultation_create(case=clinic.case, actor=user, started_at=timezone.now(), presenting_problems=[])
    assert not Consultation.objects.exists()


def test_who_was_present_must_hold_the_right_role(clinic):
    with pytest.raises(ValidationError) as exc:
        _log(
            clinic,
            interpreter=clinic.ambassador,
            ambassador=clinic.social_worker,
            social_worker=clinic.ambassador,
        )
    assert {"interpreter", "ambassador", "social_worker"} <= set(exc.value.message_dict)


def test_signing_with_suicidal_thoughts_raises_the_flag(clinic):
    draft = _log(clinic, presenting_problems=["suicidal_thoughts", "despair"])
    assert not RiskFlag.objects.exists()  # a draft raises nothing yet
    consultation_sign(consultation=draft, actor=clinic.psychologist)
    flag = RiskFlag.objects.get(case=clinic.case)
    assert flag.is_open and flag.source == RiskFlag.Source.CONSULTATION
    raised = TimelineEvent.objects.get(case=clinic.case, kind="risk.raised")
    assert raised.visibility == "team"
    detail = TimelineEvent.objects.get(case=clinic.case, kind="risk.raised_detail")
    assert detail.visibility == "clinical"


def test_a_high_risk_level_raises_the_flag_and_sets_the_case_level(clinic):
    _log(clinic, risk_level="high", sign=True)
    clinic.case.refresh_from_db()
    assert clinic.case.risk_level == "high"
    assert RiskFlag.objects.filter(case=clinic.case, acknowledged_at__isnull=True).exists()


def test_a_second_alarm_joins_the_open_flag(clinic):
    _log(clinic, presenting_problems=["suicidal_thoughts"], sign=True)
    _log(clinic, presenting_problems=["suicidal_thoughts"], sign=True)
    assert RiskFlag.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="risk.raised").count() == 1
    assert TimelineEvent.objects.filter(kind="risk.raised_detail").count() == 2


def test_an_assessment_with_a_safety_plan_acknowledges_the_flag(clinic):
    _log(clinic, presenting_problems=["suicidal_thoughts"], sign=True)
    assessment = risk_assessment_record(
        case=clinic.case,
        actor=clinic.psychologist,
        level="moderate",
        factors="Isolement; soutien familial à distance",
        actions_taken="Plan de sécurité, rendez-vous dans 3 jours",
        safety_plan=PLAN,
    )
    flag = RiskFlag.objects.get(case=clinic.case)
    assert not flag.is_open and flag.acknowledged_by == clinic.psychologist
    assert assessment.flag == flag
    plan = SafetyPlan.objects.get(assessment=assessment)
    assert plan.professionals == PLAN["professionals"]
    clinic.case.refresh_from_db()
    assert clinic.case.risk_level == "moderate"
    kinds = dict(TimelineEvent.objects.filter(case=clinic.case).values_list("kind", "visibility"))
    assert kinds["risk.acknowledged"] == "team"
    assert kinds["risk.assessed"] == "clinical"
    assert "Isolement" not in TimelineEvent.objects.get(kind="risk.acknowledged").summary


def test_a_moderate_risk_without_safety_plan_is_refused_and_the_flag_stays_open(clinic):
    _log(clinic, presenting_problems=["suicidal_thoughts"], sign=True)
    with pytest.raises(ValidationError) as exc:
        risk_assessment_record(case=clinic.case, actor=clinic.psychologist, level="high", factors="", actions_taken="x")
    assert {"factors", "warning_signs", "professionals"} <= set(exc.value.message_dict)
    assert not RiskAssessment.objects.exists()
    assert RiskFlag.objects.get().is_open


def test_only_a_psychologist_of_the_team_acknowledges(clinic):
    _log(clinic, presenting_problems=["suicidal_thoughts"], sign=True)
    for user in (clinic.coordinator, clinic.social_worker, clinic.other_psychologist):
        with pytest.raises(ValidationError):
            risk_assessment_record(case=clinic.case, actor=user, level="low", factors="x", actions_taken="y")
    assert RiskFlag.objects.get().is_open


def test_setting_the_level_to_high_without_an_open_flag_raises_one(clinic):
    risk_assessment_record(
        case=clinic.case,
        actor=clinic.psychologist,
        level="imminent",
        factors="Plan précis",
        actions_taken="Urgences psychiatriques contactées",
        safety_plan=PLAN,
    )
    flag = RiskFlag.objects.get(case=clinic.case)
    assert flag.is_open and flag.source == RiskFlag.Source.RISK_LEVEL
    assert len(mail.outbox) <= 1  # sent on commit, never with clinical content


def test_a_referral_with_suicidal_thoughts_raises_the_flag_when_accepted(clinic):
    referral = ReferralFactory(team=clinic.team, reasons=["suicidal_thoughts"])
    case = referral_accept(referral=referral, actor=clinic.coordinator)
    assert RiskFlag.objects.filter(case=case, source="referral", acknowledged_at__isnull=True).exists()
