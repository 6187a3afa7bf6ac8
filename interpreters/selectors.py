"""Reads of interpreters and bookings, each scoped by the access policy."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    signals,
)
from django.db.models.base import ModelState
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from integrapsy import access, clock, prepared
from integrapsy.access import Capability
from integrapsy.accounts.models import Organisation, User
from integrapsy.dates import date_format
from integrapsy.directory.models import Language, Location
from integrapsy.links import row_url
from integrapsy.prepared import IdIn, Param, PreparedQuery
from interpreters.models import (
    HOLDING_STATUSES,
    ON_SITE_BUFFER,
    BookingStatus,
    BookingWithdrawal,
    Interpreter,
    InterpreterBooking,
    InterpreterLanguage,
    Mode,
    Unavailability,
)
from interpreters.services import MAX_BOOKING, blocked_range, booking_is_cancellable, booking_is_withdrawable

LIST_RELATED = ("language", "interpreter__user", "case__person", "location", "team")
# What the match page shows of its booking and what its ranking reads (the case's person by id).
MATCH_RELATED = ("language", "interpreter__user", "case", "location")


# --- The team's bookings ----------------------------------------------------------------


def booking_list(*, user: User, status: str = "", when: str = "") -> QuerySet[InterpreterBooking]:
    """Bookings of the user's teams, filtered and ordered; the page reads its rows as
    ``BOOKING_LIST_FIELDS`` (``booking_list_rows``)."""
    qs = access.scope(user, InterpreterBooking.objects.all(), Capability.VIEW_BOOKINGS)
    if status:
        qs = qs.filter(status=status)
    now = clock.now()
    if when == "upcoming":
        # No booking lasts longer than MAX_BOOKING (the services refuse it): the lower bound on
        # the start lets the database read the team's bookings from now on, in order, one page.
        qs = qs.filter(ends_at__gte=now, starts_at__gte=now - MAX_BOOKING).order_by("starts_at", "id")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("-starts_at", "-id")
    return qs


# The columns the bookings list shows, read as ``values()`` (no booking, interpreter, user, case
# and person made a row), with every table they come from joined: PostgreSQL spends ten times
# longer planning that query (each join weighed against the booking table's many indexes) than
# running it, so it is prepared (``booking_rows_by_ids``), and planned once.
BOOKING_LIST_FIELDS = (
    "code",
    "starts_at",
    "status",
    "late_cancellation",
    "short_notice",
    "mode",
    "interpreter_id",
    "interpreter__user__first_name",
    "interpreter__user__last_name",
    "interpreter__user__username",
    "case__reference",
    "case__person__first_name",
    "language__name_fr",
    "language__name_nl",
    "language__name_en",
    "location__name",
)


def _booking_rows(shape) -> QuerySet:
    key, upcoming = shape
    order = ("starts_at", "id") if upcoming else ("-starts_at", "-id")
    bookings = InterpreterBooking.objects.filter(IdIn("pk", "ids"))
    return access.scope_of_key(bookings, key).order_by(*order).values(*BOOKING_LIST_FIELDS)


_BOOKING_ROWS = PreparedQuery(_booking_rows)


def booking_rows_by_ids(*, user: User, when: str) -> Callable[[list], list[dict]]:
    """What reads a page of ``booking_list`` by its bookings' ids (``CappedPaginator``'s
    ``rows_of_ids``): scoped again, in the list's order, as ``BOOKING_LIST_FIELDS`` values."""
    shape = (access.scope_key(user, Capability.VIEW_BOOKINGS), when == "upcoming")
    return lambda ids: _BOOKING_ROWS.run(shape, ids=ids)


def booking_list_rows(bookings) -> list[dict]:
    """The list's rows (``BOOKING_LIST_FIELDS`` values), each with the link and the texts it
    shows: drawn without a lookup each, and no query."""
    modes = dict(Mode.choices)
    booking_url = row_url("interpreters:booking_detail")
    rows = []
    for b in bookings:
        language = Language.name_of(b["language__name_fr"], b["language__name_nl"], b["language__name_en"])
        place = b["location__name"]
        interpreter = (
            User.name_of(
                b["interpreter__user__first_name"], b["interpreter__user__last_name"], b["interpreter__user__username"]
            )
            if b["interpreter_id"]
            else ""
        )
        rows.append(
            {
                "code": b["code"],
                "status": b["status"],
                "late_cancellation": b["late_cancellation"],
                "short_notice": b["short_notice"],
                "url": booking_url(b["code"]),
                "when": date_format(timezone.localtime(b["starts_at"]), "SHORT_DATETIME_FORMAT"),
                "language": language or "",
                "mode": modes.get(b["mode"], b["mode"]),
                "interpreter": interpreter,
                "case": f"{b['case__reference']} · {b['case__person__first_name']}" if b["case__reference"] else "",
                "location": place or "",
            }
        )
    return rows


