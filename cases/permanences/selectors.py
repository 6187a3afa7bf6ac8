"""Reads of permanence sessions, slots and bookings, each scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import BigIntegerField, Count, DateField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.consultations.selectors import may_log_consultation
from cases.households.selectors import household_names_by_person
from cases.models import (
    Case,
    CaseShare,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    PersonLanguage,
    Referral,
    SlotAttendance,
    SlotRequest,
)
from integrapsy import access, clock
from integrapsy import forms as core_forms
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.directory.models import Language, Location
from integrapsy.links import row_url
from integrapsy.prepared import Param, PreparedQuery
from integrapsy.subqueries import row_total

ACTIVE = ~Q(status=SlotAttendance.CANCELLED)


def _count(qs) -> Coalesce:
    return row_total(qs, per="session", total=Count("pk"))


def _with_counts(qs: QuerySet[PermanenceSession]) -> QuerySet[PermanenceSession]:
    """Free/booked counts computed in the database: one query whatever the number of sessions."""
    slots = PermanenceSlot.objects.filter(session=OuterRef("pk"))
    booked = PermanenceBooking.objects.filter(ACTIVE, session=OuterRef("pk"), slot__isnull=False)
    walk_ins = PermanenceBooking.objects.filter(ACTIVE, session=OuterRef("pk"), slot__isnull=True)
    return qs.annotate(slots_total=_count(slots), slots_booked=_count(booked), walk_ins_count=_count(walk_ins))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class WeekDay:
    day: date
    sessions: list = field(default_factory=list)
    is_today: bool = False


def permanence_week(
    *, user: User, monday: date, location: Location | None = None, psychologist: User | None = None
) -> list[WeekDay]:
    """The week's sessions of the user's teams, by day, with free and booked counts.

    Each session carries its link and its counts as the page writes them: the week is drawn
    without a lookup per session.
    """
    shape = (access.scope_key(user, Capability.VIEW_PERMANENCES), location is not None, psychologist is not None)
    rows = _WEEK.run(
        shape,
        monday=monday,
        next_monday=monday + timedelta(days=7),
        location_id=location.pk if location is not None else None,
        psychologist_id=psychologist.pk if psychologist is not None else None,
    )
    today = clock.localdate()
    days = [WeekDay(monday + timedelta(days=i), is_today=monday + timedelta(days=i) == today) for i in range(7)]
    session_url = row_url("cases:permanence_detail")
    for session in rows:
        days[(session["date"] - monday).days].sessions.append(_week_session(session, session_url))
    return days


def _week_rows(shape) -> QuerySet:
    """The sessions ``permanence_week`` reads, for a scope key (``access.scope_key``) and the
    filters given (a place, a psychologist), their values ``Param`` markers."""
    key, by_location, by_psychologist = shape
    qs = access.scope_of_key(PermanenceSession.objects.all(), key).filter(
        date__gte=Param("monday", DateField()), date__lt=Param("next_monday", DateField())
    )
    if by_location:
        qs = qs.filter(location_id=Param("location_id", BigIntegerField()))
    if by_psychologist:
        qs = qs.filter(psychologist_id=Param("psychologist_id", BigIntegerField()))
    return _with_counts(qs).order_by("date", "start_time", "location__name").values(*WEEK_FIELDS)


# Built and compiled once per scope and filters (``integrapsy.prepared``): building the
# queryset with its three counts took longer than the database to answer it.
_WEEK = PreparedQuery(_week_rows)


# What the week shows of each session, read as ``values()`` with its counts (no session, place,
# psychologist or language made a row; each join is planned against the sessions' indexes).
WEEK_FIELDS = (
    "code",
    "date",
    "start_time",
    "end_time",
    "status",
    "walk_in_places",
    "location__name",
    "psychologist_id",
    "psychologist__first_name",
    "psychologist__last_name",
    "psychologist__username",
    "interpreter_language_id",
    "interpreter_language__name_fr",
    "interpreter_language__name_nl",
    "interpreter_language__name_en",
    "slots_total",
    "slots_booked",
    "walk_ins_count",
)


def _week_session(s: dict, session_url) -> dict:
    """One session of the week as the page writes it: its link, place, people and counts."""
    free = s["slots_total"] - s["slots_booked"]
    psychologist = s["psychologist_id"] and User.name_of(
        s["psychologist__first_name"], s["psychologist__last_name"], s["psychologist__username"]
    )
    language = s["interpreter_language_id"] and Language.name_of(
        s["interpreter_language__name_fr"], s["interpreter_language__name_nl"], s["interpreter_language__name_en"]
    )
    return {
        "code": s["code"],
        "url": session_url(s["code"]),
        "start_time": s["start_time"],
        "end_time": s["end_time"],
        "location": s["location__name"],
        "psychologist": psychologist or "",
        "language": language or "",
        "is_cancelled": s["status"] == PermanenceSession.Status.CANCELLED,
        "slots_free": free,
        "slots_booked": s["slots_booked"],
        "walk_in_places": s["walk_in_places"],
        "free_text": ngettext("%(n)s free", "%(n)s free", free) % {"n": localize(free)},
        "booked_text": ngettext("%(n)s booked", "%(n)s booked", s["slots_booked"]) % {"n": localize(s["slots_booked"])},
        "walk_ins_text": _("walk-ins %(n)s/%(places)s")
        % {"n": localize(s["walk_ins_count"]), "places": localize(s["walk_in_places"])}
        if s["walk_in_places"]
        else "",
    }


def week_filter_choices(*, user: User) -> dict:
    """The week filter's places and psychologists: the querysets that check a value sent, and the
    lists drawn (``options``: read in one query, kept a minute for the users of the same teams)."""
    teams = access.teams_for(user, Capability.VIEW_PERMANENCES)
    locations = access.scope(user, Location.objects.filter(is_active=True), Capability.VIEW_PERMANENCES)
    psychologists = access.users_holding(User.objects.all(), Role.PSYCHOLOGIST, teams=teams)
    options = core_forms.kept_options(
        "week-filter",
        access.scope_key(user, Capability.VIEW_PERMANENCES),
        lambda: {
            "location": core_forms.place_options(locations, "code"),
            "psychologist": core_forms.people_options(psychologists, "code"),
        },
    )
    return {
        "locations": locations.order_by("name"),
        "psychologists": psychologists.order_by("last_name", "first_name"),
        "options": options,
    }


def session_form_choices(*, user: User) -> dict:
    """Where and with whom the user may plan a permanence: their coordinated teams' places and people."""
    teams = access.teams_for(user, Capability.PLAN_PERMANENCES)
    users = User.objects.all()
    return {
        "locations": access.scope(user, Location.objects.filter(is_active=True), Capability.PLAN_PERMANENCES).order_by(
            "name"
        ),
        "psychologists": access.users_holding(users, Role.PSYCHOLOGIST, teams=teams).order_by("last_name"),
        "ambassadors": access.users_holding(users, Role.AMBASSADOR, teams=teams).order_by("last_name"),
        "interpreters": access.users_holding(users, Role.INTERPRETER).order_by("last_name"),
    }


