"""The pages the benchmark measures: a registry, so a new page is one ``register_page`` line.

A new page is one line, e.g.::

    register_page(Page("coordinator dashboard", "coordinator", lambda w: reverse("reports:dashboard")))

A form sent is measured the same way, with the fields it posts (``post=lambda w: {...}``); it
must succeed (a redirect) every time it is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class World:
    """What the page addresses point at, looked up in the benchmark database."""

    users: dict  # role -> user
    heavy_case: str  # reference of the case with the most events
    open_case: str  # an open case of the measured team, for the planner
    search: str  # a last name of the measured team
    open_booking: str  # code of a requested interpreter booking
    week: str  # a Monday with permanences
    old_events: str  # the timeline cursor of the heavy case 4,500 events back
    accepted_referral: str = ""  # code of an accepted referral of the measured team
    full_name: str = ""  # the planner case's person's full name, the first name spelled another way

    @classmethod
    def load(cls) -> World:
        from cases.models import Case, PermanenceSession, Referral, TimelineEvent
        from cases.timeline.selectors import _timeline_cursor
        from integrapsy.accounts.models import User
        from integrapsy.bench.names import spellings
        from interpreters.models import BookingStatus, InterpreterBooking

        usernames = {
            "coordinator": "bench-coord-0",
            "psychologist": "bench-psy-0-0",
            "social_worker": "bench-sw-0-0",
            "admin": "bench-admin",
        }
        users = {role: User.objects.get(username=name) for role, name in usernames.items()}
        team_id = users["coordinator"].memberships.get().team_id
        heavy = Case.objects.get(reference="BX-0000000")
        open_case = Case.objects.filter(team_id=team_id, status__in=["open", "active"]).order_by("reference").first()
        booking = (
            InterpreterBooking.objects.filter(
                team_id=team_id, status=BookingStatus.REQUESTED, starts_at__gte=timezone.now()
            )
            .order_by("starts_at")
            .first()
        ) or InterpreterBooking.objects.filter(team_id=team_id, status=BookingStatus.REQUESTED).first()
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        if not PermanenceSession.objects.filter(team_id=team_id, date__gte=monday, date__lt=monday + timedelta(7)):
            first = PermanenceSession.objects.filter(team_id=team_id).order_by("date").first()
            monday = first.date - timedelta(days=first.date.weekday())
        referral = Referral.objects.filter(team_id=team_id, status=Referral.Status.ACCEPTED).order_by("reference")
        old_event = TimelineEvent.objects.filter(case=heavy).order_by("-occurred_at", "-id")[4500:4501].first()
        return cls(
            users=users,
            heavy_case=heavy.reference,
            open_case=open_case.reference,
            search=open_case.person.last_name,
            full_name=" ".join([spellings(open_case.person.first_name)[-1], open_case.person.last_name]),
            open_booking=str(booking.code),
            week=monday.isoformat(),
            old_events=_timeline_cursor(old_event) if old_event else "",
            accepted_referral=str(referral.values_list("code", flat=True).first() or ""),
        )


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[World], str]
    # The two baselines the pages are compared with.
    baseline: str = ""
    # A form sent (POST, answered by a redirect) rather than a page read: the fields it sends.
    post: Callable[[World], dict] | None = None
    # Sent with the outbox finding no recipient: the page's work without its messages.
    quiet: bool = False


BARE, EMPTY = "bare", "empty"
PAGES: list[Page] = []


def register_page(*pages: Page) -> None:
    for page in pages:
        if all(existing.name != page.name for existing in PAGES):
            PAGES.append(page)


def _q(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"


register_page(
    Page("bare view (baseline)", "coordinator", lambda w: reverse("bench_bare"), baseline=BARE),
    Page("empty page (baseline)", "coordinator", lambda w: reverse("bench_empty"), baseline=EMPTY),
    Page("case list", "coordinator", lambda w: reverse("cases:list")),
    Page("case list, filtered", "coordinator", lambda w: _q(reverse("cases:list"), status="active", risk_level="low")),
    Page("case list, searched", "coordinator", lambda w: _q(reverse("cases:list"), q=w.search)),
    Page("case list, full name searched", "coordinator", lambda w: _q(reverse("cases:list"), q=w.full_name)),
    Page("case page (5,000 events)", "psychologist", lambda w: reverse("cases:detail", args=[w.heavy_case])),
    Page(
        "case page, 4,500 events back",
        "psychologist",
        lambda w: _q(reverse("cases:detail", args=[w.heavy_case]), before=w.old_events),
    ),
    Page("case page, care", "psychologist", lambda w: reverse("cases:detail_care", args=[w.heavy_case])),
    Page("case page, planning", "psychologist", lambda w: reverse("cases:detail_planning", args=[w.heavy_case])),
    Page("case page, referrals and team", "psychologist", lambda w: reverse("cases:detail_file", args=[w.heavy_case])),
    Page("referral inbox", "coordinator", lambda w: reverse("cases:inbox")),
    Page("permanence week", "coordinator", lambda w: _q(reverse("cases:permanence_week"), week=w.week)),
    Page("interpreter bookings", "coordinator", lambda w: reverse("interpreters:booking_list")),
    Page("interpreter match", "coordinator", lambda w: reverse("interpreters:booking_match", args=[w.open_booking])),
    Page("ambassador planner", "coordinator", lambda w: reverse("ambassadors:planner")),
    Page(
        "ambassador planner, a case",
        "coordinator",
        lambda w: _q(reverse("ambassadors:planner"), case=w.open_case, activity="consultation"),
    ),
    Page("coordinator dashboard", "coordinator", lambda w: reverse("reports:dashboard")),
    Page("funder indicators", "coordinator", lambda w: reverse("reports:indicators")),
    Page("funder indicators, all teams", "admin", lambda w: reverse("reports:indicators")),
)


# The same form sent twice over: once as it is (it queues a message to the referrer, through
# the outbox), once with the outbox given no recipient (the same work, no message): the
# message must cost the click no more than noise.
def _first_contact(w: World) -> str:
    return reverse("cases:referral_first_contact", args=[w.accepted_referral])


def _today(w: World) -> dict:
    return {"on": timezone.localdate().isoformat()}


register_page(
    Page("first contact recorded (queues a message)", "coordinator", _first_contact, post=_today),
    Page("first contact recorded, no recipient (no message)", "coordinator", _first_contact, post=_today, quiet=True),
)
