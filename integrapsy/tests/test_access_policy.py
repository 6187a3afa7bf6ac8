"""The one scope rule: the capability table read through ``teams_for``, ``may`` and ``scope``."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from cases.models import Case, CaseShare, PermanenceBooking, Referral
from cases.tests.factories import CaseFactory, PermanenceBookingFactory, ReferralFactory
from integrapsy import access
from integrapsy.access import ADMIN_WIDE, CAPABILITIES, Capability
from integrapsy.accounts.models import Membership, Role, Team, User
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

# A team filter written outside the policy: the policy's ``scope`` is the one place for it.
TEAM_FILTER = re.compile(r"team_id__in|team__in|shares\.filter\(team")
SKIPPED_DIRS = {"migrations", "tests", "node_modules", "static", "templates", "locale"}


def project_sources() -> list[Path]:
    """The project's own Python files: without the access policy, migrations and tests."""
    root = Path(settings.BASE_DIR)
    out = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in parts[:-1]):
            continue
        if path.name == "conftest.py" or path == root / "integrapsy" / "access.py":
            continue
        out.append(path)
    return out


def test_no_team_filter_is_written_outside_the_access_policy():
    sources = project_sources()
    assert any(p.name == "selectors.py" for p in sources)  # the walk finds the project
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TEAM_FILTER.search(line)
    ]
    assert not offenders, "Filter by team through integrapsy.access (scope, teams_for):\n" + "\n".join(offenders)


def test_every_model_with_a_team_declares_its_team_path():
    team_models = [
        m
        for m in apps.get_models()
        if any(f.is_relation and f.many_to_one and f.related_model is Team for f in m._meta.get_fields())
    ]
    assert Case in team_models
    missing = [m.__name__ for m in team_models if not hasattr(m, "TEAM_PATH")]
    assert not missing, f"Declare TEAM_PATH on {missing}"


def test_every_team_path_leads_to_a_team():
    for model in apps.get_models():
        path = getattr(model, "TEAM_PATH", None)
        if path is None or path == "pk":
            continue
        target = model
        for name in path.split("__"):
            target = target._meta.get_field(name).related_model
        assert target is Team, f"{model.__name__}.TEAM_PATH = {path!r} does not lead to a team"


def test_admin_wide_capabilities_are_the_administrators():
    assert all(Role.ADMIN in CAPABILITIES[c] for c in ADMIN_WIDE)
    assert set(CAPABILITIES) == set(Capability)


@pytest.fixture
def two_teams(db):
    """Team A, team B, and a user who is social worker in A and coordinator in B."""
    team_a, team_b = TeamFactory(name="Équipe A"), TeamFactory(name="Équipe B")
    user = make_user_with_role(Role.SOCIAL_WORKER, team=team_a)
    Membership.objects.create(user=user, role=Role.COORDINATOR, team=team_b)
    return team_a, team_b, user


def test_teams_for_follows_the_role_held_in_each_team(two_teams):
    team_a, team_b, user = two_teams
    assert access.teams_for(user, Capability.VIEW_CASES) == {team_a.pk, team_b.pk}
    assert access.teams_for(user, Capability.TRIAGE_REFERRALS) == {team_b.pk}
    assert access.teams_for(user, Capability.READ_CLINICAL) == frozenset()


def test_may_checks_the_rows_team(two_teams):
    team_a, team_b, user = two_teams
    assert access.may(user, Capability.TRIAGE_REFERRALS, team_b.pk)
    assert not access.may(user, Capability.TRIAGE_REFERRALS, team_a.pk)
    assert access.may(user, Capability.VIEW_TEAM_REFERRALS, team_a.pk)
    assert not access.may(user, Capability.VIEW_TEAM_REFERRALS, None)


def test_scope_follows_each_models_team_path(two_teams):
    team_a, team_b, user = two_teams
    referral_a, referral_b = ReferralFactory(team=team_a), ReferralFactory(team=team_b)
    booking_b = PermanenceBookingFactory(session__team=team_b)
    PermanenceBookingFactory(session__team=team_a)
    assert list(access.scope(user, Referral.objects.all(), Capability.TRIAGE_REFERRALS)) == [referral_b]
    assert set(access.scope(user, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS)) == {referral_a, referral_b}
    assert list(access.scope(user, PermanenceBooking.objects.all(), Capability.PLAN_PERMANENCES)) == [booking_b]
    assert list(access.scope(user, Team.objects.all(), Capability.TRIAGE_REFERRALS)) == [team_b]


