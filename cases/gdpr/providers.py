"""What the cases app holds about a person, how it is erased, and how long it is kept."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.households.selectors import household_subject_rows
from cases.households.services import household_erase
from cases.models import (
    Attendance,
    Case,
    CaseShare,
    ConsentRecord,
    Consultation,
    ConsultationAddendum,
    CoordinationNote,
    Enrolment,
    Orientation,
    OrientationOutcome,
    PermanenceBooking,
    Person,
    Referral,
    RiskAssessment,
    RiskFlag,
    SafetyPlan,
    Screening,
    SlotRequest,
    TimelineEvent,
)
from cases.timeline.kinds import label_of
from integrapsy.audit.selectors import audit_for_subject
from integrapsy.gdpr import RetentionRule, Section

ERASED = "—"
# What an erased or expired referral keeps of the person: nothing that names or reaches them.
REFERRAL_ERASED = {
    "first_name": ERASED,
    "last_name": "",
    "alias": "",
    "birth_date": None,
    "phone": "",
    "actions_taken": "",
    "info_request": "",
    "info_response": "",
    "reason_other": "",
}


def export_value(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def subject_data(person: Person) -> list[Section]:
    """Identity, languages, consents, referrals, cases with their whole timeline, accesses."""
    identity = Section(
        "identity",
        _("Identity"),
        [
            {"label": str(Person._meta.get_field(f).verbose_name), "value": export_value(getattr(person, f))}
            for f in ("first_name", "last_name", "alias", "birth_date", "birth_year")
        ]
        + [
            {
                "label": str(Person._meta.get_field("nationality").verbose_name),
                "value": person.nationality.name or person.nationality_original,
            },
            {"label": str(Person._meta.get_field("phone").verbose_name), "value": export_value(person.phone)},
        ]
        + [
            {"label": str(_("sex")), "value": person.get_sex_display()},
            {"label": str(_("unaccompanied minor")), "value": export_value(person.unaccompanied_minor)},
            {"label": str(_("current location")), "value": export_value(person.location)},
            {
                "label": str(_("languages")),
                "value": ", ".join(pl.language.name for pl in person.person_languages.select_related("language")),
            },
        ],
    )
    consents = Section(
        "consents",
        _("Consents"),
        [
            {
                "label": c.get_purpose_display(),
                "value": f"{export_value(c.given)} — {export_value(c.given_on)} — {c.get_method_display()}"
                + (f" — {c.language.name}" if c.language else ""),
            }
            for c in person.consents.select_related("language").order_by("given_on")
        ],
    )
    household = Section("household", _("Household"), household_subject_rows(person=person))
    referrals = Section(
        "referrals",
        _("Referrals"),
        [
            {
                "label": f"{r.reference} — {r.organisation.name}",
                "value": f"{r.get_status_display()} — {export_value(r.received_at)} — "
                f"{', '.join(r.reasons)} — {r.actions_taken}".strip(" —"),
            }
            for r in person.referrals.select_related("organisation").order_by("received_at")
        ],
    )
    cases = list(person.cases.select_related("team").order_by("opened_on"))
    case_rows = [
        {
            "label": f"{c.reference} — {c.team.name}",
            "value": f"{c.get_status_display()} — {export_value(c.opened_on)}"
            + (f" → {export_value(c.closed_on)} ({c.closure_reason})" if c.closed_on else ""),
        }
        for c in cases
    ]
    events = [
        {
            "label": f"{export_value(e.occurred_at)} — {e.case.reference} — {label_of(e.kind)}",
            "value": e.summary,
        }
        for e in TimelineEvent.objects.filter(case__in=cases).select_related("case").order_by("occurred_at", "id")
    ]
    accesses = [
        {"label": f"{export_value(a.occurred_at)} — {a.actor_username}", "value": f"{a.action} {a.case_ref}".strip()}
        for a in audit_for_subject(object_refs=[str(person.code)], case_refs=[c.reference for c in cases]).order_by(
            "occurred_at", "id"
        )
    ]
    return [
        identity,
        consents,
        household,
        referrals,
        Section("cases", _("Cases"), case_rows),
        *clinical_sections(person, cases),
        Section("timeline", _("Case timeline"), events),
        Section("accesses", _("Who accessed the file"), accesses),
    ]


def _join(*parts) -> str:
    return " — ".join(str(p) for p in parts if p not in (None, ""))


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def clinical_sections(person: Person, cases: list[Case]) -> list[Section]:
    """What the team wrote in the person's cases: the subject has a right to it, clinical notes included."""
    consultations = []
    for c in (
        Consultation.objects.filter(case__in=cases)
        .select_related("case", "psychologist", "interpreter_language")
        .prefetch_related("addenda")
        .order_by("started_at", "id")
    ):
        consultations.append(
            {
                "label": _join(
                    export_value(c.started_at), c.case.reference, c.get_kind_display(), c.get_mode_display()
                ),
                "value": _join(
                    c.get_status_display(),
                    f"{c.duration_minutes} min",
                    c.psychologist.get_full_name(),
                    c.interpreter_language.name if c.interpreter_language else "",
                    c.get_risk_level_display() if c.risk_level else "",
                    ", ".join(c.presenting_problems),
                    c.notes,
                    c.next_steps,
                ),
            }
        )
        consultations.extend(
            {
                "label": _join(export_value(a.created_at), c.case.reference, _label(ConsultationAddendum, "text")),
                "value": a.text,
            }
            for a in c.addenda.all()
        )
    screenings = [
        {
            "label": _join(export_value(s.administered_on), s.case.reference, s.instrument.name),
            "value": _join(
                s.get_status_display(),
                f"{_label(Screening, 'total')} {s.total}" if s.total is not None else "",
                s.band,
                s.get_mode_display(),
                s.language.name,
                s.helper_name,
                f"{_label(Screening, 'answers')}: "
                + ", ".join(f"{item}={value}" for item, value in sorted(s.answers.items(), key=lambda kv: kv[0]))
                if s.answers
                else "",
            ),
        }
        for s in Screening.objects.filter(case__in=cases)
        .select_related("case", "instrument", "language")
        .order_by("administered_on", "id")
    ]
    orientations = []
    for o in (
        Orientation.objects.filter(case__in=cases)
        .select_related("case", "resource")
        .prefetch_related("outcomes")
        .order_by("proposed_on", "id")
    ):
        orientations.append(
            {
                "label": _join(export_value(o.proposed_on), o.case.reference, o.resource.name),
                "value": _join(
                    o.get_status_display(),
                    o.reason,
                    o.what_was_sent,
                    export_value(o.sent_on),
                    export_value(o.appointment_on),
                    export_value(o.outcome_on),
                    o.refusal_reason,
                ),
            }
        )
        orientations.extend(
            {
                "label": _join(export_value(out.on), o.case.reference, o.resource.name),
                "value": _join(out.get_status_display(), export_value(out.appointment_on), out.note),
            }
            for out in o.outcomes.all()
        )
    risk = [
        {
            "label": _join(export_value(f.raised_at), f.case.reference, _label(RiskFlag, "reason")),
            "value": _join(f.get_source_display(), f.reason, export_value(f.acknowledged_at)),
        }
        for f in RiskFlag.objects.filter(case__in=cases).select_related("case").order_by("raised_at", "id")
    ]
    for a in (
        RiskAssessment.objects.filter(case__in=cases)
        .select_related("case", "safety_plan")
        .order_by("assessed_at", "id")
    ):
        risk.append(
            {
                "label": _join(export_value(a.assessed_at), a.case.reference, _label(RiskAssessment, "level")),
                "value": _join(a.get_level_display(), a.factors, a.actions_taken),
            }
        )
        plan = getattr(a, "safety_plan", None)
        if plan is not None:
            risk.extend(
                {"label": _join(export_value(a.assessed_at), _label(SafetyPlan, step)), "value": getattr(plan, step)}
                for step in SafetyPlan.STEPS
                if getattr(plan, step)
            )
    permanences = [
        {
            "label": _join(
                export_value(b.session.date),
                f"{b.slot.start_time:%H:%M}" if b.slot_id else "",
                b.session.location.name,
            ),
            "value": _join(
                b.get_status_display(),
                b.interpreter_language.name if b.interpreter_language else "",
                b.note,
                b.get_cancelled_by_party_display() if b.cancelled_by_party else "",
                b.cancel_reason,
            ),
        }
        for b in PermanenceBooking.objects.filter(person=person)
        .select_related("session__location", "slot", "interpreter_language")
        .order_by("session__date", "id")
    ]
    permanences.extend(
        {
            "label": _join(
                export_value(r.slot.session.date), f"{r.slot.start_time:%H:%M}", r.slot.session.location.name
            ),
            "value": _join(
                SlotRequest._meta.verbose_name,
                r.referral.reference,
                r.get_status_display(),
                r.interpreter_language.name if r.interpreter_language else "",
                r.note,
                r.decline_reason,
            ),
        }
        for r in SlotRequest.objects.filter(referral__person=person)
        .select_related("referral", "slot__session__location", "interpreter_language")
        .order_by("requested_at", "id")
    )
    activities = []
    attendances: dict[int, list[Attendance]] = {}
    enrolments = list(
        Enrolment.objects.filter(case__in=cases).select_related("activity", "case").order_by("enrolled_at", "id")
    )
    for att in (
        Attendance.objects.filter(enrolment__in=enrolments)
        .select_related("session")
        .order_by("session__starts_at", "id")
    ):
        attendances.setdefault(att.enrolment_id, []).append(att)
    for e in enrolments:
        activities.append(
            {
                "label": _join(export_value(e.enrolled_at), e.case.reference, e.activity.title),
                "value": _join(e.activity.get_kind_display(), e.get_status_display()),
            }
        )
        activities.extend(
            {
                "label": _join(export_value(att.session.starts_at), e.activity.title),
                "value": str(_("present") if att.present else _("absent")),
            }
            for att in attendances.get(e.pk, [])
        )
    return [
        Section("consultations", _("Consultations"), consultations),
        Section("screenings", _("Screenings"), screenings),
        Section("orientations", _("Orientations"), orientations),
        Section("risk", _("Risk assessments and safety plans"), risk),
        Section("permanences", _("Permanence bookings"), permanences),
        Section("activities", _("Group activities"), activities),
    ]


