"""Fictional permanences for the coming four weeks, booked slots, signed consultations, one open risk flag.

Also last week's permanence with appointments nobody marked (the coordinator's "not recorded"
list) and a slot the demo referrer asked for, waiting for a coordinator's answer.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.case_file import services as case_services
from cases.case_file.demo import at
from cases.consultations import services as consultation_services
from cases.models import Case, Consultation, PermanenceSession, Person, Referral, SlotAttendance, SlotRequest
from cases.permanences import selectors, services
from cases.persons import services as person_services
from integrapsy import clock
from integrapsy.accounts.demo import TEAM_BE, TEAM_FR
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language, Location

WEEKS = 4


# first name, last name, language code, nationality, team, place they live
PERSONS = [
    ("Dawit", "Gebremedhin", "tir", "ER", TEAM_FR, "CAES Croisilles"),
    ("Khadija", "Warsame", "som", "SO", TEAM_FR, "CAES Croisilles"),
    ("Zalmai", "Nouri", "prs", "AF", TEAM_FR, "CADA Arras"),
    ("Selam", "Tekle", "tir", "ER", TEAM_BE, "Centre Croix-Rouge Tournai"),
]


# team, place, weekday (0 = Monday), start, end, psychologist, ambassador, interpreter, language
SERIES = [
    (TEAM_FR, "CAES Croisilles", 1, time(9), time(12), "psychologist", "ambassador", "interpreter", "tir"),
    (
        TEAM_BE,
        "Centre Croix-Rouge Tournai",
        3,
        time(13, 30),
        time(16, 30),
        "psychologist_be",
        None,
        None,
        None,
    ),
]


CONSULTATIONS = [
    # person index, days ago, kind, problems, notes, risk level
    (0, 21, "first_assessment", ["trauma", "sleep"], "Récit de parcours difficile, sommeil haché.", "low"),
    (0, 7, "follow_up", ["sleep"], "Sommeil un peu meilleur; exercices de respiration repris.", ""),
    (
        1,
        3,
        "crisis",
        ["despair", "suicidal_thoughts"],
        "Idées suicidaires exprimées sans plan; soutien renforcé, rendez-vous rapproché.",
        "",
    ),
    (3, 10, "first_assessment", ["anxiety"], "Inquiétude pour la famille restée au pays.", "low"),
]


def _next_weekday(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _user(username):
    return User.objects.filter(username=username).first()


def _case_for(row, coordinator, locations) -> Case:
    first, last, lang_code, nationality, team_name, place = row
    team = Team.objects.get(name=team_name)
    language = Language.objects.filter(code=lang_code, variety="").first()
    person = Person.objects.filter(first_name=first, last_name=last).first()
    if person is None:
        person = person_services.person_create(
            actor=coordinator,
            first_name=first,
            last_name=last,
            nationality=nationality,
            location=locations.get(place),
            languages=[language] if language else [],
            main_language=language,
        )
    case = person.cases.filter(team=team).exclude(status=Case.Status.CLOSED).first()
    if case is None:
        case = case_services.case_open(
            person=person,
            team=team,
            actor=coordinator,
            opened_on=clock.localdate() - timedelta(days=30),
            lead_psychologist=_user("psychologist" if team_name == TEAM_FR else "psychologist_be"),
            main_language=language,
        )
    return case


def seed(*, stdout) -> None:
    coordinator = _user("coordinator")
    if coordinator is None or not Team.objects.filter(name=TEAM_FR).exists():
        stdout.write("  permanences: skipped (no demo accounts)")
        return
    locations = {loc.name: loc for loc in Location.objects.all()}
    cases = [_case_for(row, coordinator, locations) for row in PERSONS]
    today = clock.localdate()

    created_sessions = 0
    for team_name, place, weekday, start, end, psy, amb, interp, lang in SERIES:
        location = locations.get(place)
        if location is None:
            continue
        upcoming = PermanenceSession.objects.filter(
            location=location, date__gte=today, date__lt=today + timedelta(weeks=WEEKS)
        )
        if upcoming.exists():
            continue
        first_day = _next_weekday(today + timedelta(days=1), weekday)
        fields = {
            "location": location,
            "psychologist": _user(psy),
            "date": first_day,
            "start_time": start,
            "end_time": end,
            "slot_minutes": 45,
            "walk_in_places": 2,
            "ambassador": _user(amb) if amb else None,
            "interpreter": _user(interp) if interp else None,
            "interpreter_language": Language.objects.filter(code=lang, variety="").first() if lang else None,
            "weeks": WEEKS,
        }
        planner = coordinator if team_name == TEAM_FR else _user("coordinator_be")
        if planner is None:
            continue
        sessions = services.permanence_session_create(actor=planner, **fields)
        created_sessions += len(sessions)

    # Book the first slots of each side's next permanence.
    booked = 0
    for case, psy in ((cases[0], coordinator), (cases[2], coordinator), (cases[3], _user("psychologist_be"))):
        session = (
            PermanenceSession.objects.filter(team=case.team, date__gt=today, status=PermanenceSession.Status.SCHEDULED)
            .order_by("date", "start_time")
            .first()
        )
        if session is None or case.permanence_bookings.filter(session=session).exists():
            continue
        slot = session.slots.exclude(bookings__status=SlotAttendance.BOOKED).order_by("start_time").first()
        if slot is not None:
            services.permanence_slot_book(
                slot=slot,
                actor=psy,
                case=case,
                interpreter_needed=case.main_language is not None and case.main_language.code == "tir",
                interpreter_language=case.main_language,
            )
            booked += 1

    logged = 0
    for index, days_ago, kind, problems, notes, risk in CONSULTATIONS:
        case = cases[index]
        started = clock.now().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
        if Consultation.objects.filter(case=case, kind=kind).exists():
            continue
        psychologist = case.lead_psychologist
        interpreter_language = case.main_language if case.main_language and case.main_language.code == "tir" else None
        consultation_services.consultation_create(
            case=case,
            actor=psychologist,
            sign=True,
            started_at=started,
            duration_minutes=45,
            mode=Consultation.Mode.IN_PERSON,
            place=case.person.location,
            kind=kind,
            interpreter=_user("interpreter") if interpreter_language else None,
            interpreter_language=interpreter_language,
            notes=notes,
            presenting_problems=problems,
            next_steps="Revoir dans deux semaines.",
            risk_level=risk,
        )
        logged += 1
    not_recorded = _last_weeks_permanence(coordinator, cases, locations)
    requested = _slot_requested_by_the_referrer(_user("referrer"))
    stdout.write(
        f"  permanences: {created_sessions} sessions, {booked} bookings, {logged} signed consultations, "
        f"{not_recorded} appointments not recorded, {requested} slot requested"
    )


def _last_weeks_permanence(coordinator, cases, locations) -> int:
    """Last week's Tuesday at CAES Croisilles, planned and booked before it, never marked afterwards."""
    location = locations.get("CAES Croisilles")
    today = clock.localdate()
    day = _next_weekday(today - timedelta(days=7), 1)
    if location is None or PermanenceSession.objects.filter(location=location, date__gte=day, date__lt=today).exists():
        return 0
    with at(timezone.make_aware(datetime.combine(day - timedelta(days=3), time(10)))):
        (session,) = services.permanence_session_create(
            actor=coordinator,
            location=location,
            psychologist=_user("psychologist"),
            date=day,
            start_time=time(9),
            end_time=time(12),
            slot_minutes=45,
            walk_in_places=2,
        )
        slots = session.slots.order_by("start_time")
        for case, slot in zip((cases[1], cases[2]), slots, strict=False):
            services.permanence_slot_book(slot=slot, actor=coordinator, case=case)
    return 2


def _slot_requested_by_the_referrer(referrer) -> int:
    """The demo referrer asks for a slot for a person the team has accepted: the coordinators see it."""
    if referrer is None or SlotRequest.objects.filter(requested_by=referrer).exists():
        return 0
    referral = (
        Referral.objects.filter(
            submitted_by=referrer, status=Referral.Status.ACCEPTED, case__status__in=[Case.Status.ACTIVE]
        )
        .select_related("interpreter_language")
        .order_by("received_at")
        .first()
    )
    days = selectors.referral_free_slots(referral=referral) if referral else []
    if not days:
        return 0
    services.slot_request_create(
        referral=referral,
        actor=referrer,
        slot=days[min(1, len(days) - 1)].slots[0],
        interpreter_needed=referral.interpreter_needed,
        interpreter_language=referral.interpreter_language,
        note="Disponible le matin, après le petit-déjeuner du centre.",
    )
    return 1