def permanence_get(*, user: User, code) -> PermanenceSession:
    """One session of the user's teams, or 404."""
    permanence_sessions = access.scope(
        user, PermanenceSession.objects.all(), Capability.VIEW_PERMANENCES
    ).select_related("team", "location", "psychologist", "ambassador", "interpreter", "interpreter_language")
    return access.one_or_404(permanence_sessions, code=code)


def slot_get(*, user: User, code) -> PermanenceSlot:
    permanence_slots = access.scope(user, PermanenceSlot.objects.all(), Capability.BOOK_SLOTS).select_related(
        "session", "session__location", "session__team"
    )
    return access.one_or_404(permanence_slots, code=code)


def booking_get(*, user: User, code) -> PermanenceBooking:
    permanence_bookings = access.scope(user, PermanenceBooking.objects.all(), Capability.BOOK_SLOTS).select_related(
        "session", "session__location", "slot", "person", "case"
    )
    return access.one_or_404(permanence_bookings, code=code)


def is_not_recorded(booking: PermanenceBooking, session: PermanenceSession, today: date) -> bool:
    """A booked slot of a past day with no attendance: the team forgot to mark it."""
    return booking.status == SlotAttendance.BOOKED and session.date < today


def session_flags(*, user: User, session: PermanenceSession) -> dict:
    """What a session's page offers the user: plan, book, record attendance and walk-ins (not once cancelled)."""
    held = not session.is_cancelled
    may_record = held and access.may(user, Capability.RECORD_ATTENDANCE, session.team_id)
    return {
        "may_plan": held and access.may(user, Capability.PLAN_PERMANENCES, session.team_id),
        "may_book": held and access.may(user, Capability.BOOK_SLOTS, session.team_id),
        "may_record": may_record,
        "may_record_walk_in": may_record and session.date <= clock.localdate(),
    }


