"""Danger signals: the crisis lines beside a refused form, and the inbox order."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.referrals import selectors
from cases.tests.factories import ReferralFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role

pytestmark = pytest.mark.django_db


def test_a_refused_alarming_referral_still_shows_the_crisis_lines_and_keeps_the_text(client):
    TeamFactory()
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))
    client.force_login(referrer)
    response = client.post(
        reverse("cases:referral_new"),
        {"first_name": "Hewan", "reasons": ["suicidal_thoughts"], "urgency": "routine", "sex": "F"},
    )
    html = response.content.decode()
    assert response.status_code == 400  # no consent yet: refused
    assert 'id="crisis-h"' in html
    for number in ("3114", "15", "0800 32 123", "112"):
        assert number in html
    assert "Hewan" in html
    assert not Referral.objects.exists()


def test_a_refused_routine_referral_shows_no_crisis_lines(client):
    TeamFactory()
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))
    client.force_login(referrer)
    response = client.post(
        reverse("cases:referral_new"), {"first_name": "Hewan", "reasons": ["sleep"], "urgency": "routine"}
    )
    assert 'id="crisis-h"' not in response.content.decode()


def test_suicidal_thoughts_sort_with_the_urgent_referrals_and_say_why(client):
    team = TeamFactory()
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    old = timezone.now() - timedelta(days=20)
    routine = ReferralFactory(team=team, first_name="Ancienne", urgency="routine", received_at=old)
    danger = ReferralFactory(
        team=team, first_name="Danger", urgency="routine", reasons=["suicidal_thoughts"], alarm=True
    )
    order = [r.pk for r in selectors.referral_inbox(user=coordinator)]
    assert order.index(danger.pk) < order.index(routine.pk)
    rows = {row["code"]: row for row in selectors.inbox_rows(user=coordinator)}
    assert rows[danger.code]["alarm_reason"] and not rows[routine.code]["alarm_reason"]
