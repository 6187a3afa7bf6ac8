"""Reads of instruments and screenings; scores are for the psychologists of the case's team."""

from __future__ import annotations

from django.db.models import BigIntegerField, QuerySet
from django.http import Http404
from django.utils import formats

from cases.models import Case, Instrument, Screening
from cases.screenings import scoring
from cases.screenings.models import localised
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.prepared import Param, PreparedQuery


def require_clinical(*, user: User, case: Case) -> None:
    """Screening pages exist only for the psychologists of the case's team (404 for others)."""
    if not access.may(user, Capability.READ_CLINICAL, case.team_id):
        raise Http404


# The questionnaires offered: compiled once (``integrapsy.prepared``).
_INSTRUMENTS_IN_USE = PreparedQuery(lambda shape: Instrument.objects.filter(is_active=True).order_by("name"))


def instruments_in_use() -> list[Instrument]:
    """The version of each questionnaire offered for new screenings."""
    return _INSTRUMENTS_IN_USE.run()


def instrument_in_use(*, key: str) -> Instrument:
    instrument = Instrument.objects.filter(key=key, is_active=True).order_by("-loaded_at").first()
    if instrument is None:
        raise Http404
    return instrument


def screening_get(*, user: User, case: Case, code) -> Screening:
    require_clinical(user=user, case=case)
    screenings = Screening.objects.select_related("instrument", "language", "helper", "administered_by")
    return access.one_or_404(screenings, case=case, code=code)


def helper_choices(*, user: User, case: Case) -> QuerySet[User]:
    return access.screening_helpers(user, case, User.objects.all()).order_by("last_name", "first_name")


def case_screenings(*, user: User, case: Case) -> list[Screening]:
    """Every screening of the case, newest first, drafts included."""
    require_clinical(user=user, case=case)
    return _CASE_SCREENINGS.run(case_id=case.pk)


# A case's screenings with what their rows show: compiled once (``integrapsy.prepared``).
_CASE_SCREENINGS = PreparedQuery(
    lambda shape: (
        Screening.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("instrument", "language", "helper", "administered_by")
        .order_by("-administered_on", "-id")
    )
)


def _point(screening: Screening, previous: Screening | None, change: int | None) -> dict:
    delta = screening.total - previous.total if previous is not None else None
    return {
        "code": str(screening.code),
        "date": screening.administered_on.isoformat(),
        "label": formats.date_format(screening.administered_on, "SHORT_DATE_FORMAT"),
        "total": screening.total,
        "band": localised(scoring.band_for(screening.instrument.definition, screening.total)["label"]),
        "language": screening.language.name,
        "mode": str(screening.get_mode_display()),
        "helper": screening.helper_display,
        "delta": delta,
        "marked": bool(change and delta is not None and abs(delta) >= change),
    }


def charts_from(screenings: list[Screening]) -> list[dict]:
    """One chart per questionnaire: its completed scores in time order, band lines and big changes."""
    by_key: dict[str, list[Screening]] = {}
    for s in sorted(screenings, key=lambda s: (s.administered_on, s.pk)):
        if s.status == Screening.Status.COMPLETED:
            by_key.setdefault(s.instrument.key, []).append(s)
    charts = []
    for key, rows in sorted(by_key.items(), key=lambda kv: kv[1][-1].instrument.name):
        definition = rows[-1].instrument.definition
        change = definition["scoring"].get("change")
        low, high = scoring.score_range(definition)
        points = [_point(s, rows[i - 1] if i else None, change) for i, s in enumerate(rows)]
        charts.append(
            {
                "key": key,
                "name": rows[-1].instrument.name,
                "title": rows[-1].instrument.title,
                "min": low,
                "max": high,
                "change": change,
                "higher_is_better": definition["scoring"].get("direction") == "higher_is_better",
                "bands": [
                    {"min": b["min"], "max": b["max"], "label": localised(b["label"])}
                    for b in definition["scoring"]["bands"]
                ],
                "thresholds": scoring.band_thresholds(definition),
                "points": points,
            }
        )
    return charts


def screening_items(screening: Screening) -> list[dict]:
    """The questionnaire's items with this screening's answers, for the detail page."""
    labels = [localised(label) for label in screening.instrument.scale["labels"]]
    low = screening.instrument.scale["min"]
    rows = []
    for item in screening.instrument.items:
        value = screening.answers.get(item["id"])
        rows.append(
            {
                "id": item["id"],
                "text": localised(item["text"]),
                "value": value,
                "label": labels[value - low] if value is not None else "",
            }
        )
    return rows


def band_label(screening: Screening) -> str:
    if screening.total is None:
        return ""
    return localised(scoring.band_for(screening.instrument.definition, screening.total)["label"])


def cluster_results(screening: Screening) -> list[dict]:
    clusters = screening.instrument.scoring.get("clusters")
    met = screening.result.get("clusters", {})
    if not clusters or not met:
        return []
    return [{"key": g["key"], "label": localised(g["label"]), "met": met.get(g["key"])} for g in clusters["groups"]]


def screening_panel(*, user: User, case: Case, case_access) -> dict:
    """The case page's block of scores over time: for the psychologists of the case's team only."""
    if not case_access.clinical:
        return {}
    screenings = case_screenings(user=user, case=case)
    return {
        "screening_charts": charts_from(screenings),
        "screening_drafts": [s for s in screenings if s.is_draft],
        "instruments": instruments_in_use(),
    }