@dataclass
class SlotRow:
    slot: PermanenceSlot
    booking: PermanenceBooking | None
    not_recorded: bool
    is_past: bool
    languages: list
    may_book: bool = False  # free, still to come, and the user books in this team
    may_log_consultation: bool = False
    household_with: tuple[str, ...] = ()  # the others of the session in the same household


def _bookings_prefetch() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=PermanenceBooking.objects.filter(ACTIVE).select_related(
            "person", "case", "interpreter_language", "consultation"
        ),
        to_attr="active_bookings",
    )


def session_sheet(*, user: User, session: PermanenceSession) -> dict:
    """The session's slots with their booking, walk-ins, and the languages of the persons booked."""
    slots = list(session.slots.prefetch_related(_bookings_prefetch()).order_by("start_time"))
    walk_ins = list(
        session.bookings.filter(ACTIVE, slot__isnull=True)
        .select_related("person", "case", "interpreter_language", "consultation")
        .order_by("booked_at")
    )
    person_ids = {b.person_id for s in slots for b in s.active_bookings} | {w.person_id for w in walk_ins}
    languages: dict[int, list] = {}
    for pl in (
        PersonLanguage.objects.filter(person_id__in=person_ids)
        .select_related("language")
        .order_by("-is_main", "language__name_en")
    ):
        languages.setdefault(pl.person_id, []).append(pl.language)
    booked = [b.person for s in slots for b in s.active_bookings] + [w.person for w in walk_ins]
    families = household_names_by_person(persons=booked)
    today = clock.localdate()
    now = clock.now()
    may_book = not session.is_cancelled and access.may(user, Capability.BOOK_SLOTS, session.team_id)
    rows = []
    for slot in slots:
        booking = slot.active_bookings[0] if slot.active_bookings else None
        starts = timezone.make_aware(datetime.combine(session.date, slot.start_time))
        rows.append(
            SlotRow(
                slot=slot,
                booking=booking,
                not_recorded=bool(booking and is_not_recorded(booking, session, today)),
                is_past=starts <= now,
                languages=languages.get(booking.person_id, []) if booking else [],
                may_book=booking is None and starts > now and may_book,
                may_log_consultation=bool(booking and may_log_consultation(user=user, booking=booking)),
                household_with=tuple(families.get(booking.person_id, ())) if booking else (),
            )
        )
    return {
        "rows": rows,
        "walk_ins": [
            {
                "booking": w,
                "languages": languages.get(w.person_id, []),
                "may_log_consultation": may_log_consultation(user=user, booking=w),
                "household_with": families.get(w.person_id, []),
            }
            for w in walk_ins
        ],
        "walk_ins_used": len(walk_ins),
        "walk_ins_full": len(walk_ins) >= session.walk_in_places,
        "free_count": sum(1 for r in rows if r.booking is None),
        "booked_count": sum(1 for r in rows if r.booking is not None),
        "cancelled": list(
            session.bookings.filter(status=SlotAttendance.CANCELLED)
            .select_related("person", "slot")
            .order_by("slot__start_time")
        ),
    }


# How many cases the booking and walk-in forms offer at once: a team may follow thousands.
BOOKABLE_SHOWN = 50


def bookable_cases(*, user: User, team: Team, q: str = "", include: str = "") -> QuerySet[Case]:
    """Open cases of the team (or shared with it) the user may open, for the booking forms.

    The ``BOOKABLE_SHOWN`` most recent ones, or those a name or a reference ``q`` finds; plus the
    case ``include`` names (the one chosen, so that a choice made from a search stays valid).
    """
    from cases.case_file.selectors import case_search

    shared = CaseShare.objects.filter(team=team).values("case_id")
    open_cases = access.scope_cases(user, Case.objects.exclude(status=Case.Status.CLOSED)).filter(
        Q(team=team) | Q(pk__in=shared)
    )
    found = open_cases.filter(case_search(q)) if q else open_cases
    ids = list(found.order_by("-opened_on", "-id").values_list("pk", flat=True)[:BOOKABLE_SHOWN])
    if include and "\x00" not in include:
        ids += list(open_cases.filter(reference=include).values_list("pk", flat=True))
    return Case.objects.filter(pk__in=ids).select_related("person").order_by("person__first_name", "person__last_name")


