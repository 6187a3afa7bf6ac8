"""Submissions per account are limited: past the limit, a clear message and nothing created."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Referral
from cases.tests.factories import referral_form_data
from integrapsy import ratelimits
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role

pytestmark = pytest.mark.django_db


def test_the_counter_refuses_past_the_limit_and_counts_per_account(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "referral": (2, 3600)}
    one = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))
    two = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CADA Arras"))
    ratelimits.consume(user=one, action="referral")
    ratelimits.consume(user=one, action="referral")
    with pytest.raises(ValidationError) as exc:
        ratelimits.consume(user=one, action="referral")
    assert exc.value.code == "rate_limited"
    ratelimits.consume(user=two, action="referral")  # another account is not affected


def test_a_referrer_past_the_limit_sees_why_and_keeps_what_they_typed(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "referral": (0, 3600)}
    TeamFactory()
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))
    client.force_login(referrer)
    response = client.post(
        reverse("cases:referral_new"),
        referral_form_data(last_name="Tesfaye"),
    )
    html = response.content.decode()
    assert str(ratelimits.MESSAGES["referral"]) in html.replace("&#x27;", "'")
    assert "Tesfaye" in html
    assert not Referral.objects.exists()


def test_exports_past_the_limit_answer_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (1, 3600)}
    coordinator = make_user_with_role(Role.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("reports:export", args=["cases", "csv"])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
