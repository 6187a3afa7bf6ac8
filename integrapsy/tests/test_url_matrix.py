"""Every URL of the project × every role (and anonymous): the expected status of a GET.

A URL that exists but is missing here fails ``test_every_url_is_in_the_matrix``: add each
new URL with the status every role must get (404, never 403, for rows outside a scope).

The ``world`` the URLs point at is built once for the module, inside a transaction rolled back
at its end; each role's request runs in a savepoint rolled back after it, so what a page writes
(an audit row, a session, a last login) reaches neither the next role nor the next URL.
One test per URL asks it as every role and reports every role that got a wrong status.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLE_NAMES

ANON = "anonymous"
ROLES = [ANON, *ROLE_NAMES]
LOGIN = 302  # anonymous users are sent to the login page


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per role: ``default`` for every signed-in role, anonymous → login."""
    statuses = dict.fromkeys(ROLE_NAMES, default)
    statuses[ANON] = LOGIN
    statuses.update(overrides)
    return statuses


STAFF_200 = {"coordinator": 200, "psychologist": 200, "social_worker": 200}


def CODE(key):  # noqa: N802
    """The kwargs of a URL that names the ``world`` row ``key`` by its code."""
    return lambda w: {"code": w[key].code}


def CASE(w):  # noqa: N802
    return {"reference": w["case"].reference}


def PERSON(w):  # noqa: N802
    return {"code": w["case"].person.code}


def SLOT(w):  # noqa: N802
    return {"code": w["permanence_session"].slots.order_by("start_time").last().code}


def FEED(w):  # noqa: N802
    return {"token": w["interpreter"].calendar_token}


def SCREENING(w):  # noqa: N802
    return {"reference": w["case"].reference, "code": w["screening"].code}


REFERRAL = CODE("referral")
SESSION = CODE("permanence_session")
SLOT_BOOKING = CODE("slot_booking")
BOOKING = CODE("booking")
CONSULTATION = CODE("consultation")
ASSESSMENT = CODE("assessment")
MY_BOOKING = CODE("my_booking")
MY_UPCOMING_BOOKING = CODE("my_upcoming_booking")
AMBASSADOR = CODE("ambassador")
ASSIGNMENT = CODE("assignment")
TRAINING_SESSION = CODE("training_session")

PLANNERS_200 = {"coordinator": 200, "psychologist": 200}
PSYCHOLOGIST_200 = {"psychologist": 200}
ACTIVITY_MANAGERS_200 = {"coordinator": 200, "psychologist": 200}
REPORTERS_200 = {"coordinator": 200, "admin": 200}