def bookings_not_recorded(*, user: User, limit: int = 20) -> list[PermanenceBooking]:
    """The coordinator's to-do: past booked slots nobody marked attended, not come or cancelled."""
    booked = PermanenceBooking.objects.filter(
        status=SlotAttendance.BOOKED, slot__isnull=False, session__date__lt=clock.localdate()
    )
    return list(
        access.scope(user, booked, Capability.PLAN_PERMANENCES)
        .select_related("session", "session__location", "slot", "person")
        .order_by("session__date", "slot__start_time")[:limit]
    )


def my_coming_sessions(*, user: User, days: int = 7) -> list[PermanenceSession]:
    """The psychologist's sessions today and in the coming days."""
    today = clock.localdate()
    qs = PermanenceSession.objects.filter(
        psychologist=user,
        status=PermanenceSession.Status.SCHEDULED,
        date__gte=today,
        date__lt=today + timedelta(days=days),
    ).select_related("location")
    return list(_with_counts(qs).order_by("date", "start_time")[:10])


# A case's appointments, latest first, so many (the shape): compiled once (``integrapsy.prepared``).
_CASE_BOOKINGS = PreparedQuery(
    lambda limit: (
        PermanenceBooking.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("session", "session__location", "slot")
        .order_by("-session__date", "-slot__start_time")[:limit]
    )
)


def case_bookings(*, case: Case, limit: int = 5) -> list[PermanenceBooking]:
    """The case's coming and most recent appointments, for the case page."""
    return _CASE_BOOKINGS.run(limit, case_id=case.pk)


def free_slots_for_case(*, user: User, case: Case, days: int = 28) -> list[PermanenceSlot]:
    """Free slots of the case's team in the coming weeks."""
    qs = (
        access.scope(user, _free_coming_slots(case.team_id, days), Capability.BOOK_SLOTS)
        .select_related("session", "session__location", "session__psychologist")
        .order_by("session__date", "start_time")
    )
    return list(qs[:60])


def case_permanences_panel(*, user: User, case: Case, case_access) -> dict:
    """The case's permanence appointments, for the team."""
    return {
        "bookings": case_bookings(case=case),
        "may_book": access.can(user, Capability.BOOK_SLOTS) and not case.is_closed,
    }


REQUEST_WEEKS = 4


def _free_coming_slots(team_id: int, days: int) -> QuerySet[PermanenceSlot]:
    today = clock.localdate()
    now = timezone.localtime(clock.now())
    taken = PermanenceBooking.objects.filter(ACTIVE, slot__isnull=False).values("slot_id")
    return (
        PermanenceSlot.objects.filter(
            session__team_id=team_id,
            session__status=PermanenceSession.Status.SCHEDULED,
            session__date__gte=today,
            session__date__lt=today + timedelta(days=days),
        )
        .exclude(session__date=today, start_time__lte=now.time())
        .exclude(pk__in=taken)
    )


@dataclass
class SlotDay:
    day: date
    slots: list = field(default_factory=list)


def referral_free_slots(*, referral: Referral, location: Location | None = None, limit: int = 80) -> list[SlotDay]:
    """Free coming slots of the team the referral went to, by day: what a referrer may ask for."""
    qs = _free_coming_slots(referral.team_id, REQUEST_WEEKS * 7)
    if location is not None:
        qs = qs.filter(session__location=location)
    days: list[SlotDay] = []
    for slot in qs.select_related("session", "session__location").order_by(
        "session__date", "start_time", "session__location__name"
    )[:limit]:
        if not days or days[-1].day != slot.session.date:
            days.append(SlotDay(slot.session.date))
        days[-1].slots.append(slot)
    return days


