"""Fictional persons, referrals in every status, and cases with their timelines.

Everything goes through the services, so the timelines and audit log fill as in real use.
Dates are spread over the past months by running each step at its own moment.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.case_file import services
from cases.models import Case, ConsentRecord, Person, Referral, RiskFlag
from cases.persons import services as person_services
from cases.referrals import services as referral_services
from cases.risk import services as risk_services
from integrapsy import clock
from integrapsy.accounts.demo import TEAM_BE, TEAM_FR
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language, Location


@contextmanager
def at(moment: datetime):
    """Run services as if it were ``moment`` (demo history only)."""
    with clock.as_of(moment):
        yield


_TODAY = None


def _days_ago(days: int, hour: int = 10) -> datetime:
    # Anchored on the real today, also when called inside ``at()``.
    day = _TODAY - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


# first, last, alias, sex, birth year, nationality, main language (code, variety), team, location, minor
PERSONS = [
    ("Yonas", "Tesfamariam", "", "M", 1998, "ER", ("tir", ""), TEAM_FR, "CAES Croisilles", False),
    ("Hewan", "Kidane", "", "F", 2001, "ER", ("tir", ""), TEAM_FR, "CAES Croisilles", False),
    ("Senay", "Habte", "", "M", 2009, "ER", ("tir", ""), TEAM_FR, "CADA Arras", True),
    ("Abebe", "Girma", "", "M", 1990, "ET", ("amh", ""), TEAM_FR, "CADA Arras", False),
    ("Chaltu", "Bekele", "", "F", 1996, "ET", ("orm", ""), TEAM_FR, "HUDA Lille — Fives", False),
    ("Abdirahman", "Farah", "", "M", 1993, "SO", ("som", ""), TEAM_FR, "HUDA Lille — Fives", False),
    ("Hodan", "Warsame", "", "F", 1999, "SO", ("som", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    (
        "Mohamed",
        "Adam Ismail",
        "",
        "M",
        1995,
        "SD",
        ("ara", "Sudanese"),
        TEAM_FR,
        "Espace d'accueil citoyen Calais",
        False,
    ),
    (
        "Muhammad",
        "Adam Ismaïl",
        "Hamid",
        "M",
        1995,
        "SD",
        ("ara", "Sudanese"),
        TEAM_BE,
        "Centre Fedasil Mouscron",
        False,
    ),
    ("Fatima", "Yousif", "", "F", 1988, "SD", ("ara", "Sudanese"), TEAM_FR, "CAES Croisilles", False),
    ("Abdelrahman", "Osman", "", "M", 2008, "SD", ("ara", "Sudanese"), TEAM_FR, "CAES Croisilles", True),
    ("Ahmad Shah", "Noori", "", "M", 1997, "AF", ("prs", ""), TEAM_FR, "CADA Arras", False),
    ("Gul", "Ahmadzai", "", "F", 1985, "AF", ("pus", ""), TEAM_FR, "Logements diffus Lens", False),
    ("Zabihullah", "Safi", "Zabi", "M", 2008, "AF", ("pus", ""), TEAM_BE, "Centre Fedasil Mouscron", True),
    ("Mariam", "Haidari", "", "F", 1994, "AF", ("prs", ""), TEAM_BE, "ILA Ath", False),
    ("Shirin", "Rahimi", "", "F", 1991, "IR", ("fas", ""), TEAM_FR, "HUDA Lille — Fives", False),
    ("Reza", "Karimi", "", "M", 1987, "IR", ("fas", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    ("Rebwar", "Aziz", "", "M", 1992, "IQ", ("ckb", ""), TEAM_FR, "Espace d'accueil citoyen Calais", False),
    ("Dilan", "Kaya", "", "F", 2000, "TR", ("kmr", ""), TEAM_FR, "CADA Arras", False),
    ("Hawre", "Mahmoud", "", "M", 1998, "IQ", ("ckb", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    ("Imran", "Butt", "", "M", 1989, "PK", ("urd", ""), TEAM_FR, "Logements diffus Lens", False),
    ("Harpreet", "Singh", "", "M", 1994, "IN", ("pan", ""), TEAM_BE, "Centre Fedasil Mouscron", False),
    ("Arben", "Krasniqi", "", "M", 1983, "AL", ("sqi", ""), TEAM_FR, "CADA Arras", False),
    ("Elira", "Hoxha", "", "F", 1996, "AL", ("sqi", ""), TEAM_BE, "ILA Ath", False),
    ("Thi Lan", "Nguyen", "", "F", 1999, "VN", ("vie", ""), TEAM_FR, "Espace d'accueil citoyen Calais", False),
    ("Van Minh", "Tran", "", "M", 2007, "VN", ("vie", ""), TEAM_FR, "Espace d'accueil citoyen Calais", True),
    ("Oksana", "Kovalenko", "", "F", 1980, "UA", ("ukr", ""), TEAM_BE, "ILA Ath", False),
    ("Dmytro", "Shevchuk", "", "M", 1975, "UA", ("ukr", ""), TEAM_FR, "Logements diffus Lens", False),
    ("Aslan", "Dudayev", "", "M", 1986, "RU", ("rus", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    ("Mehmet", "Yildiz", "", "M", 1991, "TR", ("tur", ""), TEAM_FR, "CADA Arras", False),
    ("Aminata", "Diallo", "", "F", 2002, "GN", ("fuf", ""), TEAM_FR, "CAES Croisilles", False),
    ("Mamadou", "Bah", "", "M", 2008, "GN", ("fuf", ""), TEAM_BE, "Centre Fedasil Mouscron", True),
    ("Grâce", "Mbuyi", "", "F", 1993, "CD", ("lin", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    ("Moussa", "Keita", "", "M", 1997, "ML", ("bam", ""), TEAM_FR, "HUDA Lille — Fives", False),
    ("Yohannes", "Tesfamariam", "", "M", 1998, "ER", ("tir", ""), TEAM_BE, "Centre Croix-Rouge Tournai", False),
    ("Selam", "Gebremedhin", "", "F", 2003, "ER", ("tir", ""), TEAM_FR, "Logements diffus Lens", False),
    ("Ali", "Hassan", "", "M", 1990, "SD", ("ara", "Sudanese"), TEAM_FR, "Espace d'accueil citoyen Calais", False),
    ("Nour", "Al-Khatib", "", "F", 1995, "SY", ("ara", ""), TEAM_BE, "ILA Ath", False),
    ("Karim", "Benali", "", "M", 1994, "MA", ("ara", "Moroccan"), TEAM_BE, "Centre Fedasil Mouscron", False),
    ("Samira", "El Idrissi", "", "F", 1998, "MA", ("ara", "Moroccan"), TEAM_FR, "HUDA Lille — Fives", False),
]


REASON_SETS = [
    ["anxiety", "sleep"],
    ["trauma", "sleep"],
    ["depressive_mood", "despair"],
    ["trauma", "anxiety"],
    ["addiction"],
    ["despair", "sleep"],
]


# How each person's story goes: referral status, case status (None: no case yet), days ago.
STORIES = [
    "accepted_active",
    "accepted_active",
    "accepted_open",
    "accepted_active",
    "accepted_on_hold",
    "accepted_closed",
    "accepted_active",
    "accepted_active",
    "submitted_urgent",
    "accepted_active",
    "accepted_risk",
    "accepted_active",
    "declined",
    "accepted_open",
    "accepted_active",
    "info_requested",
    "accepted_active",
    "accepted_shared",
    "accepted_active",
    "submitted",
    "accepted_active",
    "accepted_closed",
    "accepted_active",
    "submitted",
    "accepted_active",
    "accepted_open",
    "accepted_active",
    "declined",
    "accepted_active",
    "accepted_on_hold",
    "submitted_alarm",
    "accepted_active",
    "accepted_active",
    "accepted_open",
    "submitted",
    "accepted_active",
    "accepted_active",
    "info_requested",
    "accepted_active",
    "accepted_closed",
]


# The stories that end before a case: the team's answer to the referral, and what it says.
NOT_ACCEPTED = {
    "info_requested": (
        referral_services.referral_request_info,
        {"question": "Pouvez-vous préciser les horaires où la personne est disponible au centre ?"},
    ),
    "declined": (
        referral_services.referral_decline,
        {"reason": "La personne est déjà suivie par le CMP de secteur ; nous restons disponibles si besoin."},
    ),
}


def _language(code_variety) -> Language:
    code, variety = code_variety
    return Language.objects.get(code=code, variety=variety)


def seed(*, stdout) -> None:
    global _TODAY
    _TODAY = clock.localdate()
    teams = {t.name: t for t in Team.objects.all()}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "coordinator",
                "coordinator_be",
                "psychologist",
                "psychologist_be",
                "socialworker",
                "referrer",
                "referrer_be",
            ]
        )
    }
    locations = {loc.name: loc for loc in Location.objects.all()}
    french = Language.objects.get(code="fra", variety="")
    created = 0
    for index, (row, story) in enumerate(zip(PERSONS, STORIES, strict=True)):
        first, last, alias, sex, year, nationality, lang, team_name, location_name, minor = row
        if (
            Referral.objects.filter(first_name=first, last_name=last).exists()
            or Person.objects.filter(first_name=first, last_name=last).exists()
        ):
            continue
        created += 1
        team = teams[team_name]
        belgian = team_name == TEAM_BE
        referrer = users["referrer_be" if belgian else "referrer"]
        coordinator = users["coordinator_be" if belgian else "coordinator"]
        psychologist = users["psychologist_be" if belgian else "psychologist"]
        language = _language(lang)
        start = 10 + (index * 37) % 160
        reasons = REASON_SETS[index % len(REASON_SETS)]
        urgency = "priority" if "suicidal_thoughts" in reasons else "routine"
        if story == "submitted_urgent":
            urgency = "urgent"
        if story == "submitted_alarm":
            reasons = ["despair", "suicidal_thoughts"]
        if story.startswith("submitted"):
            start = index % 4
        with at(_days_ago(start, 9)):
            referral = referral_services.referral_submit(
                actor=referrer,
                team=team,
                first_name=first,
                last_name=last,
                alias=alias,
                sex=sex,
                birth_year=year,
                unaccompanied_minor=minor,
                nationality=nationality,
                phone=f"+33 6 00 00 {index:02d} {index + 10:02d}"
                if not belgian
                else f"+32 470 00 {index:02d} {index:02d}",
                main_language=language,
                interpreter_needed=lang[0] not in ("fra",),
                interpreter_language=language if lang[0] != "fra" else None,
                location=locations[location_name],
                reasons=reasons,
                reason_other="",
                urgency=urgency,
                actions_taken="Rendez-vous chez le médecin du centre proposé." if index % 3 == 0 else "",
                consent_given=True,
                consent_date=(_days_ago(start, 9)).date(),
                consent_method="oral",
                consent_language=language if index % 2 else french,
                consent_through_interpreter=bool(index % 2),
                languages=[french] if index % 5 == 0 else [],
            )
        if story.startswith("submitted"):
            continue
        decided = max(start - 3, 0)
        if story in NOT_ACCEPTED:
            answer, words = NOT_ACCEPTED[story]
            with at(_days_ago(decided, 11)):
                answer(referral=referral, actor=coordinator, **words)
            continue
        with at(_days_ago(decided, 11)):
            case = referral_services.referral_accept(
                referral=referral, actor=coordinator, lead_psychologist=psychologist
            )
        with at(_days_ago(max(decided - 2, 0), 14)):
            referral_services.referral_record_first_contact(
                referral=referral, actor=coordinator, on=_days_ago(max(decided - 2, 0)).date()
            )
            services.coordination_note_add(
                case=case,
                actor=users["socialworker"] if not belgian else psychologist,
                text="Premier contact à la permanence. Préfère les rendez-vous le matin.",
            )
        if story in ("accepted_active", "accepted_risk", "accepted_shared", "accepted_on_hold", "accepted_closed"):
            with at(_days_ago(max(decided - 3, 0), 15)):
                services.case_update(
                    case=case,
                    actor=coordinator,
                    status=Case.Status.ON_HOLD if story == "accepted_on_hold" else Case.Status.ACTIVE,
                    lead_psychologist=psychologist,
                    members=[psychologist] + ([users["socialworker"]] if not belgian else []),
                )
        if story == "accepted_risk":
            with at(_days_ago(max(decided - 4, 0), 16)):
                risk_services.risk_flag_raise(
                    case=case,
                    source=RiskFlag.Source.OTHER,
                    reason="Idées noires exprimées lors de l'entretien d'accueil.",
                    actor=psychologist,
                )
        if story == "accepted_shared":
            with at(_days_ago(max(decided - 5, 0), 10)):
                person_services.consent_record(
                    person=case.person,
                    actor=coordinator,
                    purpose=ConsentRecord.Purpose.SHARING,
                    given=True,
                    given_on=_days_ago(max(decided - 5, 0)).date(),
                    method="oral",
                    language=language,
                    through_interpreter=True,
                )
                services.case_share(
                    case=case,
                    team=teams[TEAM_BE],
                    actor=coordinator,
                    reason="Transfert prévu vers Tournai.",
                )
        if story == "accepted_closed":
            with at(_days_ago(max(decided - 6, 0), 10)):
                services.case_close(
                    case=case,
                    actor=coordinator,
                    reason="Orientation réussie vers un suivi au long cours.",
                    closed_on=_days_ago(max(decided - 6, 0)).date(),
                )
    stdout.write(f"  cases: {created} new persons with referrals and cases ({Person.objects.count()} in all)")