def erase(person: Person) -> int:
    """Blank the person's identifying data; keep year of birth, sex, nationality for the indicators."""
    count = household_erase(person)
    count += Person.objects.filter(pk=person.pk).update(
        first_name=ERASED,
        last_name="",
        alias="",
        birth_date=None,
        birth_year=person.estimated_birth_year,
        phone="",
        household=None,
        first_name_key="",
        last_name_key="",
        alias_key="",
    )
    count += Referral.objects.filter(person=person).update(**REFERRAL_ERASED)
    cases = Case.objects.filter(person=person)
    count += CoordinationNote.objects.filter(case__in=cases).update(text=ERASED)
    count += ConsentRecord.objects.filter(person=person).update(note="")
    count += TimelineEvent.objects.filter(case__in=cases).redact_for_erasure(summary=ERASED, data={})
    # The family's cases name the person in their household events.
    count += (
        TimelineEvent.objects.filter(kind__startswith="household.", source_id=str(person.pk))
        .filter(source_type=ContentType.objects.get_for_model(Person))
        .redact_for_erasure(summary=ERASED, data={})
    )
    count += cases.update(closure_reason="")
    count += CaseShare.objects.filter(case__in=cases).update(reason="")
    count += Referral.objects.filter(person=person).update(decline_reason="")
    count += erase_clinical(person, cases)
    return count