# url name -> (kwargs builder from the ``world`` fixture, or None; expected status per role)
MATRIX: dict[str, tuple[Callable | None, dict[str, int]]] = {
    "home": (None, expect(200)),
    "healthz": (None, expect(200, anonymous=200)),
    # Working offline: the manifest, the service worker and the offline page name nobody.
    "manifest": (None, expect(200, anonymous=200)),
    "service_worker": (None, expect(200, anonymous=200)),
    "offline:page": (None, expect(200, anonymous=200)),
    "login": (None, expect(302, anonymous=200)),  # signed-in users go on to their home page
    "logout": (None, expect(405)),  # POST only
    "password_change": (None, expect(200)),
    "password_change_done": (None, expect(200)),
    # Password reset by email: open without signing in (signed-in users may use it too).
    "password_reset": (None, expect(200, anonymous=200)),
    "password_reset_done": (None, expect(200, anonymous=200)),
    # A link that is not valid answers its own page ("ask for a new link"), not an error.
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "not-a-token"}, expect(200, anonymous=200)),
    "password_reset_complete": (None, expect(200, anonymous=200)),
    "two_factor": (None, expect(200)),
    "set_language": (None, expect(405, anonymous=405)),  # POST only, also on the login page
    # Django's admin: staff only; others are sent to the admin's own login page.
    "admin:index": (None, expect(302, admin=200)),
    # Cases, persons and referrals
    "cases:list": (None, expect(404, **STAFF_200)),
    "cases:detail": (CASE, expect(404, **STAFF_200)),
    "cases:detail_care": (CASE, expect(404, **STAFF_200)),
    "cases:detail_planning": (CASE, expect(404, **STAFF_200)),
    "cases:detail_file": (CASE, expect(404, **STAFF_200)),
    "cases:note_add": (CASE, expect(405)),
    "cases:update": (CASE, expect(404, **STAFF_200)),
    "cases:close": (CASE, expect(404, **STAFF_200)),
    "cases:share": (CASE, expect(404, **STAFF_200)),
    "cases:person_new": (None, expect(404, coordinator=200)),
    "cases:person_detail": (PERSON, expect(404, **STAFF_200)),
    "cases:person_edit": (PERSON, expect(404, **STAFF_200)),
    "cases:consent_add": (PERSON, expect(404, **STAFF_200)),
    "cases:person_access_log": (PERSON, expect(404, psychologist=200)),
    # Households: the family links of a person, changed by the teams that follow them
    "cases:household_add": (PERSON, expect(404, **STAFF_200)),
    "cases:household_remove": (PERSON, expect(405)),  # POST only
    "staff_categories": (None, expect(404, admin=200)),
    "retention_schedule": (None, expect(404, admin=200)),
    "cases:gdpr_persons": (None, expect(404, admin=200)),
    "cases:gdpr_subject_access": (PERSON, expect(404, admin=200)),
    "cases:gdpr_subject_access_json": (PERSON, expect(404, admin=200)),
    "cases:gdpr_anonymise": (PERSON, expect(404, admin=200)),
    "audit:list": (None, expect(404, admin=200, coordinator=200)),
    "cases:person_merge": (PERSON, expect(404, coordinator=200)),
    "cases:nationalities_unresolved": (None, expect(404, admin=200)),
    "cases:nationality_resolve": (CODE("unresolved_person"), expect(404, admin=200)),
    "cases:referral_new": (None, expect(404, referrer=200)),
    "cases:referral_mine": (None, expect(404, referrer=200)),
    "cases:referral_status": (REFERRAL, expect(404, referrer=200)),
    "cases:referral_answer": (REFERRAL, expect(405)),
    "cases:inbox": (None, expect(404, **STAFF_200)),
    "cases:referral_detail": (REFERRAL, expect(404, **STAFF_200)),
    "cases:referral_accept": (REFERRAL, expect(405)),
    "cases:referral_decline": (REFERRAL, expect(405)),
    "cases:referral_ask": (REFERRAL, expect(405)),
    "cases:referral_take": (REFERRAL, expect(405)),
    "cases:referral_first_contact": (REFERRAL, expect(405)),
    # Permanences and slots
    "cases:permanence_week": (None, expect(404, **STAFF_200)),
    "cases:permanence_new": (None, expect(404, coordinator=200)),
    "cases:permanence_detail": (SESSION, expect(404, **STAFF_200)),
    "cases:permanence_sheet": (SESSION, expect(404, **STAFF_200)),
    "cases:permanence_attendance": (SESSION, expect(404, **PLANNERS_200)),
    "cases:permanence_cancel": (SESSION, expect(404, coordinator=200)),
    "cases:permanence_walk_in": (SESSION, expect(404, **PLANNERS_200)),
    "cases:slot_book": (SLOT, expect(404, **STAFF_200)),
    "cases:booking_attendance": (SLOT_BOOKING, expect(404, **STAFF_200)),
    "cases:case_book": (CASE, expect(404, **STAFF_200)),
    # Slots asked for by referrers (their own organisation's referrals), answered by coordinators
    "cases:referral_status_slot": (REFERRAL, expect(404, referrer=200)),
    "cases:permanence_requests": (None, expect(404, coordinator=200)),
    "cases:permanence_request_confirm": (CODE("slot_request"), expect(405)),
    "cases:permanence_request_decline": (CODE("slot_request"), expect(404, coordinator=200)),
    # Consultations and risk: psychologists of the case's team only
    "cases:consultation_list": (CASE, expect(404, psychologist=200)),
    "cases:consultation_new": (CASE, expect(404, psychologist=200)),
    "cases:consultation_detail": (CONSULTATION, expect(404, psychologist=200)),
    "cases:consultation_edit": (CONSULTATION, expect(404, psychologist=200)),
    "cases:consultation_sign": (CONSULTATION, expect(405)),
    "cases:consultation_addendum": (CONSULTATION, expect(405)),
    "cases:risk_assess": (CASE, expect(404, psychologist=200)),
    "cases:risk_assessment_detail": (ASSESSMENT, expect(404, psychologist=200)),
    # Interpreter bookings: the team's side
    "interpreters:booking_list": (None, expect(404, **STAFF_200)),
    "interpreters:booking_new": (None, expect(404, coordinator=200, psychologist=200)),
    "interpreters:booking_detail": (BOOKING, expect(404, **STAFF_200)),
    "interpreters:booking_match": (BOOKING, expect(404, coordinator=200)),
    "interpreters:booking_offer": (BOOKING, expect(405)),
    "interpreters:booking_confirm": (BOOKING, expect(405)),
    "interpreters:booking_complete": (MY_BOOKING, expect(404, coordinator=200)),
    "interpreters:booking_cancel": (BOOKING, expect(404, coordinator=200, psychologist=200)),
    "interpreters:booking_no_show": (BOOKING, expect(405)),
    # The interpreter's own pages
    "interpreters:my_bookings": (None, expect(404, interpreter=200)),
    "interpreters:my_booking_detail": (MY_BOOKING, expect(404, interpreter=200)),
    "interpreters:my_booking_accept": (MY_BOOKING, expect(405)),
    "interpreters:my_booking_decline": (MY_BOOKING, expect(404, interpreter=200)),
    "interpreters:my_booking_withdraw": (MY_UPCOMING_BOOKING, expect(404, interpreter=200)),
    "interpreters:my_booking_complete": (MY_BOOKING, expect(404, interpreter=200)),
    "interpreters:my_booking_ics": (MY_BOOKING, expect(404, interpreter=200)),
    "interpreters:my_calendar": (None, expect(404, interpreter=200)),
    "interpreters:my_calendar_reset": (None, expect(405)),
    "interpreters:my_unavailability_add": (None, expect(405)),
    # Fetched by a phone calendar without signing in: the secret token is the key.
    "interpreters:calendar_feed": (FEED, expect(200, anonymous=200)),
    "interpreters:timesheet": (None, expect(404, coordinator=200, interpreter=200)),
    "interpreters:timesheet_export": (None, expect(404, coordinator=200, interpreter=200)),
    # Ambassadors: colleagues see the team's ambassadors; coordinators manage and plan;
    # the ambassador reaches only their own assignments through a reduced page.
    "ambassadors:ambassador_list": (None, expect(404, **STAFF_200)),
    "ambassadors:ambassador_new": (None, expect(404, coordinator=200)),
    "ambassadors:ambassador_detail": (AMBASSADOR, expect(404, **STAFF_200)),
    "ambassadors:ambassador_edit": (AMBASSADOR, expect(404, coordinator=200)),
    "ambassadors:ambassador_training": (AMBASSADOR, expect(404, **STAFF_200)),
    "ambassadors:case_assign": (CASE, expect(404, coordinator=200)),
    "ambassadors:assignment_end": (ASSIGNMENT, expect(404, coordinator=200)),
    "ambassadors:training": (None, expect(404, **STAFF_200)),
    "ambassadors:training_session_new": (None, expect(404, coordinator=200)),
    "ambassadors:training_session": (TRAINING_SESSION, expect(404, **STAFF_200)),
    "ambassadors:planner": (None, expect(404, coordinator=200)),
    "ambassadors:planner_rules": (None, expect(404, coordinator=200)),
    "ambassadors:mine": (None, expect(404, ambassador=200)),
    "ambassadors:mine_detail": (ASSIGNMENT, expect(404, ambassador=200)),
    "ambassadors:mine_accept": (ASSIGNMENT, expect(405)),
    "ambassadors:mine_decline": (ASSIGNMENT, expect(405)),
    "ambassadors:mine_contact": (ASSIGNMENT, expect(405)),
    "ambassadors:my_training": (None, expect(404, ambassador=200)),
    # Screening questionnaires: clinical, for the psychologists of the case's team only
    "cases:screening_list": (CASE, expect(404, **PSYCHOLOGIST_200)),
    "cases:screening_new": (
        lambda w: {"reference": w["case"].reference, "instrument": "phq9"},
        expect(404, **PSYCHOLOGIST_200),
    ),
    "cases:screening_detail": (SCREENING, expect(404, **PSYCHOLOGIST_200)),
    "cases:screening_edit": (
        lambda w: {"reference": w["case"].reference, "code": w["draft_screening"].code},
        expect(404, **PSYCHOLOGIST_200),
    ),
    # Orientations and the directory of resources
    "cases:orientation_new": (CASE, expect(404, **STAFF_200)),
    "cases:orientation_todo": (None, expect(404, coordinator=200)),
    "cases:orientation_detail": (CODE("orientation"), expect(404, **STAFF_200)),
    "cases:orientation_outcome": (CODE("orientation"), expect(404, **STAFF_200)),
    "cases:resource_list": (None, expect(404, **STAFF_200)),
    "cases:resource_new": (None, expect(404, coordinator=200)),
    "cases:resource_edit": (CODE("resource"), expect(404, coordinator=200)),
    # Collective therapeutic activities
    "cases:activity_list": (None, expect(404, **STAFF_200)),
    "cases:activity_new": (None, expect(404, **ACTIVITY_MANAGERS_200)),
    "cases:activity_detail": (CODE("activity"), expect(404, **STAFF_200)),
    "cases:activity_enrol": (CODE("activity"), expect(404, **STAFF_200)),
    "cases:activity_session_add": (CODE("activity"), expect(404, **ACTIVITY_MANAGERS_200)),
    "cases:activity_withdraw": (CODE("enrolment"), expect(405)),
    "cases:activity_attendance": (CODE("activity_session"), expect(404, **STAFF_200)),
    # Dashboards, funder indicators and exports: coordinators (their teams) and the administrator
    "reports:dashboard": (None, expect(404, **REPORTERS_200)),
    "reports:list": (lambda w: {"what": "referrals"}, expect(404, **REPORTERS_200)),
    "reports:indicators": (None, expect(404, **REPORTERS_200)),
    "reports:indicators_export": (lambda w: {"fmt": "xlsx"}, expect(404, **REPORTERS_200)),
    "reports:exports": (None, expect(404, **REPORTERS_200)),
    "reports:export": (lambda w: {"what": "cases", "fmt": "csv"}, expect(404, **REPORTERS_200)),
    # A file prepared in the background: its owner alone sees it (an unknown one is not found).
    "reports:job": (lambda w: {"code": "00000000-0000-0000-0000-000000000001"}, expect(404)),
    "reports:job_download": (lambda w: {"code": "00000000-0000-0000-0000-000000000001"}, expect(404)),
    # Messages that could not be delivered: coordinators (their teams) and the administrator
    "notifications:undelivered": (None, expect(404, **REPORTERS_200)),
    "notifications:retry": (lambda w: {"code": "00000000-0000-0000-0000-000000000001"}, expect(405)),  # POST only
    # Text reminders: the person's number for the staff; settings, texts and the list for coordinators;
    # a call for whom it is asked of (an unassigned call: the team's coordinators)
    "cases:reminder_text_contact": (PERSON, expect(404, **STAFF_200)),
    "cases:reminder_list": (None, expect(404, coordinator=200)),
    "cases:reminder_settings": (lambda w: {"code": w["case"].team.code}, expect(404, coordinator=200)),
    "cases:reminder_templates": (lambda w: {"code": w["case"].team.code}, expect(404, coordinator=200)),
    "cases:reminder_template_edit": (lambda w: {"code": w["case"].team.code}, expect(404, coordinator=200)),
    "cases:reminder_call": (CODE("reminder_call"), expect(404, coordinator=200)),
    # The text gateway's signed callbacks: POST only, without a session
    "cases:reminder_sms_receipt": (None, expect(405, anonymous=405)),
    "cases:reminder_sms_inbound": (None, expect(405, anonymous=405)),
}

