"""Journeys in headless Chromium: a forgotten password, a first sign-in, the training progress bar."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser set to French: the pages before signing in follow its language."""
    return {**browser_context_args, "locale": "fr-FR"}


def test_a_forgotten_password_is_reset_from_the_emailed_link(page: Page, live_server):
    make_user_with_role(Role.SOCIAL_WORKER, username="julien", email="julien@example.org", first_name="Julien")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.locator("#id_email")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_email").fill("julien@example.org")
    page.get_by_role("button", name="M'envoyer le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez vos e-mails")
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    assert_accessible(page)
    page.locator("#id_new_password1").fill("Une-phrase-longue-42")
    page.locator("#id_new_password2").fill("Une-phrase-longue-42")
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe modifié")
    assert_accessible(page)
    login(page, live_server.url, "julien", "Une-phrase-longue-42", check=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Julien")


def test_a_new_account_chooses_its_own_password_first(page: Page, live_server):
    make_user_with_role(Role.REFERRER, username="sophie", first_name="Sophie", must_change_password=True)
    login(page, live_server.url, "sophie", check=False)
    expect(page).to_have_url(re.compile(r"/accounts/password_change/$"))
    expect(page.get_by_role("status")).to_contain_text("choisissez votre propre mot de passe")
    assert_accessible(page)
    page.locator("#id_old_password").fill("secret-pass-123")
    page.locator("#id_new_password1").fill("Ma-propre-phrase-31")
    page.locator("#id_new_password2").fill("Ma-propre-phrase-31")
    page.locator("main button[type=submit]").click()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie")


def test_the_training_progress_bar_is_accessible(page: Page, live_server):
    from ambassadors.tests.factories import AmbassadorFactory

    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    user = make_user_with_role(Role.AMBASSADOR, team=team, username="senait", first_name="Senait")
    AmbassadorFactory(team=team, user=user)
    login(page, live_server.url, "senait", check=False)
    page.goto(f"{live_server.url}/my-training/")
    progress = page.get_by_role("progressbar", name=re.compile("certificat", re.I))
    expect(progress).to_be_visible()
    assert progress.get_attribute("value") is not None
    assert_accessible(page)
