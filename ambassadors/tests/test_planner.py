"""The language-support planner: its rules, its two sides, and the team's rules page."""

from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors import planner
from ambassadors.models import LanguageSupportRule, Requirement, SupportActivity
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, language
from cases.models import PersonLanguage
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.directory.models import Location
from interpreters.tests.factories import BookingFactory, InterpreterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pashto():
    return language("pus", name="Pashto")


@pytest.fixture
def case(team, pashto):
    person = PersonFactory(first_name="Gul", last_name="Ahmadzai")
    PersonLanguage.objects.create(person=person, language=pashto, is_main=True)
    return CaseFactory(team=team, person=person, main_language=pashto)


@pytest.fixture
def farid(team, pashto):
    return AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="farid", first_name="Farid"),
        speaks=[(pashto, "native")],
        availability=["tue_am"],
    )


@pytest.fixture
def gulalai(pashto):
    return InterpreterFactory(username="gulalai", first_name="Gulalai", gender="F", languages=[pashto])


class TestRules:
    @pytest.mark.parametrize(
        ("activity", "required"),
        [
            ("first_assessment", True),
            ("risk_assessment", True),
            ("consultation", False),
            ("permanence", False),
            ("group", False),
            ("accompaniment", False),
        ],
    )
    def test_defaults(self, team, activity, required):
        decision = planner.rule_for(team=team, activity=activity)
        assert decision.interpreter_required is required
        assert decision.explanation
        assert not decision.from_team

    def test_every_activity_has_a_default(self):
        assert set(planner.DEFAULT_RULES) == set(SupportActivity.values)

    def test_a_team_rule_overrides_the_default_for_that_team_only(self, team):
        LanguageSupportRule.objects.create(
            team=team, activity="group", requirement=Requirement.INTERPRETER, explanation="Groupes de parole."
        )
        mine = planner.rule_for(team=team, activity="group")
        assert (mine.interpreter_required, mine.explanation, mine.from_team) == (True, "Groupes de parole.", True)
        assert not planner.rule_for(team=TeamFactory(name="Autre"), activity="group").interpreter_required

    def test_slots(self):
        assert planner.slot_of(date(2026, 3, 3), "am") == "tue_am"
        assert planner.slot_of(date(2026, 3, 8), "pm") == ""  # Sunday: no availability slot
        assert planner.slot_of(None, "am") == ""

    def test_the_time_window(self, team, pashto):
        def window(**kw):
            start, end = planner.SupportRequest(team=team, activity="consultation", language=pashto, **kw).window
            return timezone.localtime(start).strftime("%H:%M"), timezone.localtime(end).strftime("%H:%M")

        day = date(2026, 3, 3)
        assert window(day=day, part_of_day="am") == ("09:00", "12:30")
        assert window(day=day, part_of_day="pm") == ("13:30", "17:00")
        assert window(day=day) == ("09:00", "17:00")
        assert window(day=day, starts_at=time(10, 15)) == ("10:15", "11:15")
        assert window(day=day, starts_at=time(14), ends_at=time(15, 30)) == ("14:00", "15:30")
        assert planner.SupportRequest(team=team, activity="consultation", language=pashto).window is None
        # A start time alone places the request in the ambassadors' half-days too.
        assert planner.SupportRequest(
            team=team, activity="consultation", language=pashto, day=day, starts_at=time(14)
        ).slot == ("tue_pm")


