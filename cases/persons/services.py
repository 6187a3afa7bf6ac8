from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.households.services import household_fold
from cases.models import (
    Case,
    ConsentRecord,
    HouseholdLink,
    Person,
    PersonLanguage,
    Referral,
)
from cases.persons.matching import name_key
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language
from integrapsy.validators import normalise_name


def _refresh_name_keys(person: Person) -> None:
    for field in ("first_name", "last_name", "alias"):
        setattr(person, field, normalise_name(getattr(person, field)))
    person.first_name_key = name_key(person.first_name)
    person.last_name_key = name_key(person.last_name)
    person.alias_key = name_key(person.alias)


def _set_languages(person: Person, languages: list[Language], main_language: Language | None) -> None:
    wanted = {lang.pk: lang for lang in languages}
    if main_language is not None:
        wanted[main_language.pk] = main_language
    PersonLanguage.objects.filter(person=person).exclude(language_id__in=wanted).delete()
    existing = set(PersonLanguage.objects.filter(person=person).values_list("language_id", flat=True))
    PersonLanguage.objects.filter(person=person).update(is_main=False)
    PersonLanguage.objects.bulk_create(
        [PersonLanguage(person=person, language_id=pk) for pk in wanted if pk not in existing]
    )
    if main_language is not None:
        PersonLanguage.objects.filter(person=person, language=main_language).update(is_main=True)


PERSON_FIELDS = (
    *Person.IDENTITY_FIELDS,
    "nationality_original",
    "location",
    "household",
)


def _refuse_unknown_fields(fields: dict) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    languages: list[Language] = (),
    main_language: Language | None = None,
    request=None,
    **fields,
) -> Person:
    """Register a person in exile."""
    _refuse_unknown_fields(fields)
    person = Person(first_name=first_name, created_by=actor, **fields)
    _refresh_name_keys(person)
    person.full_clean()
    person.save()
    _set_languages(person, list(languages), main_language)
    audit_record(action="person.created", actor=actor, request=request, obj=person)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: User,
    languages: list[Language] | None = None,
    main_language: Language | None = None,
    request=None,
    **fields,
) -> Person:
    """Correct or complete a person's identity (a team that follows the person)."""
    _refuse_unknown_fields(fields)
    if not access.may_change_person(actor, person, Capability.CHANGE_CASES):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(person, name, value)
    if person.nationality:
        # A country chosen: the text written before nationalities were codes is resolved.
        person.nationality_original = ""
    _refresh_name_keys(person)
    person.full_clean()
    person.save()
    if languages is not None:
        _set_languages(person, list(languages), main_language)
    audit_record(action="person.updated", actor=actor, request=request, obj=person, detail=",".join(sorted(fields)))
    return person


def consent_summary(data: dict) -> str:
    """ "Sharing with a service — yes", in the active language."""
    purpose = choice(ConsentRecord, "purpose", data["purpose"])
    return f"{purpose} — {_('yes') if data['given'] else _('no')}"


def merged_summary(data: dict) -> str:
    return _("%(duplicate)s merged into %(kept)s") % {"duplicate": data["duplicate"], "kept": data["kept"]}