# A booking's page names who asked, confirmed and cancelled it, and the interpreter's service.
DETAIL_RELATED = (*LIST_RELATED, "requested_by", "confirmed_by", "cancelled_by", "interpreter__service")


def _booking_by_code(shape) -> QuerySet[InterpreterBooking]:
    key, related = shape
    bookings = access.scope_of_key(InterpreterBooking.objects.all(), key)
    return bookings.select_related(*related).filter(code=Param("code", UUIDField()))


# One booking by its code, for the teams the user sees bookings of and what the page shows
# (the shape): built and compiled once (``integrapsy.prepared``), then run with the code.
_BOOKING_BY_CODE = PreparedQuery(_booking_by_code)


def booking_get(*, user: User, code, related: tuple[str, ...] = DETAIL_RELATED) -> InterpreterBooking:
    """One booking of the user's teams, or 404; read with ``related`` (a page that shows less
    joins less: PostgreSQL plans each join against the bookings' many indexes). A malformed
    code answers 404 too, as a booking of another team does."""
    shape = (access.scope_key(user, Capability.VIEW_BOOKINGS), tuple(related))
    return prepared.one_or_404(_BOOKING_BY_CODE, shape, code=code)


def booking_flags(*, booking: InterpreterBooking, rights: access.BookingAccess, now: datetime | None = None) -> dict:
    """What the team's page of a booking offers: find an interpreter, record the time, cancel."""
    now = now or clock.now()
    return {
        "may_match": rights.manage and booking.is_open and booking.starts_at > now,
        "may_complete": rights.manage and _may_complete(booking, now),
        "may_cancel": rights.cancel and booking_is_cancellable(booking),
    }


def my_booking_flags(*, booking: InterpreterBooking, now: datetime | None = None) -> dict:
    """What the interpreter's page of their booking offers: answer the offer, record the time, the invitation."""
    now = now or clock.now()
    return {
        "may_answer": booking.status == BookingStatus.OFFERED and booking.starts_at > now,
        "may_complete": _may_complete(booking, now),
        "may_add_to_calendar": booking.status == BookingStatus.CONFIRMED,
        "may_withdraw": booking_is_withdrawable(booking, now=now),
    }


def _may_complete(booking: InterpreterBooking, now: datetime) -> bool:
    """The actual time is recorded for a confirmed booking once it has started."""
    return booking.status == BookingStatus.CONFIRMED and booking.starts_at <= now


def booking_withdrawals(*, booking: InterpreterBooking) -> list[BookingWithdrawal]:
    """Interpreters who gave the booking back, last first (the booking is already in the user's scope)."""
    return list(booking.withdrawals.select_related("interpreter__user"))


def booking_excluded(*, booking: InterpreterBooking) -> list[Interpreter]:
    return list(booking.excluded_interpreters.select_related("user"))


# The bookings serving a case, latest first: compiled once (``integrapsy.prepared``).
_CASE_BOOKINGS = PreparedQuery(
    lambda shape: (
        InterpreterBooking.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("language", "interpreter__user")
        .order_by("-starts_at", "-id")[:20]
    )
)


def case_bookings(*, user: User, case: Case) -> list[InterpreterBooking]:
    """The bookings serving a case, for the case page (the case is already in the user's scope)."""
    return _CASE_BOOKINGS.run(case_id=case.pk)


def open_bookings_for_coordinator(*, user: User, limit: int = 5) -> dict:
    """Requests still waiting for an interpreter, for the coordinator's home page."""
    waiting = InterpreterBooking.objects.filter(
        status__in=[BookingStatus.REQUESTED, BookingStatus.OFFERED], starts_at__gte=clock.now()
    )
    qs = (
        access.scope(user, waiting, Capability.MANAGE_BOOKINGS)
        .select_related("language", "interpreter__user")
        .order_by("starts_at")
    )
    return {"waiting_bookings": list(qs[:limit]), "waiting_count": qs.count()}


# --- Matching ---------------------------------------------------------------------------


