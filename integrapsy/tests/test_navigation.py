"""The main menu: the entries each role may use, the current one, in the request's language."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.context_processors import navigation
from integrapsy.navigation import menu


def _menu_links(html: str) -> list[str]:
    nav = html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


@pytest.mark.django_db
class TestMenu:
    def test_each_role_sees_its_own_entries_from_the_same_cache(self, client, team, coordinator):
        social_worker = make_user_with_role(Role.SOCIAL_WORKER, team=team)
        client.force_login(coordinator)
        coordinator_links = _menu_links(client.get(reverse("home")).content.decode())
        client.force_login(social_worker)
        social_worker_links = _menu_links(client.get(reverse("home")).content.decode())
        assert reverse("ambassadors:planner") in coordinator_links
        assert reverse("ambassadors:planner") not in social_worker_links
        assert reverse("home") in coordinator_links and reverse("home") in social_worker_links
        # The second coordinator request is served by the cache: the same entries.
        client.force_login(coordinator)
        assert _menu_links(client.get(reverse("home")).content.decode()) == coordinator_links

    def test_the_current_entry_is_marked_on_its_own_views_only(self, client, coordinator):
        client.force_login(coordinator)
        html = client.get(reverse("cases:list")).content.decode()
        assert f'href="{reverse("cases:list")}" aria-current="page"' in html
        html = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("cases:list")}" aria-current="page"' not in html
        assert f'href="{reverse("home")}" aria-current="page"' in html

    def test_labels_follow_each_requests_language(self, client, coordinator):
        client.force_login(coordinator)
        french = client.get(reverse("home"), headers={"accept-language": "fr"}).content.decode()
        client.cookies.load({"django_language": "en"})
        english = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
        assert ">Accueil</a>" in french
        assert ">Home</a>" in english

    def test_addresses_follow_the_script_prefix(self, rf, coordinator):
        def links():
            request = rf.get("/")
            request.user, request.resolver_match = coordinator, None
            return [entry["url"] for entry in navigation(request)["nav_items"]]

        at_root = links()
        set_script_prefix("/equipe/")
        try:
            under_prefix = links()
        finally:
            clear_script_prefix()
        assert under_prefix == ["/equipe" + link for link in at_root]
        assert links() == at_root

    def test_a_role_without_entries_gets_an_empty_menu(self):
        assert menu(frozenset(), "home", None, "/") == ()
