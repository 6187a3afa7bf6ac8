"""The case list offers "New person" to those who may register someone met without a referral."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_new_person_link(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cases:list")).content.decode()
    assert reverse("cases:person_new") in html


def test_psychologists_do_not_see_it(client, psychologist):
    client.force_login(psychologist)
    html = client.get(reverse("cases:list")).content.decode()
    assert reverse("cases:person_new") not in html
