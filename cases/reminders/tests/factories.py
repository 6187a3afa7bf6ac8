from datetime import timedelta

from django.utils import timezone

from cases.reminders.models import Reminder


def to_call(case, **fields) -> Reminder:
    """A reminder that became a call, for nobody in particular (the coordinators see it)."""
    when = timezone.now() + timedelta(days=2)
    return Reminder.objects.create(
        team_id=case.team_id,
        person=case.person,
        case=case,
        source="permanence",
        source_key=str(case.pk),
        appointment_at=when,
        place="CAES Croisilles",
        kind=Reminder.Kind.FIRST,
        send_at=when - timedelta(hours=48),
        status=Reminder.Status.TO_CALL,
        why=Reminder.Why.NO_CONSENT,
        **fields,
    )


def reminders_world(world: dict) -> dict:
    """The rows of the URL matrix: a call in the team, one in another team."""
    return {"reminder_call": to_call(world["case"]), "other_reminder_call": to_call(world["other_case"])}
