"""The idempotency store: a form sent again with its key answers the first result, once."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from cases.models import Referral
from cases.tests.factories import referral_form_data
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.offline.models import IdempotencyKey
from integrapsy.tests.concurrency import at_once


@pytest.fixture
def referrer(db):
    TeamFactory(name="IntegraPsy Hauts-de-France")
    return make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))


URL = "/referrals/new/"


def test_a_replay_answers_the_first_redirect_without_a_second_referral(client, referrer):
    client.force_login(referrer)
    key = str(uuid.uuid4())
    first = client.post(URL, referral_form_data(), headers={"Idempotency-Key": key})
    assert first.status_code == 302
    again = client.post(URL, referral_form_data(), headers={"Idempotency-Key": key})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    record = IdempotencyKey.objects.get()
    assert (record.user, record.key, record.url, record.status) == (referrer, key, URL, 302)
    assert record.location == first["Location"]
    page = client.get(again["Location"])
    with translation.override("fr"):
        said = escape(translation.gettext("Already received: nothing was recorded twice."))
    assert said in page.content.decode()


def test_the_hidden_field_works_as_the_header(client, referrer):
    client.force_login(referrer)
    key = str(uuid.uuid4())
    for _ in range(2):
        assert client.post(URL, referral_form_data(client_id=key)).status_code == 302
    assert Referral.objects.count() == 1


def test_without_a_key_each_post_is_its_own(client, referrer):
    client.force_login(referrer)
    client.post(URL, referral_form_data())
    client.post(URL, referral_form_data())
    assert Referral.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_refused_form_keeps_the_text_and_releases_the_key(client, referrer):
    client.force_login(referrer)
    key = str(uuid.uuid4())
    refused = client.post(
        URL, referral_form_data(consent_given="", first_name="Yonas"), headers={"Idempotency-Key": key}
    )
    assert refused.status_code == 400
    assert "consent_given" in refused.context["form"].errors
    assert 'value="Yonas"' in refused.content.decode()
    assert not IdempotencyKey.objects.exists()
    # Corrected, the same submission goes through with the same key, once.
    assert client.post(URL, referral_form_data(first_name="Yonas"), headers={"Idempotency-Key": key}).status_code == 302
    assert client.post(URL, referral_form_data(first_name="Yonas"), headers={"Idempotency-Key": key}).status_code == 302
    assert Referral.objects.count() == 1


def test_a_key_is_per_user(client, referrer):
    other = make_user_with_role(Role.REFERRER, organisation=referrer.organisation, username="other-referrer")
    key = str(uuid.uuid4())
    for user in (referrer, other):
        client.force_login(user)
        assert client.post(URL, referral_form_data(), headers={"Idempotency-Key": key}).status_code == 302
    assert Referral.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_a_key_used_on_another_form_is_refused(client, referrer):
    client.force_login(referrer)
    key = str(uuid.uuid4())
    client.post(URL, referral_form_data(), headers={"Idempotency-Key": key})
    IdempotencyKey.objects.update(url="/somewhere/else/")
    response = client.post(URL, referral_form_data(), headers={"Idempotency-Key": key})
    assert response.status_code == 409
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "with space in it", "nul\x00byte-key"])
def test_a_malformed_key_is_refused(client, referrer, key):
    client.force_login(referrer)
    response = client.post(URL, referral_form_data(client_id=key))
    assert response.status_code == 400
    assert Referral.objects.count() == 0


def test_anonymous_posts_go_to_the_login_page_and_keep_no_key(client, db):
    response = client.post(URL, referral_form_data(), headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_replays_make_one_row(referrer):
    """Two requests with the same key at the same moment: one referral, one key, the same answer."""
    key = str(uuid.uuid4())

    def signed_in():
        c = Client()
        c.force_login(referrer)
        return (c,)

    def send(c):
        response = c.post(URL, referral_form_data(), headers={"Idempotency-Key": key})
        return response.status_code, response["Location"]

    answers = at_once(send, [(), ()], ready=signed_in)
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert Referral.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_keys_older_than_the_retention_are_pruned(referrer, settings):
    from datetime import timedelta

    from integrapsy.offline.services import idempotency_keys_prune
    from integrapsy.schedule.jobs import JOBS

    settings.OFFLINE_KEY_RETENTION_DAYS = 7
    old = IdempotencyKey.objects.create(user=referrer, key="old-key-123", url=URL, status=302, location="/x/")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    IdempotencyKey.objects.create(user=referrer, key="new-key-123", url=URL, status=302, location="/x/")
    assert idempotency_keys_prune() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key-123"]
    assert "offline_keys_prune" in {job.key for job in JOBS}


@pytest.mark.django_db(transaction=True)
def test_two_replays_overlapping_in_the_service_run_it_once(referrer):
    """The first request is still inside its service when the second arrives: the second waits, then replays."""
    import time

    from django.contrib.messages.storage.cookie import CookieStorage
    from django.shortcuts import redirect
    from django.test import RequestFactory

    from integrapsy.offline.services import submission_once

    key, calls = str(uuid.uuid4()), []

    def respond():
        calls.append(1)
        time.sleep(0.5)  # long enough for the other request to reach the key
        return redirect("/done/")

    def posted():
        request = RequestFactory().post(URL, {}, headers={"Idempotency-Key": key})
        request.user = referrer
        request._messages = CookieStorage(request)  # as the messages middleware gives every request
        return (request,)

    def send(request):
        return submission_once(request, respond)["Location"]

    answers = at_once(send, [(), ()], ready=posted)
    assert len(calls) == 1
    assert answers == ["/done/", "/done/"]
    assert IdempotencyKey.objects.count() == 1