class TestInterpreterSide:
    def test_it_ranks_the_interpreters_with_the_interpreters_matching(self, team, coordinator, case, pashto, gulalai):
        InterpreterFactory(username="tigrinya-only", languages=[language("tir", name="Tigrinya")])
        side = planner.interpreter_suggestions(
            planner.SupportRequest(
                team=team,
                activity="consultation",
                language=None,
                case=case,
                day=date(2026, 3, 3),
                part_of_day="am",
                gender_preference="F",
            ),
            user=coordinator,
        )
        assert [s.interpreter for s in side.suggestions] == [gulalai]
        best = side.suggestions[0]
        assert best.available and best.times_before == 0
        assert best.score == 40 + 20 and len(best.reasons) == 2  # the language, then the gender as requested
        assert "language=" in side.booking_query and f"case={case.reference}" in side.booking_query
        assert not side.note

    def test_the_continuity_with_the_person_comes_first(self, team, coordinator, case, pashto, gulalai):
        known = InterpreterFactory(username="known", first_name="Known", languages=[pashto])
        start = timezone.now() - timedelta(days=20)
        BookingFactory(
            team=team,
            case=case,
            language=pashto,
            interpreter=known,
            status="completed",
            billable_minutes=60,
            starts_at=start,
        )
        side = planner.interpreter_suggestions(
            planner.SupportRequest(team=team, activity="consultation", language=pashto, case=case), user=coordinator
        )
        assert [s.interpreter for s in side.suggestions] == [known, gulalai]
        assert side.suggestions[0].times_before == 1
        assert side.note  # no day: nobody checked for being free

    def test_without_a_language_there_is_nothing_to_rank(self, team, coordinator, gulalai):
        side = planner.interpreter_suggestions(
            planner.SupportRequest(team=team, activity="permanence", language=None), user=coordinator
        )
        assert side.suggestions == [] and side.note

    def test_the_booking_query_carries_the_request_over(self, team, case, pashto):
        lens = Location.objects.create(name="Lens", kind="diffuse_housing", team=team, city="Lens", country="FR")
        query = planner.SupportRequest(
            team=team,
            activity="permanence",
            language=pashto,
            case=case,
            day=date(2026, 3, 3),
            starts_at=time(14),
            location=lens,
            mode="video",
            gender_preference="M",
        ).booking_query()
        assert dict(parse_qsl(query)) == {
            "serves_kind": "permanence",
            "mode": "video",
            "case": case.reference,
            "language": str(pashto.pk),
            "location": str(lens.pk),
            "day": "2026-03-03",
            "starts_at": "14:00",
            "ends_at": "15:00",
            "gender_preference": "M",
        }


