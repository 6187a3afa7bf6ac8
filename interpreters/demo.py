"""Fictional interpreters and bookings in every status, with one long continuity history."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.models import Case
from cases.timeline.record import timeline_record
from integrapsy import clock
from integrapsy.accounts.demo import SETIS, TEAM_BE, TEAM_FR, demo_user
from integrapsy.accounts.models import Country, Membership, Organisation, Role, Team, User
from integrapsy.directory.models import Language
from interpreters import services
from interpreters.models import (
    BookingStatus,
    CancelledBy,
    Gender,
    Interpreter,
    InterpreterBooking,
    Mode,
    NoShowParty,
    ServesKind,
    Unavailability,
)
from interpreters.services import blocked_range

OTHER_SERVICE = "Interprètes solidaires Hauts-de-France (fictif)"

# username, first name, last name, gender, service, languages (code, variety), modes, territories
INTERPRETERS = [
    (
        "interpreter",
        "Yonas",
        "Haile",
        Gender.MALE,
        SETIS,
        [("tir", ""), ("amh", "")],
        "sp",
        [TEAM_BE, TEAM_FR],
    ),
    ("int_selam", "Selam", "Berhane", Gender.FEMALE, SETIS, [("tir", "")], "spv", [TEAM_BE]),
    (
        "int_dawit",
        "Dawit",
        "Mebrahtu",
        Gender.MALE,
        SETIS,
        [("tir", ""), ("amh", "")],
        "sp",
        [TEAM_BE, TEAM_FR],
    ),
    (
        "int_fatima",
        "Fatima",
        "El Idrissi",
        Gender.FEMALE,
        SETIS,
        [("ara", ""), ("ara", "Moroccan")],
        "spv",
        [TEAM_BE],
    ),
    (
        "int_abdel",
        "Abdelrahman",
        "Osman",
        Gender.MALE,
        SETIS,
        [("ara", "Sudanese"), ("ara", "")],
        "sp",
        [TEAM_BE],
    ),
    (
        "int_mursal",
        "Mursal",
        "Rahimi",
        Gender.MALE,
        SETIS,
        [("prs", ""), ("pus", ""), ("fas", "")],
        "spv",
        [TEAM_BE],
    ),
    (
        "int_parwin",
        "Parwin",
        "Haidari",
        Gender.FEMALE,
        OTHER_SERVICE,
        [("prs", ""), ("fas", "")],
        "spv",
        [TEAM_FR],
    ),
    ("int_rebin", "Rebin", "Karim", Gender.MALE, OTHER_SERVICE, [("ckb", ""), ("kmr", "")], "sp", [TEAM_FR]),
    ("int_amadou", "Amadou", "Bah", Gender.MALE, OTHER_SERVICE, [("fuf", ""), ("bam", "")], "pv", [TEAM_FR]),
    (
        "int_oksana",
        "Oksana",
        "Melnyk",
        Gender.FEMALE,
        SETIS,
        [("ukr", ""), ("rus", "")],
        "spv",
        [TEAM_BE, TEAM_FR],
    ),
    ("int_ilir", "Ilir", "Krasniqi", Gender.MALE, OTHER_SERVICE, [("sqi", "")], "sp", [TEAM_FR]),
]

# The persons come from cases/case_file/demo.py (which runs first): each key names one person's open case
# in Hauts-de-France, found by the person's name.
PERSONS = {
    "hewan": ("Hewan", "Kidane"),  # Tigrinya: the long continuity history with Yonas Haile
    "ahmad": ("Ahmad Shah", "Noori"),  # Dari
    "yonas": ("Yonas", "Tesfamariam"),  # Tigrinya
    "rebwar": ("Rebwar", "Aziz"),  # Kurdish Sorani
}


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A local time ``day_offset`` days from today, moved off the weekend."""
    day = clock.localdate() + timedelta(days=day_offset)
    while day.weekday() >= 5:
        day += timedelta(days=1 if day_offset >= 0 else -1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _interpreters(stdout) -> dict[str, Interpreter]:
    other, _ = Organisation.objects.update_or_create(
        name=OTHER_SERVICE,
        defaults={
            "kind": Organisation.Kind.INTERPRETING_SERVICE,
            "country": Country.FRANCE,
            "contact_email": "planning@interpretes-solidaires.invalid",
        },
    )
    services_by_name = {SETIS: Organisation.objects.get(name=SETIS), OTHER_SERVICE: other}
    teams = {t.name: t for t in Team.objects.filter(name__in=[TEAM_FR, TEAM_BE])}
    languages = {(lang.code, lang.variety): lang for lang in Language.objects.all()}
    out = {}
    for username, first, last, gender, service_name, langs, modes, territories in INTERPRETERS:
        service = services_by_name[service_name]
        user, created = demo_user(username, first, last, organisation=service)
        if created:
            # Only the ``interpreter`` demo account signs in; the others are in the matching.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, role=Role.INTERPRETER, organisation=service)
        interpreter = Interpreter.objects.filter(user=user).first()
        if interpreter is None:
            interpreter = services.interpreter_register(
                user=user,
                service=service,
                actor=None,
                gender=gender,
                languages=[languages[key] for key in langs],
                offers_on_site="s" in modes,
                offers_phone="p" in modes,
                offers_video="v" in modes,
                territories=[teams[t] for t in territories],
            )
        out[username] = interpreter
    selam = out["int_selam"]
    if not selam.unavailabilities.exists():
        Unavailability.objects.create(interpreter=selam, starts_at=_at(7, 8), ends_at=_at(11, 18), reason="Formation")
    stdout.write(f"  interpreters: {len(out)} interpreters")
    return out


def _cases(stdout) -> dict[str, Case]:
    """The open cases of the demo persons of cases/case_file/demo.py, by key; missing ones are left out."""
    team = Team.objects.get(name=TEAM_FR)
    out = {}
    for key, (first, last) in PERSONS.items():
        case = (
            Case.objects.filter(team=team, person__first_name=first, person__last_name=last)
            .exclude(status=Case.Status.CLOSED)
            .select_related("person__location", "team")
            .order_by("opened_on", "id")
            .first()
        )
        if case is None:
            stdout.write(f"  interpreters: no open case for {first} {last} (run the cases demo first)")
            continue
        out[key] = case
    return out


def _during(case: Case, count: int, hour: int) -> list[datetime]:
    """``count`` weekdays spread between the case's opening and yesterday, at ``hour``."""
    today = clock.localdate()
    span = max((today - case.opened_on).days, count + 1)
    step = max(span // (count + 1), 1)
    days: list = []
    for i in range(1, count + 1):
        day = case.opened_on + timedelta(days=step * i)
        while day.weekday() >= 5 or (days and day <= days[-1]):
            day += timedelta(days=1)
        days.append(day)
    return [timezone.make_aware(datetime.combine(min(day, today - timedelta(days=1)), time(hour))) for day in days]


def _past_booking(*, case, interpreter, language, start, minutes, actor, status=BookingStatus.COMPLETED, **extra):
    """History before today: written as it happened, with its event on the timeline."""
    end = start + timedelta(minutes=60)
    location = case.person.location
    blocked_from, blocked_until = blocked_range(mode=Mode.ON_SITE, starts_at=start, ends_at=end)
    booking = InterpreterBooking.objects.create(
        team=case.team,
        case=case,
        serves_kind=ServesKind.CONSULTATION,
        language=language,
        mode=Mode.ON_SITE,
        location=location,
        starts_at=start,
        ends_at=end,
        blocked_from=blocked_from,
        blocked_until=blocked_until,
        status=status,
        interpreter=interpreter,
        requested_by=actor,
        requested_at=start - timedelta(days=7),
        offered_at=start - timedelta(days=6),
        confirmed_at=start - timedelta(days=6),
        confirmed_by=interpreter.user,
        actual_start=start if status == BookingStatus.COMPLETED else None,
        actual_end=start + timedelta(minutes=minutes) if status == BookingStatus.COMPLETED else None,
        billable_minutes=minutes if status == BookingStatus.COMPLETED else None,
        completed_at=start + timedelta(hours=2) if status == BookingStatus.COMPLETED else None,
        completed_by=interpreter.user if status == BookingStatus.COMPLETED else None,
        briefing="Consultation de suivi.",
        **extra,
    )
    kind = {BookingStatus.COMPLETED: "booking.completed", BookingStatus.NO_SHOW: "booking.no_show"}[status]
    timeline_record(
        case=case,
        kind=kind,
        actor=interpreter.user,
        summary=services.booking_event_summary(services.booking_data(booking)),
        occurred_at=start + timedelta(hours=1),
        source=booking,
        data=services.booking_data(booking),
    )
    return booking


def _bookings(stdout, interpreters: dict[str, Interpreter], cases: dict[str, Case]) -> None:
    if len(cases) < len(PERSONS):
        return
    hewan, ahmad, yonas_t, rebwar = cases["hewan"], cases["ahmad"], cases["yonas"], cases["rebwar"]
    if InterpreterBooking.objects.filter(case=hewan).exists():
        stdout.write("  interpreters: demo bookings already there")
        return
    coordinator = User.objects.get(username="coordinator")
    psychologist = User.objects.get(username="psychologist")
    lang = {(x.code, x.variety): x for x in Language.objects.all()}
    yonas, selam, dawit = interpreters["interpreter"], interpreters["int_selam"], interpreters["int_dawit"]
    parwin = interpreters["int_parwin"]

    # Hewan's long history with Yonas (six consultations since her case opened, and once with
    # Selam): the matching puts him first next time.
    visits = _during(hewan, 7, 10)
    for start, minutes in zip(visits[1:], (55, 60, 50, 45, 60, 50), strict=True):
        _past_booking(
            case=hewan,
            interpreter=yonas,
            language=lang[("tir", "")],
            start=start,
            minutes=minutes,
            actor=psychologist,
        )
    _past_booking(
        case=hewan,
        interpreter=selam,
        language=lang[("tir", "")],
        start=visits[0].replace(hour=14),
        minutes=40,
        actor=psychologist,
    )
    # Ahmad Shah did not come once, then came.
    missed, came = _during(ahmad, 2, 9)
    _past_booking(
        case=ahmad,
        interpreter=parwin,
        language=lang[("prs", "")],
        start=missed,
        minutes=0,
        actor=coordinator,
        status=BookingStatus.NO_SHOW,
        no_show_party=NoShowParty.PERSON,
    )
    _past_booking(case=ahmad, interpreter=parwin, language=lang[("prs", "")], start=came, minutes=65, actor=coordinator)

    def hewan_follow_up(days: int, **fields):
        """Hewan's psychologist asks for a Tigrinya interpreter on site, ``days`` from now at 10."""
        return services.booking_request(
            actor=psychologist,
            team=hewan.team,
            case=hewan,
            language=lang[("tir", "")],
            mode=Mode.ON_SITE,
            location=hewan.person.location,
            starts_at=_at(days, 10),
            ends_at=_at(days, 11),
            same_as_before=True,
            **fields,
        )

    # Confirmed: Hewan, Tigrinya, in two days, with Yonas (who accepted in the app).
    booking = hewan_follow_up(
        2,
        excluded_interpreters=[dawit],
        briefing="Suivi psychologique. Hewan préfère être vouvoyée ; arriver 10 minutes avant.",
    )
    services.booking_offer(booking=booking, interpreter=yonas, actor=coordinator)
    services.booking_confirm(booking=booking, actor=yonas.user)

    # Offered, waiting for the interpreter's answer: Yonas has an offer on his home page.
    booking = hewan_follow_up(9, briefing="Suivi psychologique.")
    services.booking_offer(booking=booking, interpreter=yonas, actor=coordinator)

    # Requested, not yet matched: Dari, by phone, a man.
    services.booking_request(
        actor=coordinator,
        team=ahmad.team,
        case=ahmad,
        language=lang[("prs", "")],
        mode=Mode.PHONE,
        starts_at=_at(4, 14),
        ends_at=_at(4, 15),
        gender_preference="M",
        briefing="Appel pour préparer l'orientation vers une consultation spécialisée.",
    )
    # Requested at short notice for a rare language (Kurdish Sorani).
    services.booking_request(
        actor=coordinator,
        team=rebwar.team,
        case=rebwar,
        serves_kind=ServesKind.PERMANENCE,
        language=lang[("ckb", "")],
        mode=Mode.ON_SITE,
        location=rebwar.person.location,
        starts_at=_at(1, 15),
        ends_at=_at(1, 16),
        briefing="Permanence à l'espace d'accueil.",
    )
    # Cancelled in time, and cancelled late (billable).
    soon = (clock.now() + timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
    for start, late in ((_at(3, 11), False), (soon, True)):
        booking = services.booking_request(
            actor=psychologist,
            team=yonas_t.team,
            case=yonas_t,
            language=lang[("tir", "")],
            mode=Mode.VIDEO,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            gender_preference="F",
            briefing="Entretien par visio.",
        )
        services.booking_confirm(booking=booking, actor=coordinator, interpreter=selam)
        services.booking_cancel(
            booking=booking,
            actor=psychologist,
            reason="Rendez-vous à la préfecture le même jour" if late else "Transfert vers un autre centre",
            by=CancelledBy.TEAM,
        )
    stdout.write(f"  interpreters: {InterpreterBooking.objects.count()} bookings")


def seed(*, stdout) -> None:
    interpreters = _interpreters(stdout)
    _bookings(stdout, interpreters, _cases(stdout))
