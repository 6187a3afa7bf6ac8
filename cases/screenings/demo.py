"""Fictional demo data: questionnaires and scores over months, a directory of resources on both
sides of the border, orientations, and two group activities with attendance (idempotent)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.activities import services as activity_services
from cases.case_file import services as case_services
from cases.management.commands.load_instrument import builtin_files
from cases.models import Case, Enrolment, GroupActivity, Instrument, Orientation, Person, Screening
from cases.orientations import services as orientation_services
from cases.persons import services as person_services
from cases.screenings import services as screening_services
from cases.screenings.scoring import parse_instrument_file
from integrapsy import clock
from integrapsy.accounts.demo import TEAM_FR
from integrapsy.accounts.models import Country, Team, User
from integrapsy.directory.models import Language, Location, Resource

PSY = "psychologist"
INTERPRETER = "interpreter"

# name, kind, country, area, city, languages, accepts without papers, free of charge, phone
RESOURCES = [
    (
        "Cabinet Hagos — psychologue",
        "psychologist",
        "FR",
        "Nord",
        "Lille",
        ["tir", "amh", "eng"],
        True,
        False,
        "+33 1 99 00 01 01",
    ),
    (
        "Centre médico-psychologique de Fives",
        "mental_health_centre",
        "FR",
        "Nord",
        "Lille",
        ["fra", "ara"],
        True,
        True,
        "+33 1 99 00 01 02",
    ),
    (
        "Centre de soins transculturels du Nord",
        "mental_health_centre",
        "FR",
        "Nord",
        "Lille",
        ["ara", "prs", "pus", "fas"],
        True,
        True,
        "+33 1 99 00 01 03",
    ),
    (
        "Centre de psychotraumatologie des Flandres",
        "therapist",
        "FR",
        "Nord",
        "Lille",
        ["fra", "eng", "ara", "rus"],
        True,
        True,
        "+33 1 99 00 01 04",
    ),
    (
        "Hôpital des Flandres — PASS psychiatrique",
        "hospital",
        "FR",
        "Nord",
        "Lille",
        ["fra", "eng"],
        True,
        True,
        "+33 1 99 00 01 05",
    ),
    (
        "Accueil des femmes en exil",
        "association",
        "FR",
        "Nord",
        "Lille",
        ["fra", "eng", "som", "tir"],
        True,
        True,
        "+33 1 99 00 01 06",
    ),
    (
        "Maître Leroy — droit des étrangers",
        "legal_aid",
        "FR",
        "Nord",
        "Lille",
        ["fra", "eng"],
        True,
        False,
        "+33 1 99 00 01 07",
    ),
    (
        "Dr Fontaine — psychothérapeute",
        "therapist",
        "FR",
        "Pas-de-Calais",
        "Arras",
        ["fra", "eng"],
        False,
        False,
        "+33 1 99 00 01 08",
    ),
    (
        "Cabinet Ben Salah — psychologue",
        "psychologist",
        "FR",
        "Pas-de-Calais",
        "Arras",
        ["ara", "fra"],
        False,
        False,
        "+33 1 99 00 01 09",
    ),
    (
        "Hôpital de l'Artois — urgences psychiatriques",
        "hospital",
        "FR",
        "Pas-de-Calais",
        "Arras",
        ["fra"],
        True,
        True,
        "+33 1 99 00 01 10",
    ),
    (
        "Permanence d'accès au droit des étrangers",
        "legal_aid",
        "FR",
        "Pas-de-Calais",
        "Arras",
        ["fra", "eng", "ara"],
        True,
        True,
        "+33 1 99 00 01 11",
    ),
    (
        "CSAPA Le Relais",
        "addiction",
        "FR",
        "Pas-de-Calais",
        "Lens",
        ["fra", "ara"],
        True,
        True,
        "+33 1 99 00 01 12",
    ),
    (
        "CSAPA du Littoral",
        "addiction",
        "FR",
        "Pas-de-Calais",
        "Calais",
        ["fra", "eng", "prs"],
        True,
        True,
        "+33 1 99 00 01 13",
    ),
    (
        "Association Terre d'écoute",
        "association",
        "FR",
        "Pas-de-Calais",
        "Calais",
        ["eng", "ara", "tir", "prs", "pus"],
        True,
        True,
        "+33 1 99 00 01 14",
    ),
    (
        "Mekonnen — psychologue",
        "psychologist",
        "FR",
        "Pas-de-Calais",
        "Calais",
        ["tir", "amh"],
        True,
        False,
        "+33 1 99 00 01 15",
    ),
    (
        "Service de santé mentale de l'Escaut",
        "mental_health_centre",
        "BE",
        "Hainaut",
        "Tournai",
        ["fra", "nld", "ara"],
        True,
        True,
        "",
    ),
    (
        "Cabinet Van Damme — psychologue",
        "psychologist",
        "BE",
        "Hainaut",
        "Tournai",
        ["fra", "nld", "eng"],
        False,
        False,
        "",
    ),
    (
        "Hôpital de l'Escaut — psychiatrie",
        "hospital",
        "BE",
        "Hainaut",
        "Tournai",
        ["fra", "nld"],
        True,
        False,
        "",
    ),
    (
        "Service d'aide aux usagers de drogues",
        "addiction",
        "BE",
        "Hainaut",
        "Tournai",
        ["fra", "ara"],
        True,
        True,
        "",
    ),
    (
        "Cabinet Dumont — avocats",
        "legal_aid",
        "BE",
        "Hainaut",
        "Tournai",
        ["fra", "nld", "eng"],
        True,
        False,
        "",
    ),
    (
        "Service de santé mentale de la Lys",
        "mental_health_centre",
        "BE",
        "Hainaut",
        "Mouscron",
        ["fra", "nld", "tur"],
        True,
        True,
        "",
    ),
    (
        "Kidane — psychologue",
        "psychologist",
        "BE",
        "Hainaut",
        "Mouscron",
        ["tir", "amh", "eng"],
        True,
        False,
        "",
    ),
    ("Droit des jeunes en exil", "legal_aid", "BE", "Hainaut", "Mouscron", ["fra", "ara"], True, True, ""),
    (
        "Centre Passerelle — santé mentale en exil",
        "mental_health_centre",
        "BE",
        "Hainaut",
        "Ath",
        ["ara", "prs", "fas", "tir"],
        True,
        True,
        "",
    ),
    (
        "Bienvenue en Wallonie picarde",
        "association",
        "BE",
        "Hainaut",
        "Ath",
        ["fra", "eng", "ara", "prs"],
        True,
        True,
        "",
    ),
]

# first name, last name, nationality, language; then scores: instrument -> [(months ago, total)]
PERSONS = [
    (
        "Tesfay",
        "Gebremariam",
        "ER",
        "tir",
        {"phq9": [(5, 19), (4, 15), (2, 11), (1, 7)], "who5": [(5, 24), (3, 40), (1, 56)]},
    ),
    (
        "Amina",
        "Yusuf",
        "SO",
        "som",
        {"gad7": [(4, 16), (3, 12), (1, 7)], "pcl5": [(4, 45), (2, 38), (1, 29)]},
    ),
    # Worsening: the last PHQ-9 answers item 9 above 0, which raises the risk flag.
    ("Hamid", "Rahimi", "AF", "prs", {"phq9": [(4, 8), (2, 12), (1, 17)]}),
]


def _answers(instrument: Instrument, total: int, item_nine: int = 0) -> dict:
    """Answers adding up to ``total``, spread over the items (fictional)."""
    scale = instrument.scale
    raw = total // instrument.scoring.get("multiplier", 1)
    ids = [item["id"] for item in instrument.items]
    values = dict.fromkeys(ids, scale["min"])
    if instrument.key == "phq9":
        values["9"] = item_nine
        raw -= item_nine
        ids = [i for i in ids if i != "9"]
    i = 0
    while raw > 0:
        item = ids[i % len(ids)]
        if values[item] < scale["max"]:
            values[item] += 1
            raw -= 1
        i += 1
    return values


def _load_instruments(stdout) -> dict[str, Instrument]:
    out = {}
    for path in builtin_files():
        result = screening_services.instrument_load(definition=parse_instrument_file(path.read_text("utf-8")))
        out[result.instrument.key] = result.instrument
    return out


def _resources() -> dict[str, Resource]:
    languages = {lang.code: lang for lang in Language.objects.filter(variety="")}
    out = {}
    for name, kind, country, area, city, codes, papers, free, phone in RESOURCES:
        resource, _ = Resource.objects.update_or_create(
            name=name,
            city=city,
            defaults={
                "kind": kind,
                "country": Country(country),
                "area": area,
                "phone": phone,
                "email": "",
                "accepts_without_papers": papers,
                "free_of_charge": free,
                "is_active": True,
            },
        )
        resource.languages.set([languages[c] for c in codes if c in languages])
        out[name] = resource
    return out


def _case_for(team: Team, actor: User, first: str, last: str, nationality: str, language: Language) -> Case:
    case = (
        Case.objects.filter(team=team, person__first_name=first, person__last_name=last)
        .exclude(status=Case.Status.CLOSED)
        .order_by("pk")
        .first()
    )
    if case is not None:
        return case
    person = Person.objects.filter(first_name=first, last_name=last, merged_into__isnull=True).first()
    if person is None:
        person = person_services.person_create(
            actor=actor,
            first_name=first,
            last_name=last,
            nationality=nationality,
            birth_year=1994,
            languages=[language],
            main_language=language,
        )
    today = clock.localdate()
    return case_services.case_open(
        person=person,
        team=team,
        actor=actor,
        opened_on=today - timedelta(days=190),
        lead_psychologist=actor,
        main_language=language,
    )


def seed(*, stdout) -> None:
    instruments = _load_instruments(stdout)
    resources = _resources()
    team = Team.objects.filter(name=TEAM_FR).first()
    psy = User.objects.filter(username=PSY).first()
    interpreter = User.objects.filter(username=INTERPRETER).first()
    if team is None or psy is None:
        stdout.write(f"  screenings: {len(instruments)} questionnaires, {len(resources)} resources")
        return
    today = clock.localdate()
    languages = {lang.code: lang for lang in Language.objects.filter(variety="")}
    cases = []
    for first, last, nationality, code, scores in PERSONS:
        language = languages[code]
        case = _case_for(team, psy, first, last, nationality, language)
        cases.append(case)
        for key, points in scores.items():
            if case.screenings.filter(instrument__key=key).exists():
                continue
            for n, (months_ago, total) in enumerate(points):
                worsening_last = last == "Rahimi" and n == len(points) - 1
                with_interpreter = code == "tir" and interpreter is not None
                screening_services.screening_save(
                    case=case,
                    instrument=instruments[key],
                    actor=psy,
                    answers=_answers(instruments[key], total, item_nine=1 if worsening_last else 0),
                    administered_on=today - timedelta(days=30 * months_ago),
                    language=language,
                    mode=Screening.Mode.READ_ALOUD if n % 2 == 0 else Screening.Mode.SELF_COMPLETED,
                    helper_kind=Screening.HelperKind.INTERPRETER if with_interpreter else "",
                    helper=interpreter if with_interpreter else None,
                )
    _orientations(cases, resources, psy, today)
    _activities(team, psy, cases, today)
    stdout.write(
        f"  screenings: {len(instruments)} questionnaires, {len(resources)} resources, "
        f"{Screening.objects.filter(case__in=cases).count()} scores, "
        f"{GroupActivity.objects.filter(team=team).count()} group activities"
    )


def _orientations(cases: list[Case], resources: dict[str, Resource], psy: User, today) -> None:
    tesfay, amina, hamid = cases
    plans = [
        # An appointment was made with a Tigrinya-speaking psychologist in Lille.
        (tesfay, "Cabinet Hagos — psychologue", 50, 45, "appointment_made"),
        # Sent 40 days ago with no news: on the coordinator's to-do list.
        (amina, "Centre de psychotraumatologie des Flandres", 40, 38, None),
        (hamid, "Permanence d'accès au droit des étrangers", 20, None, None),
    ]
    for case, name, proposed_days, sent_days, outcome in plans:
        resource = resources[name]
        if Orientation.objects.filter(case=case, resource=resource).exists():
            continue
        orientation = orientation_services.orientation_create(
            case=case,
            resource=resource,
            actor=psy,
            reason="Suivi spécialisé proposé après l'évaluation des besoins",
            consent_to_share=True,
            what_was_sent="Courrier d'orientation" if sent_days else "",
            proposed_on=today - timedelta(days=proposed_days),
            sent_on=today - timedelta(days=sent_days) if sent_days else None,
        )
        if outcome == "appointment_made":
            orientation_services.orientation_record_outcome(
                orientation=orientation,
                actor=psy,
                status=outcome,
                on=today - timedelta(days=30),
                appointment_on=today + timedelta(days=5),
            )


def _activities(team: Team, psy: User, cases: list[Case], today) -> None:
    location = Location.objects.filter(team=team, kind=Location.Kind.OFFICE).order_by("name").first()
    plans = [
        ("Groupe de parole — hommes", GroupActivity.Kind.TALK_GROUP, 8, ["tir", "ara"], 28, 6, cases[0::2]),
        ("Atelier d'art-thérapie", GroupActivity.Kind.ART_THERAPY, 6, ["fra"], 14, 4, cases),
    ]
    languages = {lang.code: lang for lang in Language.objects.filter(variety="")}
    for title, kind, capacity, codes, days_ago, count, participants in plans:
        activity = GroupActivity.objects.filter(team=team, title=title).first()
        if activity is None:
            first = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(14, 0)))
            activity = activity_services.activity_create(
                team=team,
                actor=psy,
                title=title,
                kind=kind,
                capacity=capacity,
                location=location,
                facilitators=[psy],
                languages=[languages[c] for c in codes if c in languages],
                interpreter_needs="Interprète en tigrinya" if "tir" in codes else "",
                first_session_at=first,
                sessions_count=count,
                every_days=7,
            )
        for case in participants:
            if not Enrolment.objects.filter(activity=activity, case=case).exists():
                activity_services.enrolment_add(activity=activity, case=case, actor=psy)
        enrolled = list(activity.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("id"))
        past = activity.sessions.filter(starts_at__lte=clock.now(), attendance_recorded_at__isnull=True)
        for n, session in enumerate(past.order_by("starts_at")):
            # Someone misses a session now and then.
            present = [e for i, e in enumerate(enrolled) if (i + n) % 4 != 3]
            activity_services.attendance_record(session=session, actor=psy, present=present)