# The same pages for rows of another team or organisation: 404 for every role.
OUTSIDE_SCOPE: dict[str, Callable] = {
    "cases:detail": lambda w: {"reference": w["other_case"].reference},
    "cases:detail_care": lambda w: {"reference": w["other_case"].reference},
    "cases:detail_planning": lambda w: {"reference": w["other_case"].reference},
    "cases:detail_file": lambda w: {"reference": w["other_case"].reference},
    "cases:update": lambda w: {"reference": w["other_case"].reference},
    "cases:person_detail": lambda w: {"code": w["other_case"].person.code},
    # A person whose nationality is a country already: nothing to resolve.
    "cases:nationality_resolve": lambda w: {"code": w["case"].person.code},
    "cases:household_add": lambda w: {"code": w["other_case"].person.code},
    "cases:referral_detail": lambda w: {"code": w["other_referral"].code},
    "cases:referral_status": lambda w: {"code": w["other_referral"].code},
    "cases:permanence_detail": lambda w: {"code": w["other_permanence_session"].code},
    "cases:permanence_sheet": lambda w: {"code": w["other_permanence_session"].code},
    "cases:permanence_cancel": lambda w: {"code": w["other_permanence_session"].code},
    "cases:slot_book": lambda w: {"code": w["other_permanence_session"].slots.last().code},
    "cases:case_book": lambda w: {"reference": w["other_case"].reference},
    "cases:referral_status_slot": lambda w: {"code": w["other_referral"].code},
    "cases:permanence_request_decline": lambda w: {"code": w["other_slot_request"].code},
    "cases:consultation_list": lambda w: {"reference": w["other_case"].reference},
    "cases:consultation_new": lambda w: {"reference": w["other_case"].reference},
    "cases:consultation_detail": lambda w: {"code": w["other_consultation"].code},
    "cases:consultation_edit": lambda w: {"code": w["other_consultation"].code},
    "cases:risk_assess": lambda w: {"reference": w["other_case"].reference},
    "interpreters:booking_detail": lambda w: {"code": w["other_booking"].code},
    "interpreters:booking_match": lambda w: {"code": w["other_booking"].code},
    "interpreters:booking_cancel": lambda w: {"code": w["other_booking"].code},
    "interpreters:my_booking_detail": lambda w: {"code": w["other_interpreter_booking"].code},
    "interpreters:my_booking_ics": lambda w: {"code": w["other_interpreter_booking"].code},
    "interpreters:my_booking_withdraw": lambda w: {"code": w["other_interpreter_booking"].code},
    "interpreters:calendar_feed": lambda w: {"token": "wrong-token"},
    "ambassadors:ambassador_detail": lambda w: {"code": w["other_ambassador"].code},
    "ambassadors:ambassador_edit": lambda w: {"code": w["other_ambassador"].code},
    "ambassadors:ambassador_training": lambda w: {"code": w["other_ambassador"].code},
    "ambassadors:case_assign": lambda w: {"reference": w["other_case"].reference},
    "ambassadors:assignment_end": lambda w: {"code": w["other_assignment"].code},
    "ambassadors:training_session": lambda w: {"code": w["other_training_session"].code},
    # Another ambassador's assignment, on a case of the same team: 404 for the ambassador too.
    "ambassadors:mine_detail": lambda w: {"code": w["colleague_assignment"].code},
    "cases:screening_list": lambda w: {"reference": w["other_case"].reference},
    "cases:screening_new": lambda w: {"reference": w["other_case"].reference, "instrument": "phq9"},
    "cases:screening_detail": lambda w: {
        "reference": w["other_case"].reference,
        "code": w["other_screening"].code,
    },
    # A screening reached through another case's reference is not found either.
    "cases:screening_edit": lambda w: {
        "reference": w["other_case"].reference,
        "code": w["draft_screening"].code,
    },
    "cases:orientation_new": lambda w: {"reference": w["other_case"].reference},
    "cases:orientation_detail": lambda w: {"code": w["other_orientation"].code},
    "cases:orientation_outcome": lambda w: {"code": w["other_orientation"].code},
    "cases:activity_detail": lambda w: {"code": w["other_activity"].code},
    "cases:activity_enrol": lambda w: {"code": w["other_activity"].code},
    "cases:activity_session_add": lambda w: {"code": w["other_activity"].code},
    "cases:activity_attendance": lambda w: {"code": w["other_activity_session"].code},
    "cases:reminder_text_contact": lambda w: {"code": w["other_case"].person.code},
    "cases:reminder_settings": lambda w: {"code": w["other_case"].team.code},
    "cases:reminder_templates": lambda w: {"code": w["other_case"].team.code},
    "cases:reminder_template_edit": lambda w: {"code": w["other_case"].team.code},
    "cases:reminder_call": lambda w: {"code": w["other_reminder_call"].code},
}

