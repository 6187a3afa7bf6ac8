"""Fictional ambassadors with assignments on the demo cases, contacts, and training progress.

Runs after ``cases.demo`` (it uses its persons and cases) and writes through the services,
so the case timelines show the assignments and contacts.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from ambassadors import services
from ambassadors.models import (
    PROGRAMME_MODULES,
    Ambassador,
    Assignment,
    LanguageSupportRule,
    TrainingModule,
    TrainingSession,
)
from cases.models import Case
from integrapsy import clock
from integrapsy.accounts.demo import TEAM_FR, demo_user
from integrapsy.accounts.models import Membership, Organisation, Role, Team, User
from integrapsy.directory.models import Language, Location

# username, first name, last name, gender, languages ((code, variety), level), territories,
# availability, maximum, presentation. ``ambassador`` is the demo login (see accounts.demo).
AMBASSADORS = [
    (
        "ambassador",
        "Senait",
        "Tesfay",
        "F",
        [(("tir", ""), "native"), (("amh", ""), "fluent"), (("fra", ""), "working")],
        ["CAES Croisilles", "CADA Arras"],
        ["mon_am", "tue_am", "thu_am", "thu_pm"],
        4,
        "Arrivée d'Érythrée il y a dix ans, aide-soignante de formation. Aime accompagner les jeunes femmes.",
    ),
    (
        "ambassador_ar",
        "Youssef",
        "Amrani",
        "M",
        [(("ara", "Moroccan"), "native"), (("ara", "Sudanese"), "fluent"), (("ara", ""), "fluent")],
        ["HUDA Lille — Fives", "Espace d'accueil citoyen Calais"],
        ["mon_pm", "wed_am", "wed_pm", "fri_am"],
        3,
        "Né à Oujda, en France depuis 2012. A travaillé deux ans à Khartoum : comprend bien le dialecte soudanais.",
    ),
    (
        "ambassador_ps",
        "Farid",
        "Stanekzai",
        "M",
        [(("pus", ""), "native"), (("prs", ""), "fluent"), (("fas", ""), "working")],
        ["CADA Arras", "Logements diffus Lens"],
        ["tue_am", "tue_pm", "thu_am", "fri_pm"],
        4,
        "Ancien enseignant à Jalalabad. Joue au cricket avec les jeunes du CADA le samedi.",
    ),
    (
        "ambassador_ku",
        "Shilan",
        "Karim",
        "F",
        [(("ckb", ""), "native"), (("ara", ""), "working")],
        ["Espace d'accueil citoyen Calais"],
        ["mon_am", "wed_am"],
        2,
        "Originaire de Souleimaniye, médiatrice interculturelle bénévole depuis cinq ans.",
    ),
]

# ambassador, person (first, last), role, status to reach, days since the start, contacts (days ago, minutes, kind)
ASSIGNMENTS = [
    ("ambassador", ("Yonas", "Tesfamariam"), "peer_support", "active", 60, [(55, 90, "visit"), (30, 45, "phone")]),
    ("ambassador", ("Abebe", "Girma"), "accompaniment", "accepted", 5, []),
    ("ambassador", ("Hewan", "Kidane"), "peer_support", "proposed", 2, []),
    ("ambassador_ar", ("Fatima", "Yousif"), "peer_support", "active", 40, [(35, 60, "visit"), (20, 120, "group")]),
    ("ambassador_ar", ("Ali", "Hassan"), "mediation", "active", 25, [(21, 50, "visit")]),
    ("ambassador_ar", ("Mohamed", "Adam Ismail"), "accompaniment", "ended", 90, [(80, 180, "accompaniment")]),
    (
        "ambassador_ps",
        ("Ahmad Shah", "Noori"),
        "language_support",
        "active",
        30,
        [(28, 60, "consultation_support"), (14, 30, "visit")],
    ),
    ("ambassador_ku", ("Rebwar", "Aziz"), "accompaniment", "active", 20, [(18, 240, "accompaniment")]),
]

# title, order, hours, required, description
# title (of the programme, ambassadors.models.PROGRAMME_MODULES), order, hours, required;
# then the French title older demo data stored, renamed in place.
MODULES = [
    ("Intercultural mediation", 1, 12, True, "Médiation interculturelle"),
    ("First-line psychological support", 2, 14, True, "Soutien psychologique de première ligne"),
    ("Access to rights", 3, 10, True, "Accès aux droits"),
    ("Care pathways", 4, 8, True, "Parcours de soins"),
    ("Citizenship of refugees", 5, 6, True, "Citoyenneté des personnes réfugiées"),
    ("Taking care of yourself", 6, 4, False, "Prendre soin de soi"),
]

# module order, days ago (negative: to come), minutes, trainer, place
SESSIONS = [
    (1, 120, 360, "Hélène Roussel (formatrice, médiation)", "Arras, locaux de l'équipe"),
    (2, 90, 420, "Nadia Benali (psychologue)", "Arras, locaux de l'équipe"),
    (3, 60, 300, "Maître Julie Fontaine (avocate)", "Lille, Maison des associations"),
    (4, 30, 240, "Dr Marc Lefebvre (PASS)", "Lens, centre hospitalier"),
    (5, -14, 180, "Collectif Terre d'accueil", "Calais, Espace d'accueil citoyen"),
]

# username -> module orders completed
COMPLETIONS = {"ambassador": [1, 2, 3, 4, 5], "ambassador_ar": [1, 2, 3], "ambassador_ps": [1, 2], "ambassador_ku": [1]}
# session (by module order) -> usernames present
ATTENDANCE = {
    1: ["ambassador", "ambassador_ar", "ambassador_ps", "ambassador_ku"],
    2: ["ambassador", "ambassador_ar", "ambassador_ps"],
    3: ["ambassador", "ambassador_ar"],
    4: ["ambassador"],
}


@contextmanager
def _at(moment: datetime):
    """Run services as if it were ``moment`` (demo history only)."""
    with clock.as_of(moment):
        yield


def _moment(today: date, days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time(hour, 0)))


def _language(code_variety) -> Language:
    code, variety = code_variety
    return Language.objects.get(code=code, variety=variety)


def _user(username, first, last, team) -> User:
    operator = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR).first()
    user, created = demo_user(username, first, last, organisation=operator)
    if created or not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.AMBASSADOR, team=team)
    return user


def _case(first: str, last: str) -> Case | None:
    return (
        Case.objects.filter(person__first_name=first, person__last_name=last, team__name=TEAM_FR)
        .exclude(status=Case.Status.CLOSED)
        .first()
    )


def seed(*, stdout) -> None:
    today = clock.localdate()
    team = Team.objects.get(name=TEAM_FR)
    coordinator = User.objects.get(username="coordinator")
    locations = {loc.name: loc for loc in Location.objects.filter(team=team)}

    ambassadors: dict[str, Ambassador] = {}
    for username, first, last, gender, langs, places, slots, maximum, text in AMBASSADORS:
        user = _user(username, first, last, team)
        existing = Ambassador.objects.filter(user=user).first()
        ambassadors[username] = existing or services.ambassador_create(
            actor=coordinator,
            user=user,
            team=team,
            started_on=today - timedelta(days=400),
            languages=[(_language(cv), level) for cv, level in langs],
            territories=[locations[p] for p in places if p in locations],
            gender=gender,
            availability=slots,
            max_active_assignments=maximum,
            presentation=text,
        )

    made = 0
    for username, (first, last), role, status, days, contacts in ASSIGNMENTS:
        ambassador = ambassadors[username]
        case = _case(first, last)
        if case is None or Assignment.objects.filter(ambassador=ambassador, case=case).exists():
            continue
        made += 1
        with _at(_moment(today, days, 9)):
            assignment = services.assignment_propose(
                case=case,
                ambassador=ambassador,
                actor=coordinator,
                role=role,
                starts_on=today - timedelta(days=days),
                planned_end_on=today + timedelta(days=90),
            )
        if status == "proposed":
            continue
        with _at(_moment(today, days - 1, 18)):
            services.assignment_accept(assignment=assignment, actor=ambassador.user)
        for ago, minutes, kind in contacts:
            with _at(_moment(today, ago, 17)):
                services.contact_log(
                    assignment=assignment,
                    actor=ambassador.user,
                    occurred_on=today - timedelta(days=ago),
                    duration_minutes=minutes,
                    kind=kind,
                    note="Rencontre au centre ; prochain rendez-vous fixé ensemble.",
                )
        if status == "ended":
            with _at(_moment(today, 10, 11)):
                services.assignment_end(
                    assignment=assignment,
                    actor=coordinator,
                    reason=Assignment.EndReason.COMPLETED,
                    note="Démarches terminées.",
                    ended_on=today - timedelta(days=10),
                )

    modules = {}
    for title, order, hours, required, former_title in MODULES:
        found = TrainingModule.objects.filter(title=title).first()
        module = found or TrainingModule.objects.filter(title=former_title).first() or TrainingModule()
        module.title, module.description = title, PROGRAMME_MODULES[title]
        module.order, module.hours, module.required_for_certificate = order, hours, required
        module.save()
        modules[order] = module
    for order, ago, minutes, trainer, place in SESSIONS:
        module = modules[order]
        session = TrainingSession.objects.filter(module=module, team=team, trainer=trainer).first()
        if session is None:
            session = services.training_session_create(
                actor=coordinator,
                module=module,
                team=team,
                starts_at=_moment(today, ago, 9),
                duration_minutes=minutes,
                trainer=trainer,
                place=place,
            )
        if order in ATTENDANCE and session.starts_at <= clock.now():
            services.training_attendance_set(
                session=session, actor=coordinator, ambassadors=[ambassadors[u] for u in ATTENDANCE[order]]
            )
    for username, orders in COMPLETIONS.items():
        ambassador = ambassadors[username]
        done = set(ambassador.module_completions.values_list("module__order", flat=True))
        for order in orders:
            if order not in done:
                services.module_complete(
                    ambassador=ambassador,
                    module=modules[order],
                    actor=coordinator,
                    completed_on=today - timedelta(days=max(0, 100 - 20 * order)),
                )
    if not LanguageSupportRule.objects.filter(team=team).exists():
        services.language_support_rule_set(
            team=team,
            activity="group",
            requirement="interpreter",
            explanation="Groupes de parole : l'équipe veut un interprète professionnel, lié par le secret.",
            actor=coordinator,
        )
    stdout.write(
        f"  ambassadors: {len(ambassadors)} ambassadors, {made} new assignments "
        f"({Assignment.objects.count()} in all), {len(MODULES)} training modules"
    )
    for username, first, last, *_ in AMBASSADORS[1:]:
        stdout.write(f"  {username:<16} ambassador     {first} {last} ({TEAM_FR})")