class TestPlannerPage:
    def test_for_a_pashto_consultation_it_shows_the_rule_both_sides_and_the_ambassador(
        self, client, coordinator, case, farid, gulalai
    ):
        client.force_login(coordinator)
        response = client.get(
            reverse("ambassadors:planner"),
            {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "part_of_day": "am"},
        )
        html = response.content.decode()
        assert 'id="planner-rule" data-requirement="either"' in html
        interpreters, side = html.split('id="planner-interpreters"')[1].split('id="planner-ambassadors"')
        assert f'data-interpreter="{gulalai.code}"' in interpreters and 'id="interpreters-note"' not in interpreters
        booking_link = interpreters.split(f'id="book-{gulalai.code}" href="')[1].split('"')[0]
        assert booking_link.startswith(reverse("interpreters:booking_new") + "?")
        assert dict(parse_qsl(booking_link.split("?")[1].replace("&amp;", "&"))) == {
            "serves_kind": "consultation",
            "mode": "on_site",
            "case": case.reference,
            "language": str(case.main_language.pk),
            "day": "2026-03-03",
            "starts_at": "09:00",
            "ends_at": "12:30",
        }
        assert f'data-ambassador="{farid.code}"' in side
        assert f'id="assign-{farid.code}"' in side
        assert f"/cases/{case.reference}/ambassadors/?ambassador={farid.code}&amp;role=language_support" in side

    def test_opened_from_a_case_it_shows_no_error_before_anything_is_sent(self, client, coordinator, case, farid):
        client.force_login(coordinator)
        response = client.get(reverse("ambassadors:planner"), {"case": case.reference})
        assert response.status_code == 200
        form = response.context["form"]
        assert not form.is_bound and not form.errors
        assert form["case"].value() == case.reference

    def test_a_first_assessment_says_an_interpreter_is_required(self, client, coordinator, case, farid):
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"), {"case": case.reference, "activity": "first_assessment"}
        ).content.decode()
        assert 'data-requirement="interpreter"' in html
        assert 'id="ambassadors-cannot-replace"' in html

    def test_without_a_case_it_plans_by_language_with_no_assign_button(self, client, coordinator, pashto, farid):
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"), {"language": pashto.pk, "activity": "permanence"}
        ).content.decode()
        assert f'data-ambassador="{farid.code}"' in html
        assert f'id="assign-{farid.code}"' not in html

    def test_neither_case_nor_language_is_explained(self, client, coordinator):
        client.force_login(coordinator)
        response = client.get(reverse("ambassadors:planner"), {"activity": "consultation"})
        assert "language" in response.context["form"].errors
        assert response.context["result"] is None

    def test_a_case_of_another_team_is_refused(self, client, coordinator, pashto):
        other = CaseFactory(team=TeamFactory(name="Autre"))
        client.force_login(coordinator)
        response = client.get(reverse("ambassadors:planner"), {"case": other.reference, "activity": "consultation"})
        assert "case" in response.context["form"].errors

    def test_the_booking_link_opens_the_prefilled_request_form(self, client, coordinator, case, gulalai):
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"),
            {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "starts_at": "10:00"},
        ).content.decode()
        link = html.split(f'id="book-{gulalai.code}" href="')[1].split('"')[0].replace("&amp;", "&")
        form = client.get(link).context["form"]
        assert form.initial["case"] == case.reference and form.initial["language"] == case.main_language
        assert (str(form.initial["day"]), str(form.initial["starts_at"]), str(form.initial["ends_at"])) == (
            "2026-03-03",
            "10:00:00",
            "11:00:00",
        )

    def test_an_interpreter_who_is_not_free_is_shown_without_a_booking_link(self, client, coordinator, case, gulalai):
        from interpreters.models import Unavailability

        Unavailability.objects.create(
            interpreter=gulalai,
            starts_at=timezone.make_aware(datetime(2026, 3, 3, 8)),
            ends_at=timezone.make_aware(datetime(2026, 3, 3, 18)),
        )
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"),
            {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "part_of_day": "am"},
        ).content.decode()
        assert f'data-interpreter="{gulalai.code}" data-available="no"' in html
        assert f'id="book-{gulalai.code}"' not in html

    def test_an_end_before_the_start_is_explained_and_kept(self, client, coordinator, case):
        client.force_login(coordinator)
        response = client.get(
            reverse("ambassadors:planner"),
            {
                "case": case.reference,
                "activity": "consultation",
                "day": "2026-03-03",
                "starts_at": "11:00",
                "ends_at": "10:00",
            },
        )
        assert "ends_at" in response.context["form"].errors and response.context["result"] is None
        assert 'value="11:00"' in response.content.decode()

    # The session, the user, their memberships, the case planned for with its team's rule (the
    # form offers that case alone: no list of recent cases), the ambassadors with their
    # languages and facts, the interpreters with theirs, those who interpreted for the person
    # before, who of them is busy then, the week's bookings of those shown; the form's languages
    # and places are read in one query by the first request, then kept
    # (``selectors.planner_options``).
    PLANNER_QUERIES = 9

    def test_it_keeps_a_fixed_and_small_number_of_queries(self, client, team, coordinator, case, pashto):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(coordinator)
        place = Location.objects.create(name="CAES Arras", kind="reception_centre", team=team, city="Arras")
        case.person.location = place
        case.person.save()
        dari = language("prs", "", "Dari")
        PersonLanguage.objects.create(person=case.person, language=dari)
        params = {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "part_of_day": "am"}

        def count():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("ambassadors:planner"), params)
            assert response.status_code == 200
            return len(ctx.captured_queries), response.context["result"]

        start = timezone.make_aware(datetime(2026, 3, 3, 10))

        def add(i):
            ambassador = AmbassadorFactory(team=team, speaks=[(pashto, "native"), (dari, "fluent")])
            ambassador.territories.add(place)
            AssignmentFactory(ambassador=ambassador)
            if i % 2:
                AssignmentFactory(ambassador=ambassador, case=case)
            CaseFactory(team=team)
            interpreter = InterpreterFactory(username=f"pashto{i}", languages=[pashto], territories=[team])
            interpreter.unavailabilities.create(
                starts_at=start - timedelta(days=1), ends_at=start - timedelta(hours=i % 3)
            )
            # Each with a history with the person, a booking that day and one that week.
            for offset, status in ((-30 - i, "completed"), (0, "confirmed"), (2, "confirmed")):
                moment = start + timedelta(days=offset)
                BookingFactory(
                    team=team,
                    case=case,
                    language=pashto,
                    interpreter=interpreter,
                    status=status,
                    billable_minutes=60,
                    starts_at=moment + timedelta(minutes=i),
                    ends_at=moment + timedelta(minutes=i + 30),
                )

        add(0)
        count()
        one, result = count()
        assert (len(result.ambassadors), len(result.interpreters.suggestions)) == (1, 1)
        for i in range(1, 30):
            add(i)
        many, result = count()
        assert (len(result.ambassadors), len(result.interpreters.suggestions)) == (30, 30)
        assert one == many == self.PLANNER_QUERIES <= 10
        # The page shows the best ten of each, and offers the rest.
        page = client.get(reverse("ambassadors:planner"), params)
        assert (len(page.context["interpreters"].shown), page.context["interpreters"].hidden) == (10, 20)
        assert (len(page.context["ambassadors"].shown), page.context["ambassadors"].hidden) == (10, 20)
        html = page.content.decode()
        assert 'id="interpreters-all"' in html and 'id="ambassadors-all"' in html
        everyone = client.get(reverse("ambassadors:planner"), {**params, "all": "1"})
        assert len(everyone.context["interpreters"].shown) == len(everyone.context["ambassadors"].shown) == 30
        assert 'id="interpreters-all"' not in everyone.content.decode()