@dataclass
class Suggestion:
    """One interpreter for a booking, how well they fit and why.

    The ranking needs the score and whether the interpreter is free; the interpreter itself
    (``interpreter``, with their user and service) and the texts that say why (``reasons``,
    ``blockers``) are made the first time they are read, so that a list showing its first ten
    makes ten interpreters and their texts, not the whole language's.
    """

    make: Callable[[], Interpreter] = field(repr=False, compare=False)
    score: int = 0
    times_before: int = 0
    # Bookings the interpreter already holds in the week of the time wanted (``week``): read
    # only for the suggestions that show it (``read_week_loads``), None until then.
    load: int | None = None
    # Whether something keeps the interpreter from taking it now (``blockers`` says what).
    blocked: bool = False
    # The interpreter's last and first names: the order among equals.
    names: tuple[str, str] = ("", "")
    explain: Callable[[], tuple[list[str], list[str]]] | None = field(default=None, repr=False, compare=False)
    interpreter_id: int = 0
    # The week the load is counted in, and the booking matched (not counted), if any.
    week: tuple[datetime, datetime, int | None] | None = field(default=None, repr=False, compare=False)
    _texts: tuple[list[str], list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    @functools.cached_property
    def interpreter(self) -> Interpreter:
        return self.make()

    def _explained(self) -> tuple[list[str], list[str]]:
        if self._texts is None:
            self._texts = self.explain() if self.explain is not None else ([], [])
        return self._texts

    @property
    def reasons(self) -> list[str]:
        return self._explained()[0]

    @property
    def blockers(self) -> list[str]:
        """Why the interpreter cannot take it now (busy, unavailable, not wanted, other mode)."""
        return self._explained()[1]

    @property
    def available(self) -> bool:
        return not self.blocked


def _short_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def _language_points(wanted: Language, languages) -> tuple[int, Language]:
    """Points for the interpreter's best language for the one wanted, and that language: 40 the
    same, 30 any variety when none was wanted, 15 the generic one where a dialect was wanted, 5
    another dialect."""
    for lang in languages:  # the language wanted itself (most interpreters: their one row)
        if lang.pk == wanted.pk:
            return 40, lang
    same_code = [lang for lang in languages if lang.code == wanted.code]
    if not wanted.variety:
        return 30, same_code[0]
    generic = [lang for lang in same_code if not lang.variety]
    if generic:
        return 15, generic[0]
    return 5, same_code[0]


def _language_fit(wanted: Language, languages) -> tuple[int, str]:
    """Points and reason for the interpreter's best language for the one wanted."""
    points, best = _language_points(wanted, languages)
    if points == 40:
        return points, _("Interprets %(language)s") % {"language": wanted.name}
    if points == 30:
        return points, _("Interprets %(language)s") % {"language": best.name}
    if points == 15:
        return points, _("Interprets %(language)s, not specifically %(dialect)s") % {
            "language": best.name,
            "dialect": wanted.name,
        }
    return points, _("Interprets %(language)s, another dialect than %(dialect)s") % {
        "language": best.name,
        "dialect": wanted.name,
    }


@dataclass(frozen=True)
class MatchNeed:
    """What an interpreter is wanted for: a booking's terms, or a plan not booked yet.

    Without a time (``starts_at`` is None) nobody is checked for being busy or away.
    """

    language: Language
    mode: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: Location | None = None
    gender_preference: str = ""
    person_id: int | None = None
    same_as_before: bool = False
    # The booking being matched: not its own history nor its own clash; its exclusions and declines.
    booking_id: int | None = None

    @property
    def blocked(self) -> tuple[datetime, datetime] | None:
        if self.starts_at is None or self.ends_at is None:
            return None
        return blocked_range(mode=self.mode, starts_at=self.starts_at, ends_at=self.ends_at)

    @property
    def week(self) -> tuple[datetime, datetime]:
        """The week the load is counted in: the one of the time wanted, or the coming seven days."""
        if self.starts_at is None:
            start = clock.now()
            return start, start + timedelta(days=7)
        day = timezone.localtime(self.starts_at).date()
        monday = day - timedelta(days=day.weekday())
        tz = timezone.get_current_timezone()
        first = datetime.combine(monday, time.min, tzinfo=tz)
        return first, first + timedelta(days=7)


def held_overlapping(qs: QuerySet[InterpreterBooking], *, blocked_from, blocked_until) -> QuerySet:
    """Confirmed and completed bookings whose held time overlaps the given time.

    A booking is held from at most ``ON_SITE_BUFFER`` before its start to as much after its end,
    and lasts at most ``MAX_BOOKING`` (``services.booking_request`` and ``blocked_range``; the
    admin cannot change a booking): so it starts within those bounds of the time given, and the
    database reads each interpreter's few bookings around that time from the index of their
    starts (``booking_interpreter_starts``), not every earlier booking of every interpreter.
    """
    return qs.filter(_held(blocked_from, blocked_until, *_start_bounds(blocked_from, blocked_until)))


def _start_bounds(blocked_from: datetime, blocked_until: datetime) -> tuple[datetime, datetime]:
    """After and before what a booking held over that time starts (see ``held_overlapping``)."""
    return blocked_from - MAX_BOOKING - ON_SITE_BUFFER, blocked_until + ON_SITE_BUFFER


def _held(blocked_from, blocked_until, starts_after, starts_before) -> Q:
    return Q(
        status__in=HOLDING_STATUSES,
        blocked_from__lt=blocked_until,
        blocked_until__gt=blocked_from,
        starts_at__lt=starts_before,
        starts_at__gt=starts_after,
    )


def match_interpreters(*, booking: InterpreterBooking) -> list[Suggestion]:
    """Interpreters of the booking's language, best first, each with the reasons of its rank.

    Available interpreters come first. At most three queries, whatever the number of interpreters.
    """
    need = MatchNeed(
        language=booking.language,
        mode=booking.mode,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        location=booking.location if booking.location_id else None,
        gender_preference=booking.gender_preference,
        person_id=booking.case.person_id if booking.case_id else None,
        same_as_before=booking.same_as_before,
        booking_id=booking.pk,
    )
    return rank_for_need(need)


def rank_interpreters(
    *,
    user: User,
    language: Language,
    mode: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    location: Location | None = None,
    gender_preference: str = "",
    case: Case | None = None,
    same_as_before: bool = True,
) -> list[Suggestion]:
    """Interpreters for a need not booked yet (the language-support planner), ranked as for a booking."""
    if not access.can(user, Capability.VIEW_BOOKINGS):
        return []
    return rank_for_need(
        MatchNeed(
            language=language,
            mode=mode,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            gender_preference=gender_preference,
            person_id=case.person_id if case is not None else None,
            same_as_before=same_as_before,
        )
    )


def _interpreter_facts(shape: _Shape) -> dict:
    """What the ranking needs of each interpreter, computed by the database alongside the interpreter.

    The annotations of an ``InterpreterLanguage`` row, about the row's interpreter: the
    person's wish not to have them, an earlier decline, leave at that time and the area they
    come to. The values are ``Param`` markers (see ``_RANKING``); a fact whose value is missing
    is left out of the shape. Continuity with the person is read apart, once for the person
    (``_HISTORY``); the week's load, for the suggestions shown (``read_week_loads``).
    """
    theirs = OuterRef("interpreter")
    booking, person = Param("booking_id", BigIntegerField()), Param("person_id", BigIntegerField())
    facts = {}
    # The person's wish not to have someone holds for every booking of theirs.
    unwanted = Q()
    if shape.booking:
        unwanted |= Q(interpreterbooking_id=booking)
    if shape.person:
        unwanted |= Q(interpreterbooking__case__person_id=person)
    facts["unwanted"] = (
        Exists(InterpreterBooking.excluded_interpreters.through.objects.filter(unwanted, interpreter_id=theirs))
        if unwanted
        else Value(False)
    )
    facts["declined"] = (
        Exists(
            InterpreterBooking.declined_by.through.objects.filter(interpreter_id=theirs, interpreterbooking_id=booking)
        )
        if shape.booking
        else Value(False)
    )
    if shape.blocked:
        facts["away_until"] = Subquery(
            Unavailability.objects.filter(
                interpreter=theirs,
                starts_at__lt=Param("blocked_until", DateTimeField()),
                ends_at__gt=Param("blocked_from", DateTimeField()),
            )
            .order_by("-ends_at")
            .values("ends_at")[:1]
        )
    else:
        facts["away_until"] = Value(None, output_field=DateTimeField())
    if shape.place:
        facts["comes_here"] = Exists(
            Interpreter.territories.through.objects.filter(
                interpreter_id=theirs, team_id=Param("place_team_id", BigIntegerField())
            )
        )
    else:
        facts["comes_here"] = Value(False)
    return facts


@dataclass(frozen=True)
class _Shape:
    """Which facts a ranking's query computes: those whose values the need has."""

    booking: bool
    person: bool
    blocked: bool
    place: bool  # on site at a known place: whether each interpreter comes to its area


# What the ranking reads of each row's language, interpreter, user and service: the columns
# the ranking and the suggestions shown use (``values()``, the instances made from them only
# for the suggestions shown: 75 rows of five instances each cost more than their query).
_COLUMNS = {
    prefix: (model, tuple(f.attname for f in model._meta.concrete_fields if f.attname in columns))
    for prefix, model, columns in [
        ("language__", Language, {"id", "code", "variety", "name_fr", "name_nl", "name_en"}),
        (
            "interpreter__",
            Interpreter,
            {"id", "code", "user_id", "service_id", "gender", "offers_on_site", "offers_phone", "offers_video"},
        ),
        ("interpreter__user__", User, {"id", "username", "first_name", "last_name"}),
        ("interpreter__service__", Organisation, {"id", "name"}),
    ]
}
_FACTS = ("unwanted", "declined", "away_until", "comes_here")


def _made(prefix: str, row: dict):
    """The instance of ``_COLUMNS[prefix]`` that ``row`` holds, its other fields deferred.

    Its fields set as ``from_db`` sets them, without ``Model.__init__`` (which goes over every
    field of the model, a third of a suggestion shown), unless something listens to the
    model's instances being made (``pre_init``, ``post_init``: then ``from_db``).
    """
    model, columns = _COLUMNS[prefix]  # in the model's order of fields, as ``from_db`` takes them
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model.from_db(DEFAULT_DB_ALIAS, columns, [row[prefix + column] for column in columns])
    made = model.__new__(model)
    made.__dict__.update({column: row[prefix + column] for column in columns})
    made._state = ModelState()
    made._state.adding, made._state.db = False, DEFAULT_DB_ALIAS
    return made


def _interpreter_of(row: dict) -> Interpreter:
    interpreter = _made("interpreter__", row)
    interpreter.user = _made("interpreter__user__", row)
    interpreter.service = _made("interpreter__service__", row)
    return interpreter


# The interpreters' languages of the code wanted (the others do not count), each row with its
# interpreter and the facts about them: built and compiled once per shape (``integrapsy.prepared``).
_RANKING = PreparedQuery(
    lambda shape: (
        InterpreterLanguage.objects.filter(language__code=Param("language", CharField()), interpreter__is_active=True)
        .annotate(**_interpreter_facts(shape))
        .order_by("interpreter_id", "pk")
        .values(*(prefix + column for prefix, (_model, columns) in _COLUMNS.items() for column in columns), *_FACTS)
    )
)


def _busy(for_booking: bool) -> QuerySet:
    """The held bookings of the interpreters ``_RANKING`` read (their ids) that overlap the time
    wanted, as ``held_overlapping`` reads them (but the booking matched, when ``for_booking``).

    The ids rather than the ranking's conditions again: a plan of its own, kept from one run to
    the next, where the subquery of the language's interpreters was planned again at each run.
    """
    at = Param("blocked_from", DateTimeField()), Param("blocked_until", DateTimeField())
    bounds = Param("starts_after", DateTimeField()), Param("starts_before", DateTimeField())
    busy = InterpreterBooking.objects.filter(_held(*at, *bounds), IdIn("interpreter_id", "interpreter_ids"))
    if for_booking:
        busy = busy.exclude(pk=Param("booking_id", BigIntegerField()))
    return busy.order_by("starts_at").values_list("interpreter_id", "starts_at", "ends_at")


_BUSY = PreparedQuery(_busy)


def _history(for_booking: bool) -> QuerySet:
    """The interpreters who have interpreted for the person, how often and when last (the
    completed bookings of the person's cases, but the booking matched when ``for_booking``).

    Read once for the person: as a subquery of each interpreter ranked, the person's cases and
    their bookings were looked up again for each of them (two thirds of the ranking's time).
    """
    earlier = InterpreterBooking.objects.filter(
        case__person_id=Param("person_id", BigIntegerField()), status=BookingStatus.COMPLETED
    )
    if for_booking:
        earlier = earlier.exclude(pk=Param("booking_id", BigIntegerField()))
    return (
        earlier.order_by()
        .values("interpreter_id")
        .annotate(n=Count("*"), last=Max("starts_at"))
        .values_list("interpreter_id", "n", "last")
    )


_HISTORY = PreparedQuery(_history)


def _ranking_rows(need: MatchNeed):
    blocked = need.blocked
    place = need.mode == Mode.ON_SITE and need.location is not None
    values = {"language": need.language.code}
    if need.booking_id is not None:
        values["booking_id"] = need.booking_id
    if need.person_id is not None:
        values["person_id"] = need.person_id
    if blocked is not None:
        values["blocked_from"], values["blocked_until"] = blocked
    if place:
        values["place_team_id"] = need.location.team_id
    shape = _Shape(
        booking=need.booking_id is not None, person=need.person_id is not None, blocked=blocked is not None, place=place
    )
    return _RANKING.run(shape, **values)


def rank_for_need(need: MatchNeed) -> list[Suggestion]:
    """The one ranking of interpreters: language fit, continuity, gender, place, then who is free.

    Three queries at most: the interpreters of the language with what the ranking needs of
    each, the person's interpreters before, then the bookings they already hold at that time.
    """
    rows = _ranking_rows(need)
    history: dict[int, tuple[int, datetime]] = {}
    if need.person_id is not None:
        values = {"person_id": need.person_id}
        if need.booking_id is not None:
            values["booking_id"] = need.booking_id
        history = {i: (n, last) for i, n, last in _HISTORY.run(need.booking_id is not None, **values)}
    facts: dict[int, dict] = {}
    languages: dict[int, list[Language]] = {}
    made: dict[int, Language] = {}
    for row in rows:
        if row["interpreter__id"] not in facts:
            row["times_before"], row["last_before"] = history.get(row["interpreter__id"], (0, None))
            facts[row["interpreter__id"]] = row
        language = made.get(row["language__id"])
        if language is None:
            language = made[row["language__id"]] = _made("language__", row)
        languages.setdefault(row["interpreter__id"], []).append(language)
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    blocked = need.blocked
    if blocked is not None and facts:
        starts_after, starts_before = _start_bounds(*blocked)
        values = {"interpreter_ids": list(facts), "starts_after": starts_after, "starts_before": starts_before}
        values["blocked_from"], values["blocked_until"] = blocked
        if need.booking_id is not None:
            values["booking_id"] = need.booking_id
        for interpreter_id, start, end in _BUSY.run(need.booking_id is not None, **values):
            busy.setdefault(interpreter_id, []).append((start, end))
    mode_label = str(Mode(need.mode).label).lower() if need.mode in Mode.values else need.mode
    offers = Interpreter.MODE_FIELDS.get(need.mode)
    week = (*need.week, need.booking_id)

    suggestions = []
    for interpreter_id, row in facts.items():
        n = row["times_before"]
        score = _language_points(need.language, languages[interpreter_id])[0]
        if n:
            score += 20 + 5 * min(n, 6) + (50 if need.same_as_before else 0)
        if need.gender_preference:
            score += 20 if row["interpreter__gender"] == need.gender_preference else -40
        if need.mode == Mode.ON_SITE and need.location is not None:
            score += 10 if row["comes_here"] else -15
        if row["declined"]:
            score -= 30
        times = busy.get(interpreter_id, [])
        works_so = bool(offers and row["interpreter__" + offers])
        blocked = bool(not works_so or row["unwanted"] or times or row["away_until"] is not None)
        suggestions.append(
            Suggestion(
                functools.partial(_interpreter_of, row),
                score,
                n,
                blocked=blocked,
                names=(row["interpreter__user__last_name"], row["interpreter__user__first_name"]),
                explain=functools.partial(_explain, need, row, languages[interpreter_id], times, mode_label, works_so),
                interpreter_id=interpreter_id,
                week=week,
            )
        )
    suggestions.sort(key=lambda s: (not s.available, -s.score, *s.names))
    return suggestions


def _week_loads(for_booking: bool) -> QuerySet:
    """The bookings some interpreters hold in a week, but the one matched (``read_week_loads``)."""
    held = InterpreterBooking.objects.filter(
        IdIn("interpreter_id", "interpreter_ids"),
        status__in=HOLDING_STATUSES,
        starts_at__gte=Param("week_start", DateTimeField()),
        starts_at__lt=Param("week_end", DateTimeField()),
    )
    if for_booking:
        held = held.exclude(pk=Param("booking_id", BigIntegerField()))
    return held.order_by().values("interpreter_id").annotate(n=Count("*")).values_list("interpreter_id", "n")


_WEEK_LOADS = PreparedQuery(_week_loads)


def read_week_loads(suggestions: list[Suggestion]) -> None:
    """Each suggestion's ``load``: the bookings its interpreter holds in the week of the time
    wanted, for the suggestions a page shows, in one query (none for no suggestion).

    Apart from the ranking, which does not need it: counted there for each of a language's
    interpreters (75 at a national scale), it was two thirds of the ranking's query.
    """
    unread = [s for s in suggestions if s.load is None]
    for week in {s.week for s in unread}:
        of_week = [s for s in unread if s.week == week]
        week_start, week_end, booking_id = week
        values = {"interpreter_ids": sorted({s.interpreter_id for s in of_week})}
        if booking_id is not None:
            values["booking_id"] = booking_id
        loads = dict(_WEEK_LOADS.run(booking_id is not None, week_start=week_start, week_end=week_end, **values))
        for s in of_week:
            s.load = loads.get(s.interpreter_id, 0)


def _explain(
    need: MatchNeed, row: dict, languages: list[Language], busy: list, mode_label: str, works_so: bool
) -> tuple[list[str], list[str]]:
    """The texts of one suggestion's score (``reasons``) and of what keeps them (``blockers``),
    in the order ``rank_for_need`` counts them."""
    reasons, blockers = [_language_fit(need.language, languages)[1]], []
    n, last = row["times_before"], row["last_before"]
    if n:
        reasons.append(
            ngettext(
                "Has interpreted for this person once, last on %(day)s",
                "Has interpreted for this person %(n)s times, last on %(day)s",
                n,
            )
            % {"n": n, "day": date_format(timezone.localtime(last), "SHORT_DATE_FORMAT")}
        )
        if need.same_as_before:
            reasons.append(_("The same interpreter as before was asked for"))
    if need.gender_preference:
        if row["interpreter__gender"] == need.gender_preference:
            reasons.append(_("Gender as requested"))
        else:
            reasons.append(_("Not the gender requested"))
    if need.mode == Mode.ON_SITE and need.location is not None:
        if row["comes_here"]:
            reasons.append(_("Comes on site in this area"))
        else:
            reasons.append(_("Does not usually come on site in this area"))
    if row["declined"]:
        reasons.append(_("Declined this request earlier"))
    if not works_so:
        blockers.append(_("Does not work %(mode)s") % {"mode": mode_label})
    if row["unwanted"]:
        blockers.append(_("The person does not want this interpreter"))
    for start, end in busy:
        blockers.append(_("Already booked %(start)s–%(end)s") % {"start": _short_time(start), "end": _short_time(end)})
    if row["away_until"] is not None:
        blockers.append(
            _("Unavailable until %(day)s")
            % {"day": date_format(timezone.localtime(row["away_until"]), "SHORT_DATETIME_FORMAT")}
        )
    return reasons, blockers


def interpreter_for_offer(*, code) -> Interpreter:
    """The interpreter a coordinator picked from the list, or 404."""
    return access.one_or_404(Interpreter.objects.select_related("user"), code=code, is_active=True)


# --- The interpreter's own pages --------------------------------------------------------

# What an interpreter sees of a booking: never the case file, never the person's surname.
INTERPRETER_FIELDS = (
    "code",
    "status",
    "mode",
    "starts_at",
    "ends_at",
    "blocked_from",
    "blocked_until",
    "briefing",
    "location_detail",
    "serves_kind",
    "actual_start",
    "billable_minutes",
    "late_cancellation",
    "short_notice",
    "cancel_reason",
    "interpreter",
    "language",
    "location",
    "team",
    "case",
    "language__code",
    "language__variety",
    "language__name_fr",
    "language__name_nl",
    "language__name_en",
    "location__name",
    "location__address",
    "location__postcode",
    "location__city",
    "team__name",
    "team__contact_email",
    "case__person",
    "case__person__first_name",
    "interpreter__user",
    "interpreter__user__first_name",
    "interpreter__user__last_name",
    "interpreter__user__email",
)


def _interpreter_bookings(user: User) -> QuerySet[InterpreterBooking]:
    return (
        access.scope_bookings_for_interpreter(user, InterpreterBooking.objects.all())
        .select_related("language", "location", "team", "case__person", "interpreter__user")
        .only(*INTERPRETER_FIELDS)
    )


def interpreter_of(*, user: User) -> Interpreter:
    """The signed-in interpreter's profile, or 404."""
    if not access.can(user, Capability.INTERPRET):
        raise Http404
    try:
        return Interpreter.objects.select_related("service").get(user=user)
    except Interpreter.DoesNotExist as exc:
        raise Http404 from exc


def my_bookings(*, user: User) -> dict:
    """The interpreter's offers, upcoming and past bookings."""
    now = clock.now()
    qs = _interpreter_bookings(user)
    return {
        "offers": list(qs.filter(status=BookingStatus.OFFERED, starts_at__gte=now).order_by("starts_at")),
        "upcoming": list(
            qs.filter(status=BookingStatus.CONFIRMED, ends_at__gte=now - timedelta(hours=12)).order_by("starts_at")[:50]
        ),
        # Everything else: done, cancelled (even ahead), no-shows and offers that expired.
        "past": list(
            qs.exclude(status=BookingStatus.OFFERED, starts_at__gte=now)
            .exclude(status=BookingStatus.CONFIRMED, ends_at__gte=now - timedelta(hours=12))
            .order_by("-starts_at")[:30]
        ),
    }


def my_booking_get(*, user: User, code) -> InterpreterBooking:
    return access.one_or_404(_interpreter_bookings(user), code=code)


def my_unavailabilities(*, interpreter: Interpreter) -> list[Unavailability]:
    return list(interpreter.unavailabilities.filter(ends_at__gte=clock.now()).order_by("starts_at"))


def interpreter_by_token(*, token: str) -> Interpreter:
    """The interpreter whose private feed this is; 404 for any other token, with no hint."""
    if not token or len(token) > 64 or "\x00" in token:
        raise Http404
    try:
        return Interpreter.objects.select_related("user").get(calendar_token=token, is_active=True)
    except Interpreter.DoesNotExist as exc:
        raise Http404 from exc


def feed_bookings(*, interpreter: Interpreter) -> list[InterpreterBooking]:
    """What the phone calendar shows: confirmed bookings and the recent past."""
    since = clock.now() - timedelta(days=60)
    return list(
        InterpreterBooking.objects.filter(
            interpreter=interpreter,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.CANCELLED],
            starts_at__gte=since,
        )
        .exclude(status=BookingStatus.CANCELLED, confirmed_at__isnull=True)
        .select_related("language", "location", "team", "case__person", "interpreter__user")
        .only(*INTERPRETER_FIELDS, "confirmed_at")
        .order_by("starts_at")
    )


