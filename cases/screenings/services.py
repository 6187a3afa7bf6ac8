"""Every write on screening instruments and screenings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case, Instrument, RiskFlag, Screening
from cases.risk.services import risk_flag_raise
from cases.screenings import scoring
from cases.screenings.models import localised
from cases.timeline.record import timeline_record
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    outcome: str  # "created", "updated" or "unchanged"


class InstrumentVersionInUse(Exception):  # noqa: N818 - reads as a domain condition
    """The definition of a version already used by screenings cannot change."""


@transaction.atomic
def instrument_load(*, definition: dict) -> LoadResult:
    """Create or refresh an instrument from a validated definition; it becomes the version in use."""
    problems = scoring.validate_definition(definition)
    if problems:
        raise scoring.InstrumentFileError([(None, path, message) for path, message in problems])
    instrument = (
        Instrument.objects.select_for_update().filter(key=definition["key"], version=definition["version"]).first()
    )
    if instrument is None:
        outcome = "created"
        instrument = Instrument(key=definition["key"], version=definition["version"])
    elif instrument.definition == definition and instrument.is_active:
        return LoadResult(instrument, "unchanged")
    else:
        # Its scoring and wording stay as screenings used them; texts in another language may be added.
        changed = not scoring.only_adds_languages(instrument.definition, definition)
        if changed and instrument.screenings.exists():
            raise InstrumentVersionInUse(
                f"{definition['key']} version {definition['version']} is already used by screenings: "
                "give the changed definition a new version."
            )
        outcome = "updated"
    instrument.name = definition["name"]
    instrument.definition = definition
    instrument.is_active = True
    instrument.full_clean()
    instrument.save()
    # One version per questionnaire is offered for new screenings: the one loaded last.
    Instrument.objects.filter(key=instrument.key).exclude(pk=instrument.pk).update(is_active=False)
    audit_record(action="instrument.loaded", obj=instrument, detail=f"{instrument.key} {instrument.version}")
    return LoadResult(instrument, outcome)


def _item_field(item_id: str) -> str:
    return f"item_{item_id}"


def _validate_administration(
    *, case: Case, actor: User, administered_on: date, helper: User | None, helper_kind: str
) -> None:
    if not access.may(actor, Capability.ADMINISTER_SCREENINGS, case.team_id):
        raise ValidationError(_("Only a psychologist of the case's team may administer a questionnaire."))
    if case.is_closed:
        raise ValidationError(_("This case is closed."))
    errors = {}
    if administered_on > clock.localdate():
        errors["administered_on"] = _("The date cannot be in the future.")
    if helper is not None and not access.screening_helpers(actor, case, User.objects.filter(pk=helper.pk)).exists():
        errors["helper"] = _("Choose an interpreter or an ambassador who may help on this case.")
    if (helper is not None) and not helper_kind:
        errors["helper_kind"] = _("Say whether they helped as interpreter, ambassador or otherwise.")
    if errors:
        raise ValidationError(errors)


def _clean_answers(instrument: Instrument, answers: dict) -> dict:
    answers = {str(k): v for k, v in answers.items() if v is not None and v != ""}
    bad = scoring.answer_errors(instrument.definition, answers)
    if bad:
        scale = instrument.scale
        raise ValidationError(
            {
                _item_field(item_id): _("Choose a value between %(min)s and %(max)s.")
                % {"min": scale["min"], "max": scale["max"]}
                for item_id in bad
            }
        )
    return answers


def _raise_alerts(screening: Screening, actor: User, request=None) -> None:
    """An alert item (PHQ-9 item 9 above 0) raises the case's risk flag, once per screening."""
    if screening.alert_raised:
        return
    alerts = scoring.triggered_alerts(screening.instrument.definition, screening.answers)
    if not alerts:
        return
    for alert in alerts:
        if alert["action"] == "risk_flag":
            risk_flag_raise(
                case=screening.case,
                source=RiskFlag.Source.SCREENING,
                reason_data={"why": "text", "texts": alert["reason"]},
                actor=actor,
                source_obj=screening,
                request=request,
            )
    screening.alert_raised = True
    screening.save(update_fields=["alert_raised"])