def test_opened_for_a_case_the_form_offers_that_case_and_a_way_to_another(client, team, coordinator, case):
    """From a case page, the planner offers that case alone, read in one query, and
    a link to the planner without it, where the recent cases are; a case the user may not plan
    for is not offered, and the recent ones are."""
    from cases.tests.helpers import count_queries

    client.force_login(coordinator)
    recent = CaseFactory(team=team, opened_on=case.opened_on + timedelta(days=1))
    url = reverse("ambassadors:planner") + f"?case={case.reference}&activity=consultation"
    response = client.get(url)
    choices = [value for value, _label in response.context["form"].fields["case"].choices]
    assert choices == ["", case.reference]
    assert response.context["form"]["case"].value() == case.reference
    html = response.content.decode()
    another = response.context["another_case_url"]
    assert 'id="planner-another-case"' in html and f'href="{another}"'.replace("&", "&amp;") in html
    # The link keeps what else was asked, and opens the form unsent (no error) with the recent cases.
    assert "activity=consultation" in another and "case=" not in another.replace("choose=case", "")
    choosing = client.get(another)
    assert choosing.status_code == 200 and not choosing.context["form"].is_bound
    assert choosing.context["form"]["activity"].value() == "consultation"
    assert recent.reference in {value for value, _label in choosing.context["form"].fields["case"].choices}
    assert choosing.context["result"] is None and 'id="planner-another-case"' not in choosing.content.decode()
    # The recent cases, a link away.
    plain = client.get(reverse("ambassadors:planner"))
    assert {recent.reference, case.reference} <= {
        value for value, _label in plain.context["form"].fields["case"].choices
    }
    assert 'id="planner-another-case"' not in plain.content.decode()
    # Another team's case is not offered (the recent ones are): the form says so beside the field.
    other = CaseFactory(team=TeamFactory(name="Ailleurs"))
    elsewhere = reverse("ambassadors:planner") + f"?case={other.reference}&activity=consultation"
    response = client.get(elsewhere)
    assert other.reference not in [value for value, _label in response.context["form"].fields["case"].choices]
    assert 'id="planner-another-case"' not in response.content.decode()
    assert "case" in response.context["form"].errors and response.context["result"] is None
    # Planning for a case of one's own costs the same queries whatever the number of cases.
    count_queries(client, url)
    before = count_queries(client, url)
    for _ in range(3):
        CaseFactory(team=team)
    assert count_queries(client, url) == before


def test_the_team_rule_for_a_case_is_read_with_the_case(client, team, coordinator, case):
    """Planning for a case, its team's own rule for the activity comes with the case (no query of
    its own); another activity, another team's rule or no case named read the default or the rule
    as before."""
    from cases.tests.helpers import count_queries

    LanguageSupportRule.objects.create(
        team=team, activity="group", requirement=Requirement.INTERPRETER, explanation="Groupes de parole."
    )
    LanguageSupportRule.objects.create(
        team=TeamFactory(name="Autre"), activity="consultation", requirement=Requirement.INTERPRETER
    )
    client.force_login(coordinator)
    url = reverse("ambassadors:planner")
    group = client.get(url, {"case": case.reference, "activity": "group"})
    assert group.context["result"].rule.from_team and group.context["result"].rule.interpreter_required
    assert group.context["result"].rule.explanation == "Groupes de parole."
    assert 'data-requirement="interpreter"' in group.content.decode()
    consultation = client.get(url, {"case": case.reference, "activity": "consultation"})
    assert not consultation.context["result"].rule.from_team
    assert not consultation.context["result"].rule.interpreter_required
    # The same queries with the team's rule as without it.
    assert count_queries(client, f"{url}?case={case.reference}&activity=group") == count_queries(
        client, f"{url}?case={case.reference}&activity=consultation"
    )


