"""Reads for the administrator's page of the retention schedule."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrapsy import clock
from integrapsy.gdpr import RETENTION_RULES, cutoff_for


def retention_period(years: float) -> str:
    """A period kept, in the unit it was set in: "2 years", "6 months", "90 days"."""
    months = years * 12
    if years >= 1 and float(years).is_integer():
        n = int(years)
        return ngettext("%(n)s year", "%(n)s years", n) % {"n": n}
    if months >= 1 and abs(months - round(months)) < 1e-9:
        n = round(months)
        return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}
    n = round(365.25 * years)
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def retention_schedule() -> dict:
    """Every retention rule with its period and cutoff, when the daily run starts next, and what the last one did."""
    from integrapsy.audit.models import AuditEvent
    from integrapsy.gdpr.services import RETENTION_ACTION, decode_outcomes
    from integrapsy.schedule.selectors import job_times

    last = (
        AuditEvent.objects.filter(action=RETENTION_ACTION)
        .order_by("-occurred_at", "-id")
        .only("occurred_at", "detail")
        .first()
    )
    counts = decode_outcomes(last.detail) if last else {}
    today = clock.localdate()
    rules = [
        {
            "key": rule.key,
            "description": rule.description,
            "period": retention_period(rule.years),
            "minimum": _("never less than %(period)s") % {"period": retention_period(rule.minimum_years)}
            if rule.minimum_years
            else "",
            "cutoff": cutoff_for(rule.years, today),
            "last_handled": counts.get(rule.key),
        }
        for rule in RETENTION_RULES
    ]
    times = job_times(key="retention")
    return {
        "rules": rules,
        "last_run_at": last.occurred_at if last else None,
        "last_started_at": times.last_enqueued_at,
        "next_run_at": times.next_run_at,
        "due": times.due,
    }