def _complete(screening: Screening) -> None:
    try:
        result = scoring.score(screening.instrument.definition, screening.answers)
    except scoring.IncompleteAnswers as exc:
        errors = {_item_field(i): _("Answer this item or save as a draft.") for i in exc.missing}
        errors[NON_FIELD_ERRORS] = ngettext(
            "No total can be computed: %(n)s item unanswered (%(items)s). "
            "Answer it, or save as a draft and finish later.",
            "No total can be computed: %(n)s items unanswered (%(items)s). "
            "Answer them, or save as a draft and finish later.",
            len(exc.missing),
        ) % {"n": len(exc.missing), "items": ", ".join(exc.missing)}
        raise ValidationError(errors) from exc
    screening.status = Screening.Status.COMPLETED
    screening.total = result.total
    screening.band = result.band["key"]
    screening.result = {"clusters": result.clusters} if result.clusters else {}
    screening.completed_at = clock.now()


def day_moment(day: date) -> datetime | None:
    """When something dated ``day`` happened, for the timeline: now if today, else midday."""
    if day == clock.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def administered_summary(data: dict) -> str:
    return _("%(name)s administered") % {"name": data["name"]}


def scored_summary(data: dict) -> str:
    """ "PHQ-9: 12 — Moderate", the band in the active language (clinicians only)."""
    return f"{data['name']}: {data['total']} — {localised(data['band_label'])}"


def _record_completion(screening: Screening, actor: User, request=None) -> None:
    name = screening.instrument.name
    occurred_at = day_moment(screening.administered_on)
    # The team sees that a questionnaire was given; the score is for clinicians only.
    data = {"instrument": screening.instrument.key, "name": name}
    timeline_record(
        case=screening.case,
        kind="screening.administered",
        actor=actor,
        summary=administered_summary(data),
        occurred_at=occurred_at,
        source=screening,
        data=data,
    )
    band = scoring.band_for(screening.instrument.definition, screening.total)
    # The band's label in every language of the file: the reader's is chosen when it is shown.
    data = {**data, "total": screening.total, "band": screening.band, "band_label": band["label"]}
    timeline_record(
        case=screening.case,
        kind="screening.scored",
        actor=actor,
        summary=scored_summary(data),
        occurred_at=occurred_at,
        source=screening,
        data=data,
    )


def _save(screening: Screening, *, actor: User, complete: bool, request) -> Screening:
    """Score a complete questionnaire, save it, raise its alerts and write what happened."""
    if complete:
        _complete(screening)
    screening.full_clean()
    screening.save()
    _raise_alerts(screening, actor, request)
    if complete:
        _record_completion(screening, actor, request)
    audit_record(
        action="screening.completed" if complete else "screening.draft_saved",
        actor=actor,
        request=request,
        obj=screening,
        case_ref=screening.case.reference,
        detail=screening.instrument.key,
    )
    return screening


@transaction.atomic
def screening_save(
    *,
    case: Case,
    instrument: Instrument,
    actor: User,
    answers: dict,
    administered_on: date,
    language: Language,
    mode: str,
    helper_kind: str = "",
    helper: User | None = None,
    helper_name: str = "",
    complete: bool = True,
    request=None,
) -> Screening:
    """Record a questionnaire given on a case: scored when complete, kept as a draft otherwise."""
    _validate_administration(
        case=case, actor=actor, administered_on=administered_on, helper=helper, helper_kind=helper_kind
    )
    if not instrument.is_active:
        raise ValidationError(_("This version of the questionnaire is no longer in use."))
    screening = Screening(
        case=case,
        instrument=instrument,
        administered_by=actor,
        administered_on=administered_on,
        language=language,
        mode=mode,
        helper_kind=helper_kind,
        helper=helper,
        helper_name=helper_name.strip(),
        answers=_clean_answers(instrument, answers),
    )
    return _save(screening, actor=actor, complete=complete, request=request)


@transaction.atomic
def screening_update_draft(
    *,
    screening: Screening,
    actor: User,
    answers: dict,
    administered_on: date,
    language: Language,
    mode: str,
    helper_kind: str = "",
    helper: User | None = None,
    helper_name: str = "",
    complete: bool = True,
    request=None,
) -> Screening:
    """Continue a draft: change its answers, and score it when every item is answered."""
    screening = Screening.objects.select_for_update().select_related("instrument", "case").get(pk=screening.pk)
    if not screening.is_draft:
        raise ValidationError(_("A completed questionnaire cannot be changed."))
    _validate_administration(
        case=screening.case,
        actor=actor,
        administered_on=administered_on,
        helper=helper,
        helper_kind=helper_kind,
    )
    screening.answers = _clean_answers(screening.instrument, answers)
    screening.administered_on = administered_on
    screening.language = language
    screening.mode = mode
    screening.helper_kind = helper_kind
    screening.helper = helper
    screening.helper_name = helper_name.strip()
    return _save(screening, actor=actor, complete=complete, request=request)