def referral_slot_locations(*, referral: Referral) -> QuerySet[Location]:
    """Places of the team with a permanence in the coming weeks, to filter the free slots."""
    today = clock.localdate()
    sessions = PermanenceSession.objects.filter(
        team_id=referral.team_id,
        status=PermanenceSession.Status.SCHEDULED,
        date__gte=today,
        date__lt=today + timedelta(weeks=REQUEST_WEEKS),
    ).values("location_id")
    return Location.objects.filter(pk__in=sessions).order_by("name")


def referral_slot_requests(*, referral: Referral) -> dict:
    """The slots asked for this referral and whether another may be asked: place, date, time and answer only."""
    requests = list(
        referral.slot_requests.select_related("slot", "slot__session", "slot__session__location", "booking")
        .only(
            "code",
            "status",
            "requested_at",
            "decided_at",
            "decline_reason",
            "referral_id",
            "slot__start_time",
            "slot__end_time",
            "slot__session__date",
            "slot__session__status",
            "slot__session__location__name",
            "booking__status",
        )
        .order_by("-requested_at")
    )
    closed = Case.objects.filter(pk=referral.case_id, status=Case.Status.CLOSED)
    case_closed = bool(referral.case_id) and closed.exists()
    return {
        "slot_requests": requests,
        "may_request_slot": referral.status != Referral.Status.DECLINED
        and not case_closed
        and not any(r.is_pending for r in requests),
    }


def _answerable(qs: QuerySet[SlotRequest]) -> QuerySet[SlotRequest]:
    """Pending requests with what the coordinator needs to answer them, in one query."""
    taken = PermanenceBooking.objects.filter(ACTIVE, slot=OuterRef("slot"))
    return (
        qs.filter(status=SlotRequest.Status.PENDING)
        .select_related(
            "referral",
            "referral__organisation",
            "referral__case",
            "slot",
            "slot__session",
            "slot__session__location",
            "interpreter_language",
        )
        .annotate(slot_taken=Exists(taken))
        .order_by("slot__session__date", "slot__start_time", "requested_at")
    )


@dataclass
class RequestRow:
    slot_request: SlotRequest
    starts: datetime
    may_confirm: bool
    why_not: str = ""


def _rows(requests) -> list[RequestRow]:
    now = clock.now()
    rows = []
    for r in requests:
        session = r.slot.session
        starts = timezone.make_aware(datetime.combine(session.date, r.slot.start_time))
        if r.referral.status != Referral.Status.ACCEPTED:
            why = _("Accept the referral first.")
        elif r.slot_taken:
            why = _("Slot already booked.")
        elif session.is_cancelled:
            why = _("Permanence cancelled.")
        elif starts <= now:
            why = _("Slot passed.")
        else:
            why = ""
        rows.append(RequestRow(slot_request=r, starts=starts, may_confirm=not why, why_not=why))
    return rows


def slot_requests_to_answer(
    *, user: User, session: PermanenceSession | None = None, limit: int | None = 200
) -> list[RequestRow]:
    """The slots referrers asked for that the user's teams have not answered yet, soonest first."""
    qs = access.scope(user, SlotRequest.objects.all(), Capability.ANSWER_SLOT_REQUESTS)
    if session is not None:
        qs = qs.filter(slot__session=session)
    qs = _answerable(qs)
    return _rows(qs[:limit] if limit else qs)


def slot_requests_count(*, user: User) -> int:
    return (
        access.scope(user, SlotRequest.objects.all(), Capability.ANSWER_SLOT_REQUESTS)
        .filter(status=SlotRequest.Status.PENDING)
        .count()
    )


def slot_request_get(*, user: User, code) -> SlotRequest:
    """One request addressed to a team the user coordinates, or 404."""
    slot_requests = access.scope(user, SlotRequest.objects.all(), Capability.ANSWER_SLOT_REQUESTS).select_related(
        "referral", "slot", "slot__session", "slot__session__location"
    )
    return access.one_or_404(slot_requests, code=code)


def referral_pending_slot_requests(*, referral: Referral) -> list[SlotRequest]:
    """For the team's referral page: the slot the referrer asked for, still waiting."""
    return list(
        referral.slot_requests.filter(status=SlotRequest.Status.PENDING).select_related(
            "slot", "slot__session", "slot__session__location"
        )
    )