# Django admin pages are covered by admin:index and Django's own permission checks.
EXCLUDED_NAMESPACES = ("admin",)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def project_url_names() -> set[str]:
    names = set(_walk(get_resolver().url_patterns))
    return {n for n in names if not n.startswith(tuple(f"{ns}:" for ns in EXCLUDED_NAMESPACES))}


def test_every_url_is_in_the_matrix():
    missing = project_url_names() - set(MATRIX) - {"admin:index"}
    assert not missing, f"URLs missing from the role × URL matrix: {sorted(missing)}"
    stale = set(MATRIX) - project_url_names() - {"admin:index"}
    assert not stale, f"Matrix lists URLs that no longer exist: {sorted(stale)}"


def build_world() -> dict:
    """Objects the parametrised URLs point at; features add theirs here.

    Every factory import stays in this function, so a moved module is fixed in one place.
    """
    from datetime import timedelta

    from django.utils import timezone

    from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, TrainingSessionFactory
    from cases.reminders.tests.factories import reminders_world
    from cases.tests.factories import (
        CaseFactory,
        ConsultationFactory,
        PermanenceBookingFactory,
        PermanenceSessionFactory,
        PersonFactory,
        ReferralFactory,
        RiskAssessmentFactory,
        SlotRequestFactory,
        screenings_world,
    )
    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
    from interpreters.models import BookingStatus
    from interpreters.tests.factories import BookingFactory, InterpreterFactory

    # The same users as conftest's ``role_users`` fixture, which is per test and so not usable here.
    team = TeamFactory(name="Équipe test")
    role_users = {role: make_user_with_role(role, team=team) for role in ROLE_NAMES}
    referrer_org = role_users["referrer"].organisation
    other_team = TeamFactory(name="Autre équipe")
    case = CaseFactory(team=team)
    other_case = CaseFactory(team=other_team)
    make_user_with_role(Role.PSYCHOLOGIST, team=other_team)
    session = PermanenceSessionFactory(team=team, psychologist=role_users["psychologist"])
    other_session = PermanenceSessionFactory(team=other_team)
    interpreter = InterpreterFactory(user=role_users["interpreter"], service=role_users["interpreter"].organisation)
    other_interpreter = InterpreterFactory(username="autre-interprete")
    started = timezone.now() - timedelta(hours=1)
    ambassador = AmbassadorFactory(team=team, user=role_users["ambassador"])
    other_ambassador = AmbassadorFactory(team=other_team)
    world = {
        "interpreter": interpreter,
        "booking": BookingFactory(team=team),
        "my_booking": BookingFactory(
            team=team,
            interpreter=interpreter,
            status=BookingStatus.CONFIRMED,
            starts_at=started,
        ),
        # Confirmed and ahead: the interpreter may still give it back.
        "my_upcoming_booking": BookingFactory(team=team, interpreter=interpreter, status=BookingStatus.CONFIRMED),
        "other_booking": BookingFactory(team=other_team),
        "other_interpreter_booking": BookingFactory(
            team=team, interpreter=other_interpreter, status=BookingStatus.CONFIRMED
        ),
        "users": role_users,
        "case": case,
        "permanence_session": session,
        "other_permanence_session": other_session,
        "slot_booking": PermanenceBookingFactory(session=session, case=case),
        "consultation": ConsultationFactory(case=case, psychologist=role_users["psychologist"]),
        "other_consultation": ConsultationFactory(case=other_case),
        "assessment": RiskAssessmentFactory(case=case, assessed_by=role_users["psychologist"]),
        "referral": ReferralFactory(team=team, organisation=referrer_org, submitted_by=role_users["referrer"]),
        "other_case": other_case,
        "unresolved_person": PersonFactory(nationality="", nationality_original="Congo"),
        "other_referral": ReferralFactory(team=other_team, organisation=OrganisationFactory(name="Autre centre")),
        "ambassador": ambassador,
        "assignment": AssignmentFactory(ambassador=ambassador, case=case),
        "colleague_assignment": AssignmentFactory(ambassador=AmbassadorFactory(team=team), case=case),
        "other_ambassador": other_ambassador,
        "other_assignment": AssignmentFactory(ambassador=other_ambassador, case=other_case),
        "training_session": TrainingSessionFactory(team=team),
        "other_training_session": TrainingSessionFactory(team=other_team),
    }
    # A pending slot request on another referral of the organisation (the referral above may still ask).
    world["slot_request"] = SlotRequestFactory(
        referral=ReferralFactory(
            team=team, organisation=referrer_org, submitted_by=role_users["referrer"], first_name="Selam"
        ),
        slot=session.slots.order_by("start_time")[1],
    )
    world["other_slot_request"] = SlotRequestFactory(
        referral=world["other_referral"], slot=other_session.slots.order_by("start_time").last()
    )
    world.update(screenings_world(world))
    world.update(reminders_world(world))
    return world


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """``build_world()`` once for the module, rolled back when the module's tests are done.

    (conftest's ``_fast_passwords`` is per test: the world's users are hashed fast here.)
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone on the way out, whatever the block wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def get_as(world: dict, role: str, url: str):
    """GET ``url`` as ``role`` with a fresh client, leaving the database as it was."""
    client = Client()
    with rolled_back():
        if role != ANON:
            client.force_login(world["users"][role])
        return client.get(url)


# The mark has the test database set up even when this file runs alone; each test then runs
# in a savepoint of the module's transaction.
@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(MATRIX))
def test_role_url_matrix(world, url_name):
    kwargs_builder, statuses = MATRIX[url_name]
    url = reverse(url_name, kwargs=kwargs_builder(world) if kwargs_builder else {})
    wrong = []
    for role in ROLES:
        response = get_as(world, role, url)
        if response.status_code != statuses[role]:
            wrong.append(f"{url_name} as {role}: got {response.status_code}, expected {statuses[role]}")
        elif (
            role == ANON
            and statuses[role] == LOGIN
            and url_name != "admin:index"
            and not response["Location"].startswith(reverse("login"))
        ):
            wrong.append(f"{url_name} as {role}: sent to {response['Location']}, not to the login page")
    assert not wrong, f"{url} answers wrongly:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(OUTSIDE_SCOPE))
def test_rows_outside_the_scope_answer_404(world, url_name):
    url = reverse(url_name, kwargs=OUTSIDE_SCOPE[url_name](world))
    wrong = []
    for role in ROLE_NAMES:
        status = get_as(world, role, url).status_code
        if status != 404:
            wrong.append(f"{url_name} (outside the scope) as {role}: got {status}, expected 404")
    assert not wrong, f"{url} answers wrongly:\n" + "\n".join(wrong)
