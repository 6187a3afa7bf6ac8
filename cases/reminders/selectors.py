"""Reads of text reminders, each scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Func, QuerySet, UUIDField
from django.http import Http404
from django.utils import timezone

from cases.models import Person
from cases.reminders import texts
from cases.reminders.models import Reminder, ReminderTemplate, TextContact, TextKind
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language


def text_contact_of(*, person: Person) -> TextContact | None:
    return TextContact.objects.select_related("reads_language").filter(person=person).first()


def reminder_teams(*, user: User) -> QuerySet[Team]:
    """The teams whose reminders the user configures."""
    return access.scope(user, Team.objects.all(), Capability.CONFIGURE_REMINDERS).order_by("name")


def reminder_team(*, user: User, code) -> Team:
    team = reminder_teams(user=user).filter(code=code).first()
    if team is None:
        raise Http404
    return team


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    """The reminders of the user's teams, latest first, with what the list shows."""
    queryset = Reminder.objects.select_related("person", "outbox_message", "call_assignee", "team")
    return access.scope(user, queryset, Capability.CONFIGURE_REMINDERS).order_by("-send_at", "-pk")


def calls_to_make(*, user: User, limit: int = 10) -> list[Reminder]:
    """The calls waiting for this user, soonest appointment first."""
    queryset = Reminder.objects.filter(status=Reminder.Status.TO_CALL, appointment_at__gte=clock.now()).select_related(
        "person", "person__text_contact", "call_language"
    )
    return list(access.scope_reminder_calls(user, queryset).order_by("appointment_at", "pk")[:limit])


def reminder_call_get(*, user: User, code) -> Reminder:
    queryset = Reminder.objects.filter(status=Reminder.Status.TO_CALL).select_related("person", "case")
    reminder = access.scope_reminder_calls(user, queryset).filter(code=code).first()
    if reminder is None:
        raise Http404
    return reminder


@dataclass(frozen=True)
class TemplateRow:
    language_code: str
    language_name: str
    kind: str
    kind_label: str
    text: str
    is_own: bool
    rtl: bool


def _language_names(codes) -> dict[str, str]:
    names = {}
    for language in Language.objects.filter(code__in=codes, variety=""):
        names[language.code] = language.name
    return names


def template_rows(*, team: Team) -> list[TemplateRow]:
    """Every text the team sends: its own, and the shipped ones it kept."""
    own = {(t.language_code, t.kind): t.text for t in ReminderTemplate.objects.filter(team=team)}
    keys = {(code, kind) for code, kinds in texts.SHIPPED.items() for kind in kinds} | set(own)
    names = _language_names({code for code, _kind in keys})
    labels = dict(TextKind.choices)
    rows = []
    for code, kind in sorted(keys):
        text = own.get((code, kind), texts.SHIPPED.get(code, {}).get(kind, ""))
        rows.append(
            TemplateRow(
                language_code=code,
                language_name=names.get(code, code),
                kind=kind,
                kind_label=str(labels.get(kind, kind)),
                text=text,
                is_own=(code, kind) in own,
                rtl=texts.is_right_to_left(code),
            )
        )
    return rows


def template_text_for(*, team: Team, language_code: str, kind: str) -> str:
    own = ReminderTemplate.objects.filter(team=team, language_code=language_code, kind=kind).first()
    return own.text if own else texts.SHIPPED.get(language_code, {}).get(kind, "")


def _sample_moment():
    sample = timezone.localtime(clock.now()).replace(hour=9, minute=30, second=0, microsecond=0)
    return sample + timedelta(days=2)


def preview_values(*, team: Team, language_codes) -> dict[str, dict]:
    """What the preview puts in the placeholders, per language: a sample appointment, and the direction."""
    from cases.reminders.services import team_settings

    sender = team_settings(team.pk).sender_name
    sample = _sample_moment()
    return {
        code: {
            **texts.format_when(sample, code),
            "place": "CAES Croisilles",
            "sender": sender,
            "dir": "rtl" if texts.is_right_to_left(code) else "ltr",
        }
        for code in language_codes
    }


def preview(*, team: Team, language_code: str, text: str) -> tuple[str, str]:
    """The text as the person would read it (or the error), and its direction."""
    values = preview_values(team=team, language_codes=[language_code])[language_code]
    direction = values["dir"]
    try:
        texts.placeholders_in(text)
    except Exception:  # the form says what is wrong; the preview shows the text as typed
        return text, direction
    return text.format_map(values), direction


class _KeyAsCode(Func):
    """A reminder's source key (a booking's code written out) read as that code, for an ``IN``.

    PostgreSQL casts the text to ``uuid``; SQLite stores a code as its 32 hex digits.
    """

    output_field = UUIDField()
    template = "CAST(%(expressions)s AS uuid)"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="REPLACE(%(expressions)s, '-', '')", **extra)


def reminded_booking_codes(*, team: Team, starts_at: datetime, ends_before: datetime) -> QuerySet:
    """The codes of the team's permanence bookings of the period whose person was sent a text
    reminder, as a subquery (``code__in=...``): read with the query that uses it."""
    return Reminder.objects.filter(
        team=team,
        source="permanence",
        status=Reminder.Status.QUEUED,
        appointment_at__gte=starts_at,
        appointment_at__lt=ends_before,
    ).values(booking_code=_KeyAsCode("source_key"))
