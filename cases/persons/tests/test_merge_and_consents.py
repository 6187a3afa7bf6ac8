from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from cases.persons import selectors
from cases.persons import services as person_services
from cases.tests.factories import CaseFactory, consent


class TestMergeRefusalLinksBothCases:
    def test_the_page_links_both_open_cases(self, client, team, coordinator):
        a, b = CaseFactory(team=team), CaseFactory(team=team)
        client.force_login(coordinator)
        response = client.post(
            reverse("cases:person_merge", args=[a.person.code]),
            {"duplicate": str(b.person.code), "confirm": "on"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        for case in (a, b):
            assert f'href="{reverse("cases:detail", args=[case.reference])}"' in html

    def test_the_error_carries_the_two_references(self, team, coordinator):
        from django.core.exceptions import ValidationError

        a, b = CaseFactory(team=team), CaseFactory(team=team)
        with pytest.raises(ValidationError) as exc:
            person_services.person_merge(keep=a.person, duplicate=b.person, actor=coordinator)
        assert exc.value.code == "open_cases"
        assert exc.value.params["references"] == [a.reference, b.reference]
        assert "<" not in exc.value.messages[0]


class TestConsentsCurrentStateFirst:
    def _record(self, person, actor, purpose, given, given_on):
        return consent(person, actor, purpose, given=given, on=given_on)

    def test_current_state_per_purpose_then_history_newest_first(self, team, coordinator):
        person = CaseFactory(team=team).person
        today = timezone.localdate()
        agreed = self._record(person, coordinator, "follow_up", True, today)
        withdrawn = self._record(person, coordinator, "follow_up", False, today)  # same day, recorded after
        sharing = self._record(person, coordinator, "sharing", True, today - timedelta(days=3))
        refused = self._record(person, coordinator, "interpreter", False, today - timedelta(days=1))
        page = selectors.person_consents(person=person)
        states = {s["record"].purpose: (s["record"], s["state"]) for s in page["consent_states"]}
        assert states == {
            "follow_up": (withdrawn, "withdrawn"),
            "sharing": (sharing, "agreed"),
            "interpreter": (refused, "refused"),
        }
        assert page["consents"] == [withdrawn, agreed, refused, sharing]

    def test_the_page_shows_the_current_state_before_the_history(self, client, team, coordinator):
        person = CaseFactory(team=team).person
        today = timezone.localdate()
        self._record(person, coordinator, "follow_up", True, today)
        self._record(person, coordinator, "follow_up", False, today)
        client.force_login(coordinator)
        html = client.get(reverse("cases:person_detail", args=[person.code])).content.decode()
        current = html.index('data-consents="current"')
        history = html.index('data-consents="history"')
        assert current < history
        with translation.override("fr"):
            withdrawn, agreed = pgettext("consent", "Withdrawn"), pgettext("consent", "Agreed")
        assert withdrawn == "Retiré"
        assert withdrawn in html[current:history]
        assert agreed not in html[current:history]