def erase_clinical(person: Person, cases) -> int:
    """Blank the free text of the clinical records; keep dates, kinds, levels and scores for the indicators."""
    count = Consultation.objects.filter(case__in=cases).update(notes="", next_steps="")
    count += ConsultationAddendum.objects.filter(consultation__case__in=cases).update(text=ERASED)
    count += Screening.objects.filter(case__in=cases).update(helper_name="")
    count += Orientation.objects.filter(case__in=cases).update(reason=ERASED, what_was_sent="", refusal_reason="")
    count += OrientationOutcome.objects.filter(orientation__case__in=cases).update(note="")
    count += RiskFlag.objects.filter(case__in=cases).update(reason=ERASED)
    count += RiskAssessment.objects.filter(case__in=cases).update(factors=ERASED, actions_taken=ERASED)
    count += SafetyPlan.objects.filter(assessment__case__in=cases).update(**dict.fromkeys(SafetyPlan.STEPS, ""))
    count += PermanenceBooking.objects.filter(person=person).update(note="", cancel_reason="")
    requests = SlotRequest.objects.filter(referral__person=person)
    count += requests.update(note="")
    count += requests.filter(status=SlotRequest.Status.DECLINED).update(decline_reason=ERASED)
    return count


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _closed_cases_rule(cutoff: date, dry_run: bool) -> list[str]:
    """Persons whose every case closed before the cutoff and with no open referral are anonymised."""
    from cases.persons.services import person_anonymise

    due = (
        Person.objects.filter(merged_into__isnull=True, cases__isnull=False)
        .exclude(first_name=ERASED)
        .exclude(cases__status__in=[Case.Status.OPEN, Case.Status.ACTIVE, Case.Status.ON_HOLD])
        .exclude(cases__closed_on__gte=cutoff)
        .exclude(referrals__status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED])
        .distinct()
    )
    lines = []
    for person in due:
        lines.append(f"person {person.code}: anonymise (all cases closed before {cutoff})")
        if not dry_run:
            with transaction.atomic():
                person_anonymise(person=person, actor=None, reason="retention: closed cases")
    return lines


def _declined_referrals_rule(cutoff: date, dry_run: bool) -> list[str]:
    """Identity on referrals declined before the cutoff (never linked to a person) is blanked."""
    due = Referral.objects.filter(
        status=Referral.Status.DECLINED, decided_at__lt=_midnight(cutoff), person__isnull=True
    ).exclude(first_name=ERASED)
    lines = [f"referral {r.reference}: blank the identity (declined before {cutoff})" for r in due]
    if not dry_run:
        SlotRequest.objects.filter(referral__in=due).update(note="")
        due.update(**REFERRAL_ERASED)
    return lines


RETENTION = [
    RetentionRule(
        "closed_cases",
        _("Persons whose cases are all closed: anonymised (identity blanked, counts kept)"),
        5,
        _closed_cases_rule,
    ),
    RetentionRule(
        "declined_referrals",
        _("Declined referrals never linked to a person: identity blanked"),
        1,
        _declined_referrals_rule,
    ),
]
