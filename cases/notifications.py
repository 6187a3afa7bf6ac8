"""The messages the case features send, and who receives them.

Each message is queued in the outbox (``outbox_queue``) with a template key and the few
references its text needs: never clinical content, never a person's identity. Its subject
and body are written when it is delivered, in the recipient's language.
"""

from __future__ import annotations

from datetime import date, time

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.models import Referral
from integrapsy.accounts.models import Role, Team, User
from integrapsy.gdpr import register_eraser
from integrapsy.notifications.messages import MessageTemplate, register_message_templates
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.services import Recipient


def team_coordinators(team: Team) -> list[Recipient]:
    users = User.objects.filter(memberships__team=team, memberships__role=Role.COORDINATOR, is_active=True)
    return [*users.exclude(email=""), team.contact_email]


def team_clinicians_and_coordinators(team: Team) -> list[Recipient]:
    return list(
        User.objects.filter(
            memberships__team=team,
            memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST],
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )


def referrer_contacts(referral: Referral) -> list[Recipient]:
    return [referral.organisation.contact_email, referral.submitted_by]


def permanence_when(place: str, day: date, at: time) -> dict:
    """A permanence slot as stored in a message: written out in the recipient's language."""
    return {"place": place, "day": day.isoformat(), "at": at.strftime("%H:%M")}


def _with_when(context: dict) -> dict:
    when = context.get("when")
    if isinstance(when, dict):
        day = date_format(date.fromisoformat(when["day"]), "SHORT_DATE_FORMAT")
        context["when"] = f"{when['place']} — {day} {when['at']}"
    return context


def _with_status(context: dict) -> dict:
    context["status"] = str(Referral.Status(context["status"]).label)
    return context


register_message_templates(
    MessageTemplate(
        "referral.status",
        _("Referral status changed"),
        _("IntegraPsy: referral %(ref)s — %(status)s"),
        _(
            "The status of your referral %(ref)s is now: %(status)s.\n"
            "Sign in to IntegraPsy to see the details you are allowed to see."
        ),
        prepare=_with_status,
    ),
    MessageTemplate(
        "referral.urgent",
        _("Urgent referral"),
        _("IntegraPsy: urgent referral %(ref)s to take now"),
        _("An urgent referral (%(ref)s) from %(org)s is waiting in the inbox. Sign in to IntegraPsy to take it."),
    ),
    MessageTemplate(
        "referral.info_given",
        _("Referrer's answer"),
        _("IntegraPsy: the referrer answered"),
        "%(ref)s",
    ),
    MessageTemplate(
        "risk.raised",
        _("Risk flag raised"),
        _("IntegraPsy: risk flag raised on case %(ref)s"),
        _("A suicide-risk flag was raised on case %(ref)s. Sign in to IntegraPsy."),
    ),
    MessageTemplate(
        "permanence.slot_requested",
        _("Permanence slot requested"),
        _("IntegraPsy: a permanence slot is requested for referral %(ref)s"),
        _(
            "%(org)s asks for a permanence slot for referral %(ref)s: %(when)s.\n"
            "Sign in to IntegraPsy to confirm or decline it (Permanences, requested slots)."
        ),
        prepare=_with_when,
    ),
    MessageTemplate(
        "permanence.slot_confirmed",
        _("Permanence appointment confirmed"),
        _("IntegraPsy: permanence appointment confirmed for referral %(ref)s"),
        _(
            "The team confirmed the permanence appointment asked for referral %(ref)s: %(when)s.\n"
            "Sign in to IntegraPsy to see it."
        ),
        prepare=_with_when,
    ),
    MessageTemplate(
        "permanence.slot_declined",
        _("Permanence slot declined"),
        _("IntegraPsy: permanence slot declined for referral %(ref)s"),
        _(
            "The team cannot give the permanence slot asked for referral %(ref)s (%(when)s).\n"
            "Reason: %(reason)s\nSign in to IntegraPsy to ask for another slot."
        ),
        prepare=_with_when,
    ),
)


def erase_message_texts(person) -> int:
    """Blank the free text (a decline's reason) of the messages about the person's referrals."""
    from cases.gdpr.providers import ERASED

    references = list(Referral.objects.filter(person=person).values_list("reference", flat=True))
    count = 0
    for message in OutboxMessage.objects.filter(context__ref__in=references, context__has_key="reason"):
        message.context = {**message.context, "reason": ERASED}
        message.save(update_fields=["context"])
        count += 1
    return count


register_eraser("cases.messages", erase_message_texts)