def test_scope_within_narrows_to_the_teams_given(two_teams):
    team_a, team_b, user = two_teams
    ReferralFactory(team=team_a)
    referral_b = ReferralFactory(team=team_b)
    qs = Referral.objects.all()
    assert list(access.scope(user, qs, Capability.VIEW_TEAM_REFERRALS, within=[team_b.pk])) == [referral_b]
    # ``within`` never widens the user's teams.
    assert not access.scope(user, qs, Capability.TRIAGE_REFERRALS, within=[team_a.pk]).exists()


def test_nobody_outside_a_team_gets_its_rows(db):
    ReferralFactory()
    outsider = make_user_with_role(Role.REFERRER)
    assert not access.scope(outsider, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS).exists()
    assert not access.scope(None, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS).exists()


def test_the_administrator_holds_admin_wide_capabilities_in_every_team(db):
    team_a, team_b = TeamFactory(), TeamFactory()
    admin = make_user_with_role(Role.ADMIN)
    assert access.teams_for(admin, Capability.VIEW_INDICATORS) == {team_a.pk, team_b.pk}
    assert access.may(admin, Capability.EXPORT_LISTS, team_a.pk)
    assert set(access.scope(admin, Team.objects.all(), Capability.VIEW_DASHBOARD)) == {team_a, team_b}
    assert list(access.scope(admin, Team.objects.all(), Capability.VIEW_DASHBOARD, within=[team_b.pk])) == [team_b]
    # ...and nothing else: no case, no clinical content.
    CaseFactory(team=team_a)
    assert access.teams_for(admin, Capability.VIEW_CASES) == frozenset()
    assert not access.scope_cases(admin, Case.objects.all()).exists()
    assert not access.may(admin, Capability.READ_CLINICAL, team_a.pk)


def test_a_model_without_a_team_path_is_refused(db):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        access.scope(None, User.objects.all(), Capability.VIEW_CASES)


def test_users_holding_a_role_in_a_team_hold_it_in_that_team(two_teams):
    team_a, team_b, user = two_teams
    psychologist_b = make_user_with_role(Role.PSYCHOLOGIST, team=team_b)
    Membership.objects.create(user=psychologist_b, role=Role.SOCIAL_WORKER, team=team_a)
    # A psychologist of B who is a social worker in A is no psychologist of A.
    assert not access.users_holding(User.objects.all(), Role.PSYCHOLOGIST, teams=[team_a.pk]).exists()
    assert list(access.users_holding(User.objects.all(), Role.PSYCHOLOGIST, teams=[team_b.pk])) == [psychologist_b]


class TestCaseShares:
    def test_without_shares_the_case_scope_is_the_team_filter_alone(self, db):
        team = TeamFactory()
        psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
        case = CaseFactory(team=team)
        qs = access.scope_cases(psychologist, Case.objects.all())
        sql = str(qs.query).upper()
        assert " OR " not in sql and "SELECT" not in sql.split("WHERE", 1)[1]
        assert list(qs) == [case]

    def test_a_shared_case_is_readable_by_the_team_it_is_shared_with(self, db):
        team_a, team_b = TeamFactory(), TeamFactory()
        case = CaseFactory(team=team_a)
        CaseShare.objects.create(case=case, team=team_b)
        partner = make_user_with_role(Role.PSYCHOLOGIST, team=team_b)
        assert list(access.scope_cases(partner, Case.objects.all())) == [case]
        assert list(access.scope_case_lookup(partner, Case.objects.all())) == [case]
        # Clinical content stays with the case's own team.
        assert not access.case_access(partner, case).clinical

    def test_shares_are_read_once_per_request(self, db, django_assert_num_queries):
        team = TeamFactory()
        user = make_user_with_role(Role.SOCIAL_WORKER, team=team)
        access.profile(user)
        with django_assert_num_queries(1):
            access.shared_case_ids(user, Case)
            access.shared_case_ids(user, Case)
