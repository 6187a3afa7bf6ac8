import pytest
from django.http import Http404

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Membership, Role
from integrapsy.accounts.tests.factories import TeamFactory, UserFactory, make_user_with_role


@pytest.mark.django_db
def test_profile_reads_roles_and_scopes_in_one_query(django_assert_num_queries):
    team_a, team_b = TeamFactory(), TeamFactory()
    user = make_user_with_role(Role.PSYCHOLOGIST, team=team_a)
    Membership.objects.create(user=user, role=Role.COORDINATOR, team=team_b)
    with django_assert_num_queries(1):
        prof = access.profile(user)
        access.profile(user)  # cached on the user
    assert prof.roles == {Role.PSYCHOLOGIST, Role.COORDINATOR}
    assert prof.team_ids() == {team_a.pk, team_b.pk}
    assert prof.team_ids(Role.PSYCHOLOGIST) == {team_a.pk}


@pytest.mark.django_db
def test_clinical_content_is_for_psychologists_of_the_team_only():
    team_a, team_b = TeamFactory(), TeamFactory()
    psy = make_user_with_role(Role.PSYCHOLOGIST, team=team_a)
    coordinator = make_user_with_role(Role.COORDINATOR, team=team_a)
    assert access.may(psy, Capability.READ_CLINICAL, team_a.pk)
    assert not access.may(psy, Capability.READ_CLINICAL, team_b.pk)
    assert not access.may(coordinator, Capability.READ_CLINICAL, team_a.pk)


@pytest.mark.django_db
def test_a_user_without_role_has_no_capability():
    user = UserFactory()
    assert access.profile(user).roles == frozenset()
    assert not access.can(user, Capability.VIEW_HOME)
    with pytest.raises(Http404):
        access.require(user, Capability.VIEW_HOME)


@pytest.mark.django_db
def test_inactive_users_have_no_roles():
    user = make_user_with_role(Role.COORDINATOR, is_active=False)
    assert not access.has_role(user, Role.COORDINATOR)


def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert access.profile(AnonymousUser()).roles == frozenset()


@pytest.mark.django_db
def test_admin_site_needs_the_admin_role_and_staff_flag():
    admin = make_user_with_role(Role.ADMIN)
    staff_without_role = UserFactory(is_staff=True)
    assert access.may_use_admin_site(admin)
    assert not access.may_use_admin_site(staff_without_role)


@pytest.mark.django_db
def test_membership_scope_must_match_role():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.PSYCHOLOGIST).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.ADMIN, team=TeamFactory()).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REFERRER, Role.INTERPRETER, Role.ADMIN])
def test_navigation_shows_the_admin_link_to_admins_only(client, role):
    client.force_login(make_user_with_role(role))
    html = client.get("/").content.decode()
    assert ('href="/admin/"' in html) is (role == Role.ADMIN)