def test_the_forms_languages_and_places_are_read_together_and_kept_for_the_same_teams(
    team, coordinator, pashto, django_assert_num_queries
):
    from django.core.cache import cache

    from ambassadors import selectors
    from integrapsy import access

    other_team = TeamFactory(name="Tournai")
    Location.objects.create(name="CAES Arras", kind="reception_centre", team=team, city="Arras")
    Location.objects.create(name="Centre de Tournai", kind="reception_centre", team=other_team, city="Tournai")
    other = make_user_with_role(Role.COORDINATOR, team=other_team, username="coord-tournai")
    access.profile(coordinator)  # the user's memberships, read once per request
    with django_assert_num_queries(1):
        options = selectors.planner_options(user=coordinator)
    assert [str(place) for place in options["location"]] == ["CAES Arras (Arras)"]
    assert pashto.pk in [lang.pk for lang in options["language"]]
    # The same teams: kept, no query; another team: its own places.
    with django_assert_num_queries(0):
        assert selectors.planner_options(user=coordinator) == options
    assert [str(place) for place in selectors.planner_options(user=other)["location"]] == [
        "Centre de Tournai (Tournai)"
    ]
    # A place added shows once the kept list is gone (a minute at most).
    Location.objects.create(name="Mairie", kind="reception_centre", team=team, city="Arras")
    cache.clear()
    assert [place.name for place in selectors.planner_options(user=coordinator)["location"]] == ["CAES Arras", "Mairie"]


def test_the_form_draws_the_kept_options_and_checks_a_place_against_the_users_own(client, team, coordinator, case):
    other_place = Location.objects.create(
        name="Centre de Tournai", kind="reception_centre", team=TeamFactory(name="Tournai"), city="Tournai"
    )
    place = Location.objects.create(name="CAES Arras", kind="reception_centre", team=team, city="Arras")
    client.force_login(coordinator)
    url = reverse("ambassadors:planner")
    page = client.get(url, {"case": case.reference})
    assert f'<option value="{place.pk}">CAES Arras (Arras)</option>' in page.content.decode()
    assert "Centre de Tournai" not in page.content.decode()
    refused = client.get(url, {"case": case.reference, "activity": "consultation", "location": other_place.pk})
    assert "location" in refused.context["form"].errors and refused.context["result"] is None
    chosen = client.get(url, {"case": case.reference, "activity": "consultation", "location": place.pk})
    assert chosen.context["result"].request.location == place
    assert f'<option value="{place.pk}" selected>' in chosen.content.decode()


class TestRulesPage:
    def test_a_coordinator_edits_the_team_rules(self, client, team, coordinator):
        client.force_login(coordinator)
        url = reverse("ambassadors:planner_rules")
        data = {}
        for activity, (requirement, _text) in planner.DEFAULT_RULES.items():
            data[f"{activity}-requirement"] = requirement
            data[f"{activity}-explanation"] = ""
        data["group-requirement"] = "interpreter"
        data["group-explanation"] = "Groupes de parole."
        response = client.post(url, data)
        assert response.status_code == 302
        assert planner.rule_for(team=team, activity="group").explanation == "Groupes de parole."
        assert planner.rule_for(team=team, activity="group").interpreter_required

    def test_bad_input_saves_nothing(self, client, team, coordinator):
        client.force_login(coordinator)
        data = {f"{a}-requirement": "interpreter" for a in planner.DEFAULT_RULES}
        data["group-requirement"] = "nonsense"
        data["consultation-explanation"] = "Gardé"
        response = client.post(reverse("ambassadors:planner_rules"), data)
        assert response.status_code == 400
        assert "Gardé" in response.content.decode()
        assert not LanguageSupportRule.objects.exists()
