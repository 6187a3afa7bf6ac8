"""The case page in sections (tabs), its timeline read by keyset, and the case list's search and count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.case_file import selectors as case_selectors
from cases.models import Case, TimelineEvent
from cases.risk import services as risk_services
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.helpers import count_queries
from cases.timeline import selectors as timeline_selectors
from cases.timeline.record import timeline_record
from integrapsy.access import CaseAccess
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.pagination import CappedPaginator

SECTIONS = ["cases:detail", "cases:detail_care", "cases:detail_planning", "cases:detail_file"]


def _notes(case, actor, n, *, at=None):
    for i in range(n):
        timeline_record(
            case=case,
            kind="note.added",
            actor=actor,
            summary=f"note {i}",
            occurred_at=at or timezone.now() - timedelta(minutes=i),
        )


@pytest.mark.django_db
class TestSections:
    def test_every_section_has_the_tabs_and_marks_the_current_one(self, client, psychologist, team):
        case = CaseFactory(team=team)
        client.force_login(psychologist)
        for name in SECTIONS:
            url = reverse(name, args=[case.reference])
            html = client.get(url).content.decode()
            assert 'class="nav nav-tabs' in html
            assert f'href="{url}" aria-current="page"' in html
            for other in SECTIONS:
                assert f'href="{reverse(other, args=[case.reference])}"' in html

    def test_each_section_shows_its_own_blocks(self, client, psychologist, team):
        case = CaseFactory(team=team)
        client.force_login(psychologist)
        timeline = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        care = client.get(reverse("cases:detail_care", args=[case.reference])).content.decode()
        planning = client.get(reverse("cases:detail_planning", args=[case.reference])).content.decode()
        case_file = client.get(reverse("cases:detail_file", args=[case.reference])).content.decode()
        assert 'id="timeline-h"' in timeline and 'id="consultations-panel"' not in timeline
        assert 'id="consultations-panel"' in care and 'id="timeline-h"' not in care
        assert 'id="case-request-interpreter"' in planning and 'id="consultations-panel"' not in planning
        assert 'id="referrals-h"' in case_file and 'id="team-h"' in case_file

    def test_the_risk_banner_is_on_every_section(self, client, coordinator, team):
        case = CaseFactory(team=team)
        risk_services.risk_flag_raise(case=case, source="other", reason="CLINICAL-DETAIL", actor=coordinator)
        client.force_login(coordinator)
        for name in SECTIONS:
            html = client.get(reverse(name, args=[case.reference])).content.decode()
            assert 'id="risk-banner"' in html
            assert "CLINICAL-DETAIL" not in html

    def test_reading_a_section_is_audited_with_the_section(self, client, psychologist, team):
        case = CaseFactory(team=team)
        client.force_login(psychologist)
        client.get(reverse("cases:detail_care", args=[case.reference]))
        event = AuditEvent.objects.filter(action="case.viewed", case_ref=case.reference).latest("occurred_at")
        assert event.detail == "care"

    @pytest.mark.parametrize("name", SECTIONS)
    def test_another_teams_case_is_not_found(self, client, name):
        case = CaseFactory(team=TeamFactory(name="Other"))
        client.force_login(make_user_with_role(Role.PSYCHOLOGIST, team=TeamFactory(name="Mine")))
        assert client.get(reverse(name, args=[case.reference])).status_code == 404

    @pytest.mark.parametrize("name", SECTIONS)
    def test_query_count_is_the_same_for_1_and_30_rows(self, client, psychologist, team, name):
        case = CaseFactory(team=team)
        _notes(case, psychologist, 1)
        risk_services.risk_flag_raise(case=case, source="other", reason="x", actor=psychologist)
        client.force_login(psychologist)
        url = reverse(name, args=[case.reference])
        one = count_queries(client, url)
        _notes(case, psychologist, 29)
        assert count_queries(client, url) == one
        assert one <= 10


@pytest.mark.django_db
class TestTimelineKeyset:
    def test_the_pages_walk_every_event_once_even_with_equal_times(self, psychologist, team):
        case = CaseFactory(team=team)
        same = timezone.now() - timedelta(days=1)
        _notes(case, psychologist, 7, at=same)  # seven events at the same instant
        _notes(case, psychologist, 6)
        expected = list(timeline_selectors.case_timeline(user=psychologist, case=case).values_list("pk", flat=True))
        seen, before = [], ""
        for _ in range(10):
            page = timeline_selectors.case_timeline_page(user=psychologist, case=case, before=before, size=4)
            seen += [e.pk for e in page.events]
            if not page.older:
                break
            before = page.older
        assert seen == expected
        assert len(seen) == TimelineEvent.objects.filter(case=case).count()

    def test_older_and_newest_links(self, client, psychologist, team):
        case = CaseFactory(team=team)
        _notes(case, psychologist, 35)
        client.force_login(psychologist)
        url = reverse("cases:detail", args=[case.reference])
        first = client.get(url)
        assert len(first.context["events"]) == 30
        older = first.context["timeline"].older
        assert older and f"?before={older}" in first.content.decode()
        second = client.get(url, {"before": older})
        assert 0 < len(second.context["events"]) <= 6
        assert not second.context["timeline"].older  # the last page
        assert second.context["timeline"].is_first is False

    @pytest.mark.parametrize(
        "cursor", ["nonsense", "2026-1", "99999999999999999999-1", "20261301000000000000-5", "\x00"]
    )
    def test_a_bad_cursor_shows_the_newest_events(self, client, psychologist, team, cursor):
        case = CaseFactory(team=team)
        _notes(case, psychologist, 3)
        client.force_login(psychologist)
        response = client.get(reverse("cases:detail", args=[case.reference]), {"before": cursor})
        assert response.status_code == 200
        assert len(response.context["events"]) == 3
        assert response.context["timeline"].is_first

    def test_a_deep_page_costs_the_same_queries_as_the_first(self, client, psychologist, team):
        case = CaseFactory(team=team)
        _notes(case, psychologist, 70)
        client.force_login(psychologist)
        url = reverse("cases:detail", args=[case.reference])
        first = client.get(url)
        second_cursor = first.context["timeline"].older
        third_cursor = client.get(url, {"before": second_cursor}).context["timeline"].older
        assert count_queries(client, url) == count_queries(client, f"{url}?before={third_cursor}")


@pytest.mark.django_db
class TestCaseListSearchAndCount:
    def test_a_text_with_a_digit_searches_the_references(self, client, coordinator, team):
        case = CaseFactory(team=team)
        CaseFactory(team=team)
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"), {"q": case.reference[-5:]})
        assert case in _listed(response)

    def test_a_name_searches_the_persons(self, client, coordinator, team):
        case = CaseFactory(team=team, person=PersonFactory(first_name="Selam", last_name="Ghebremedhin"))
        CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo"))
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"), {"q": "ghebre"})
        assert _listed(response) == [case]

    def test_a_name_does_not_reach_another_teams_case(self, client, coordinator, team):
        CaseFactory(team=TeamFactory(name="Other"), person=PersonFactory(first_name="Selam", last_name="Ghebremedhin"))
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"), {"q": "Ghebremedhin"})
        assert _listed(response) == []

    def test_the_count_stops_at_the_cap(self, team):
        CaseFactory.create_batch(7, team=team)
        from cases.models import Case

        paginator = CappedPaginator(Case.objects.order_by("pk"), 2, cap=5)
        assert paginator.capped and paginator.shown_count == 5
        assert paginator.num_pages == 3
        assert len(paginator.get_page(99).object_list) == 2
        exact = CappedPaginator(Case.objects.order_by("pk"), 2, cap=10)
        assert not exact.capped and exact.count == 7 and exact.num_pages == 4

    def test_by_ids_first_the_pages_count_and_order_are_the_same(self, team):
        """Read by the ids of the first rows, the pages hold the same rows, in the same order,
        with the same count and cap, as read by a count and a slice."""
        from cases.models import Case

        CaseFactory.create_batch(7, team=team)
        rows = Case.objects.order_by("-opened_on", "-pk")
        for cap, per_page in ((5, 2), (10, 2), (10, 3), (3, 25)):
            plain = CappedPaginator(rows, per_page, cap=cap)
            by_ids = CappedPaginator(rows, per_page, cap=cap, ids_first=True)
            assert (by_ids.count, by_ids.capped, by_ids.num_pages) == (plain.count, plain.capped, plain.num_pages)
            for number in [*range(1, plain.num_pages + 1), 99, "x"]:
                assert list(by_ids.get_page(number).object_list) == list(plain.get_page(number).object_list)
            # Read as ``values()`` of some fields: the same rows, each a dict of those fields.
            fields = ("reference", "team__name")
            as_values = [
                CappedPaginator(rows, per_page, cap=cap, ids_first=first, fields=fields) for first in (False, True)
            ]
            for number in [*range(1, plain.num_pages + 1), 99, "x"]:
                expected = [{"reference": c.reference, "team__name": team.name} for c in plain.get_page(number)]
                assert [list(p.get_page(number).object_list) for p in as_values] == [expected, expected]
        assert list(CappedPaginator(rows.none(), 2, ids_first=True).get_page(1).object_list) == []

    def test_a_searched_page_costs_the_same_queries_as_the_list(self, client, coordinator, team):
        from cases.tests.helpers import count_queries

        for i in range(30):
            CaseFactory(team=team, person=PersonFactory(first_name="Selam", last_name=f"Tesfaye{chr(97 + i % 26)}"))
        client.force_login(coordinator)
        url = reverse("cases:list")
        count_queries(client, url)
        listed, searched = count_queries(client, url), count_queries(client, url + "?q=Selam")
        assert searched == listed
        response = client.get(url, {"q": "Selam", "page": "2"})
        assert response.context["page"].paginator.count == 30
        assert len(response.context["page"].object_list) == 5

    def test_the_list_says_more_than_the_cap(self, client, coordinator, team, monkeypatch):
        from cases.case_file import selectors

        CaseFactory.create_batch(4, team=team)
        original = selectors.CappedPaginator
        monkeypatch.setattr(selectors, "CappedPaginator", lambda *a, **k: original(*a, cap=3, **k))
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"))
        assert response.context["page"].paginator.capped
        assert response.context["page"].paginator.shown_count == 3

    def test_a_nul_in_the_search_answers_the_page(self, client, coordinator, team):
        CaseFactory(team=team)
        client.force_login(coordinator)
        assert client.get(reverse("cases:list"), {"q": "Ab\x00di"}).status_code == 200
        assert client.get(reverse("cases:list"), {"q": "IP-\x002026"}).status_code == 200


def _listed(response) -> list:
    """The cases a list page shows, in its order (its rows are the columns it shows)."""
    from cases.models import Case

    references = [row["reference"] for row in response.context["rows"]]
    cases = Case.objects.in_bulk(references, field_name="reference")
    return [cases[reference] for reference in references]


def _found(client, q):
    return _listed(client.get(reverse("cases:list"), {"q": q}))


@pytest.mark.django_db
class TestTheCaseHoldsItsPersonsNames:
    """The names on the case rows are kept by the database, whatever writes the person or the case."""

    def _copy(self, case):
        return Case.objects.values_list("search_names", "search_keys").get(pk=case.pk)

    def test_a_new_case_holds_its_persons_names_and_keys(self, team):
        case = CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Haidari", alias=""))
        person = case.person
        assert self._copy(case) == (
            "Mohammed\nHaidari\n",
            f" {person.first_name_key} {person.last_name_key}  ",
        )

    def test_a_corrected_name_is_found_and_the_old_one_no_longer(self, client, coordinator, team):
        from cases.persons import services as person_services

        case = CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo"))
        person_services.person_update(person=case.person, actor=coordinator, last_name="Konaté")
        client.force_login(coordinator)
        assert _found(client, "Konate") == [case]
        assert _found(client, "Diallo") == []

    def test_a_case_saved_with_stale_names_keeps_the_persons(self, team):
        case = CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo"))
        case.search_names = "Someone\nElse\n"
        case.save()
        assert self._copy(case)[0] == "Amina\nDiallo\n"

    def test_a_merge_and_an_erasure_reach_the_cases(self, team):
        from cases.models import Person

        kept = PersonFactory(first_name="Yonas", last_name="Tesfay")
        case = CaseFactory(team=team, person=PersonFactory(first_name="Jonas", last_name="Tesfai"))
        Case.objects.filter(pk=case.pk).update(person=kept)  # what a merge writes
        assert self._copy(case)[0] == "Yonas\nTesfay\n"
        Person.objects.filter(pk=kept.pk).update(
            first_name="", last_name="", alias="", first_name_key="", last_name_key="", alias_key=""
        )
        assert self._copy(case) == ("\n\n", "    ")


@pytest.mark.django_db
class TestCaseListFullNameSearch:
    @pytest.fixture
    def cases(self, team):
        return {
            "rahman": CaseFactory(
                team=team, person=PersonFactory(first_name="Mohammed", last_name="Abdelrahman", alias="Abu Karim")
            ),
            "haidari": CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Haidari")),
            "other": CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Rahmani")),
        }

    def test_a_first_name_and_a_surname_find_the_person(self, client, coordinator, cases):
        client.force_login(coordinator)
        assert _found(client, "Mohammed Haidari") == [cases["haidari"]]
        assert _found(client, "haidari   mohammed") == [cases["haidari"]]

    def test_a_surname_written_in_two_words_finds_the_person(self, client, coordinator, cases):
        client.force_login(coordinator)
        assert _found(client, "Mohammed Abdul Rahman") == [cases["rahman"]]
        assert _found(client, "Mohammed Rahman") == [cases["rahman"]]

    def test_a_spelling_variant_of_each_name_finds_the_person(self, client, coordinator, cases):
        client.force_login(coordinator)
        assert _found(client, "Mouhamad Abdelrahman") == [cases["rahman"]]
        assert _found(client, "Muhammad Abd el Rahman") == [cases["rahman"]]

    def test_the_alias_counts_as_a_name(self, client, coordinator, cases):
        client.force_login(coordinator)
        assert _found(client, "Karim Mohammed") == [cases["rahman"]]

    def test_every_word_must_match(self, client, coordinator, cases):
        client.force_login(coordinator)
        assert _found(client, "Mohammed Diallo") == []
        assert _found(client, "Amina Haidari") == []

    def test_a_text_is_not_found_across_two_names(self, client, coordinator, team):
        # The names are searched read together, one per line: "Amina Diallo" holds "nadia" only
        # if the first name's end and the last name's start are read as one word, which they are not.
        CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo", alias="Mina"))
        client.force_login(coordinator)
        assert _found(client, "nadia") == []
        assert _found(client, "lomina") == []
        assert _found(client, "nad") == []

    def test_a_run_of_words_is_found_in_one_name(self, client, coordinator, team):
        case = CaseFactory(team=team, person=PersonFactory(first_name="Nour El Houda", last_name="Ben Salem"))
        client.force_login(coordinator)
        assert _found(client, "el houda ben") == [case]
        assert _found(client, "houda salem") == [case]
        assert _found(client, "houda ben") == [case]

    def test_only_white_space_or_nul_lists_every_case(self, client, coordinator, team):
        cases = [CaseFactory(team=team), CaseFactory(team=team)]
        client.force_login(coordinator)
        assert sorted(_found(client, "\x00 \x00"), key=lambda c: c.pk) == cases

    @pytest.mark.postgres
    def test_the_search_reads_the_teams_indexes(self, coordinator, team):
        # The migration writes the indexes' expressions by hand: they must be the ones the search writes.
        from django.db import connection

        from integrapsy import access

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Case.objects.filter(case_selectors.case_search("Haidari")).explain()
        assert "case_team_search_names" in plan
        assert "case_team_search_key_list" in plan
        # Their first column, the team, is compared with bigints (the only comparison btree_gin
        # has for a bigint column), so that one scan of each reads the team's matches alone.
        searched = access.scope_cases(coordinator, Case.objects.all()).filter(case_selectors.case_search("Haidari"))
        sql, params = searched.query.sql_with_params()
        assert '"cases_case"."team_id" IN ((%s)::bigint)' in sql
        assert team.pk in params

    def test_the_page_costs_the_same_queries_for_one_and_thirty_cases(self, client, coordinator, team):
        CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Haidari"))
        client.force_login(coordinator)
        url = reverse("cases:list") + "?q=Mouhamad+Haidari"
        one = count_queries(client, url)
        for _ in range(29):
            CaseFactory(team=team, person=PersonFactory(first_name="Muhammad", last_name="Haidari"))
        page = client.get(reverse("cases:list"), {"q": "Mouhamad Haidari"}).context["page"]
        assert page.paginator.count == 30
        assert count_queries(client, url) == one


@pytest.mark.parametrize(
    ("write", "note", "status", "change", "add_note"),
    [
        (True, True, "active", True, True),
        (True, True, "on_hold", True, True),
        (True, True, "closed", False, False),
        (False, True, "active", False, True),  # a partner team: notes only
        (False, False, "active", False, False),
    ],
)
def test_notes_and_actions_are_offered_on_an_open_case_to_those_who_may(write, note, status, change, add_note):
    case = Case(status=status)
    rights = CaseAccess(write=write, note=note, clinical=False)
    assert case_selectors.case_actions(case=case, case_access=rights) == {
        "may_change": change,
        "may_add_note": add_note,
    }
