"""What the cases app holds about a person, how it is erased, and how long it is kept."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ConsentRecord, CoordinationNote, Person, Referral, TimelineEvent
from cases.timeline import label_of
from integrapsy.audit.selectors import audit_for_subject
from integrapsy.gdpr import RetentionRule, Section

ERASED = "—"


def _fmt(value) -> str:
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
            {"label": str(Person._meta.get_field(f).verbose_name), "value": _fmt(getattr(person, f))}
            for f in ("first_name", "last_name", "alias", "birth_date", "birth_year", "nationality", "phone")
        ]
        + [
            {"label": str(_("sex")), "value": person.get_sex_display()},
            {"label": str(_("unaccompanied minor")), "value": _fmt(person.unaccompanied_minor)},
            {"label": str(_("current location")), "value": _fmt(person.location)},
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
                "value": f"{_fmt(c.given)} — {_fmt(c.given_on)} — {c.get_method_display()}"
                + (f" — {c.language.name}" if c.language else ""),
            }
            for c in person.consents.select_related("language").order_by("given_on")
        ],
    )
    referrals = Section(
        "referrals",
        _("Referrals"),
        [
            {
                "label": f"{r.reference} — {r.organisation.name}",
                "value": f"{r.get_status_display()} — {_fmt(r.received_at)} — "
                f"{', '.join(r.reasons)} — {r.actions_taken}".strip(" —"),
            }
            for r in person.referrals.select_related("organisation").order_by("received_at")
        ],
    )
    cases = list(person.cases.select_related("team").order_by("opened_on"))
    case_rows = [
        {
            "label": f"{c.reference} — {c.team.name}",
            "value": f"{c.get_status_display()} — {_fmt(c.opened_on)}"
            + (f" → {_fmt(c.closed_on)} ({c.closure_reason})" if c.closed_on else ""),
        }
        for c in cases
    ]
    events = [
        {
            "label": f"{_fmt(e.occurred_at)} — {e.case.reference} — {label_of(e.kind)}",
            "value": e.summary,
        }
        for e in TimelineEvent.objects.filter(case__in=cases).select_related("case").order_by("occurred_at", "id")
    ]
    accesses = [
        {"label": f"{_fmt(a.occurred_at)} — {a.actor_username}", "value": f"{a.action} {a.case_ref}".strip()}
        for a in audit_for_subject(object_refs=[str(person.code)], case_refs=[c.reference for c in cases]).order_by(
            "occurred_at", "id"
        )
    ]
    return [
        identity,
        consents,
        referrals,
        Section("cases", _("Cases"), case_rows),
        Section("timeline", _("Case timeline"), events),
        Section("accesses", _("Who accessed the file"), accesses),
    ]


def erase(person: Person) -> int:
    """Blank the person's identifying data; keep year of birth, sex, nationality for the indicators."""
    count = Person.objects.filter(pk=person.pk).update(
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
    count += Referral.objects.filter(person=person).update(
        first_name=ERASED,
        last_name="",
        alias="",
        birth_date=None,
        phone="",
        actions_taken="",
        info_request="",
        info_response="",
        reason_other="",
    )
    cases = Case.objects.filter(person=person)
    count += CoordinationNote.objects.filter(case__in=cases).update(text=ERASED)
    count += ConsentRecord.objects.filter(person=person).update(note="")
    count += TimelineEvent.objects.filter(case__in=cases).redact_for_erasure(summary=ERASED, data={})
    return count


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _closed_cases_rule(cutoff: date, dry_run: bool) -> list[str]:
    """Persons whose every case closed before the cutoff and with no open referral are anonymised."""
    from cases.services import person_anonymise

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
        due.update(
            first_name=ERASED,
            last_name="",
            alias="",
            birth_date=None,
            phone="",
            actions_taken="",
            info_request="",
            info_response="",
            reason_other="",
        )
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