@transaction.atomic
def nationality_resolve(*, person: Person, actor: User, nationality: str, request=None) -> Person:
    """Give a country to a person whose nationality was a text no known spelling matched."""
    if not access.can(actor, Capability.RESOLVE_NATIONALITIES):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.nationality or not person.nationality_original:
        raise ValidationError(_("This nationality has already been resolved."))
    if not nationality:
        raise ValidationError({"nationality": _("Choose the country.")})
    original = person.nationality_original
    person.nationality = nationality
    person.nationality_original = ""
    person.full_clean(exclude=[f.name for f in Person._meta.fields if f.name != "nationality"])
    person.save(update_fields=["nationality", "nationality_original"])
    audit_record(
        action="person.nationality_resolved",
        actor=actor,
        request=request,
        obj=person,
        detail=f"{original[:200]} -> {nationality}",
    )
    return person


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor: User | None,
    purpose: str,
    given: bool,
    given_on: date,
    method: str,
    language: Language | None = None,
    through_interpreter: bool = False,
    note: str = "",
    request=None,
) -> ConsentRecord:
    """Record the person's consent (or refusal) for one purpose; every open case shows it."""
    if actor is not None and not access.may_change_person(actor, person, Capability.CHANGE_CASES):
        raise PermissionDenied
    if given_on > clock.localdate():
        raise ValidationError({"given_on": _("The date of consent cannot be in the future.")})
    consent = ConsentRecord(
        person=person,
        purpose=purpose,
        given=given,
        given_on=given_on,
        method=method,
        language=language,
        through_interpreter=through_interpreter,
        note=note,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    for case in person.cases.exclude(status=Case.Status.CLOSED):
        data = {"purpose": purpose, "given": given}
        timeline_record(
            case=case,
            kind="consent.recorded",
            actor=actor,
            summary=consent_summary(data),
            source=consent,
            data=data,
        )
    audit_record(action="consent.recorded", actor=actor, request=request, obj=person, detail=f"{purpose}={given}")
    return consent


def has_current_consent(person: Person, purpose: str) -> bool:
    """The latest record for the purpose says yes."""
    latest = person.consents.filter(purpose=purpose).order_by("-given_on", "-recorded_at").first()
    return bool(latest and latest.given)


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor: User, request=None) -> Person:
    """Fold a duplicate into the person kept, moving all their history; nothing is deleted."""
    if not all(access.may_change_person(actor, p, Capability.MERGE_PERSONS) for p in (keep, duplicate)):
        raise PermissionDenied
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationError(_("One of these persons was already merged."))
    kept_open, duplicate_open = (
        set(p.cases.exclude(status=Case.Status.CLOSED).values_list("team_id", flat=True)) for p in (keep, duplicate)
    )
    if shared := kept_open & duplicate_open:
        # The first open case of each person in a team where both have one: the two to look at.
        references = [
            next(
                c.reference
                for c in p.cases.exclude(status=Case.Status.CLOSED).order_by("opened_on", "pk")
                if c.team_id in shared
            )
            for p in (keep, duplicate)
        ]
        raise ValidationError(
            _("Both persons have an open case in the same team: close one of the two cases first."),
            code="open_cases",
            params={"references": references},
        )
    moved_cases = list(duplicate.cases.all())
    duplicate.cases.update(person=keep)
    duplicate.referrals.update(person=keep)
    duplicate.consents.update(person=keep)
    for pl in duplicate.person_languages.all():
        PersonLanguage.objects.get_or_create(person=keep, language_id=pl.language_id)
    household_fold(keep=keep, duplicate=duplicate)
    # Other apps' rows that point at the duplicate follow it too.
    for rel in Person._meta.related_objects:
        if rel.one_to_many and rel.related_model not in (
            Case,
            Referral,
            ConsentRecord,
            PersonLanguage,
            Person,
            HouseholdLink,
        ):
            rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).update(**{rel.field.name: keep})
    for field in (
        "last_name",
        "alias",
        "birth_date",
        "birth_year",
        "nationality",
        "phone",
        "location",
    ):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if not keep.nationality and not keep.nationality_original:
        keep.nationality_original = duplicate.nationality_original
    _refresh_name_keys(keep)
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    data = {"duplicate": duplicate.display_name, "kept": keep.display_name}
    for case in {*moved_cases, *keep.cases.exclude(status=Case.Status.CLOSED)}:
        timeline_record(
            case=case, kind="person.merged", actor=actor, summary=merged_summary(data), source=keep, data=data
        )
    audit_record(action="person.merged", actor=actor, request=request, obj=keep, detail=str(duplicate.code))
    return keep


@transaction.atomic
def person_anonymise(*, person: Person, actor: User | None, reason: str, request=None) -> Person:
    """Erase what identifies a person in every app, keeping the rows that the indicators count."""
    from integrapsy.gdpr import ERASERS

    if not reason.strip():
        raise ValidationError({"reason": _("Give the legal ground or the request this erasure answers.")})
    if person.cases.exclude(status=Case.Status.CLOSED).exists():
        raise ValidationError(_("This person has an open case: close it before erasing their identity."))
    code = str(person.code)
    for _name, eraser in ERASERS:
        eraser(person)
    for case in person.cases.all():
        timeline_record(case=case, kind="person.anonymised", actor=actor, summary="")
    audit_record(
        action="person.anonymised",
        actor=actor,
        request=request,
        object_type="cases.person",
        object_ref=code,
        detail=reason[:255],
    )
    person.refresh_from_db()
    return person