# --- Timesheet --------------------------------------------------------------------------


@dataclass
class TimesheetTotal:
    label: str
    bookings: int = 0
    minutes: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(following, time.min, tzinfo=tz),
    )


def timesheet_scope(*, user: User) -> QuerySet[InterpreterBooking]:
    """Coordinators read their teams' bookings; an interpreter reads their own."""
    bookings = InterpreterBooking.objects.all()
    teams = access.scope(user, bookings, Capability.VIEW_TIMESHEET)
    return teams | access.scope_bookings_for_interpreter(user, bookings)


def timesheet(*, user: User, month: date, interpreter=None, service=None) -> dict:
    """The month's completed and late-cancelled (billable) bookings, with totals."""
    start, end = month_bounds(month)
    qs = (
        timesheet_scope(user=user)
        .filter(starts_at__gte=start, starts_at__lt=end, interpreter__isnull=False)
        .filter(
            Q(status=BookingStatus.COMPLETED)
            | Q(status=BookingStatus.CANCELLED, late_cancellation=True, billable_minutes__isnull=False)
        )
        .select_related("interpreter__user", "interpreter__service", "language", "team", "location")
        .order_by("interpreter__service__name", "interpreter__user__last_name", "starts_at", "id")
    )
    if interpreter is not None:
        qs = qs.filter(interpreter=interpreter)
    if service is not None:
        qs = qs.filter(interpreter__service=service)
    rows = list(qs)
    by_interpreter: dict[int, TimesheetTotal] = {}
    by_service: dict[int, TimesheetTotal] = {}
    total = TimesheetTotal(_("Total"))
    for b in rows:
        for bucket, key, label in (
            (by_interpreter, b.interpreter_id, str(b.interpreter)),
            (by_service, b.interpreter.service_id, b.interpreter.service.name),
        ):
            t = bucket.setdefault(key, TimesheetTotal(label))
            t.bookings += 1
            t.minutes += b.billable_minutes or 0
        total.bookings += 1
        total.minutes += b.billable_minutes or 0
    return {
        "rows": rows,
        "by_interpreter": list(by_interpreter.values()),
        "by_service": list(by_service.values()),
        "total": total,
    }


def timesheet_interpreters(*, user: User) -> QuerySet[Interpreter]:
    """Interpreters the timesheet filter offers."""
    ids = timesheet_scope(user=user).exclude(interpreter__isnull=True).values("interpreter_id")
    return Interpreter.objects.filter(pk__in=ids).select_related("user").order_by("user__last_name")
