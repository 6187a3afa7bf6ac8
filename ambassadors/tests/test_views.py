from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors import services
from ambassadors.models import Assignment, Contact
from ambassadors.tests.factories import (
    AmbassadorFactory,
    AssignmentFactory,
    ContactFactory,
    TrainingModuleFactory,
    TrainingSessionFactory,
    language,
)
from cases.case_file import services as case_services
from cases.models import PersonLanguage, RiskFlag, TimelineEvent
from cases.risk import services as risk_services
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.helpers import count_queries
from cases.timeline.record import timeline_record
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.directory.models import Location

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def ambassador(team):
    return AmbassadorFactory(
        team=team, user=make_user_with_role(Role.AMBASSADOR, team=team, username="senait", first_name="Senait")
    )


@pytest.fixture
def place(team):
    return Location.objects.create(name="CADA Arras", kind="reception_centre", team=team, city="Arras", country="FR")


@pytest.fixture
def case(team, place):
    person = PersonFactory(
        first_name="Yonas",
        last_name="Zerisenaysurname",
        nationality="ER",
        phone="+33 6 11 22 33 44",
        birth_year=1993,
        location=place,
    )
    PersonLanguage.objects.create(person=person, language=language("tir", name="Tigrinya"), is_main=True)
    return CaseFactory(team=team, person=person)


def active_assignment(case, ambassador, coordinator):
    a = services.assignment_propose(
        case=case, ambassador=ambassador, actor=coordinator, role="peer_support", starts_on=TODAY() - timedelta(days=5)
    )
    return services.assignment_accept(assignment=a, actor=ambassador.user)


class TestReducedCaseView:
    def test_it_shows_first_name_languages_place_assignment_and_own_contacts_and_leaks_nothing_else(
        self, client, team, case, ambassador, coordinator, psychologist
    ):
        mine = active_assignment(case, ambassador, coordinator)
        services.contact_log(
            assignment=mine,
            actor=ambassador.user,
            occurred_on=TODAY(),
            duration_minutes=30,
            kind="visit",
            note="MY-OWN-CONTACT-NOTE",
        )
        colleague = AmbassadorFactory(team=team)
        theirs = active_assignment(case, colleague, coordinator)
        services.contact_log(
            assignment=theirs,
            actor=colleague.user,
            occurred_on=TODAY(),
            duration_minutes=45,
            kind="phone",
            note="OTHER-AMBASSADOR-NOTE",
        )
        case_services.coordination_note_add(case=case, actor=coordinator, text="COORDINATION-NOTE-SECRET")
        risk_services.risk_flag_raise(
            case=case, source=RiskFlag.Source.OTHER, reason="RISK-DETAIL-SECRET", actor=psychologist
        )
        timeline_record(
            case=case, kind="note.added", actor=psychologist, summary="CONSULTATION-NOTE-SECRET", visibility="clinical"
        )

        client.force_login(ambassador.user)
        response = client.get(reverse("ambassadors:mine_detail", args=[mine.code]))
        assert response.status_code == 200
        html = response.content.decode()
        person_block = html.split('id="reduced-person"')[1].split("</dl>")[0]
        assert "Yonas" in person_block and "Tigrinya" in person_block and "CADA Arras" in person_block
        assert "MY-OWN-CONTACT-NOTE" in html
        assert 'data-status="active"' in html
        for secret in (
            "Zerisenaysurname",
            "COORDINATION-NOTE-SECRET",
            "RISK-DETAIL-SECRET",
            "CONSULTATION-NOTE-SECRET",
            "OTHER-AMBASSADOR-NOTE",
            colleague.name,
            case.reference,
            "+33 6 11 22 33 44",
            "Érythrée",
            "1993",
            "/cases/",
        ):
            assert secret not in html, secret
        assert AuditEvent.objects.filter(action="assignment.viewed", case_ref=case.reference).exists()

        for url in (reverse("ambassadors:mine"), reverse("home")):
            page = client.get(url).content.decode()
            for secret in ("Zerisenaysurname", "COORDINATION-NOTE-SECRET", "RISK-DETAIL-SECRET", case.reference):
                assert secret not in page, (url, secret)

    def test_the_normal_case_page_stays_closed_to_the_ambassador(self, client, case, ambassador, coordinator):
        active_assignment(case, ambassador, coordinator)
        client.force_login(ambassador.user)
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
        assert client.get(reverse("cases:person_detail", args=[case.person.code])).status_code == 404

    def test_another_ambassadors_assignment_and_an_ended_one_are_404(self, client, team, case, ambassador, coordinator):
        theirs = AssignmentFactory(ambassador=AmbassadorFactory(team=team), case=case)
        ended = AssignmentFactory(ambassador=ambassador, status="ended", ended_on=TODAY(), end_reason="completed")
        client.force_login(ambassador.user)
        for a in (theirs, ended):
            assert client.get(reverse("ambassadors:mine_detail", args=[a.code])).status_code == 404
        for name in ("mine_accept", "mine_decline", "mine_contact"):
            assert client.post(reverse(f"ambassadors:{name}", args=[theirs.code]), {}).status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == "proposed"

    def test_accept_then_log_a_contact(self, client, case, ambassador, coordinator):
        a = services.assignment_propose(
            case=case, ambassador=ambassador, actor=coordinator, role="peer_support", starts_on=TODAY()
        )
        client.force_login(ambassador.user)
        page = client.get(reverse("ambassadors:mine_detail", args=[a.code])).content.decode()
        assert 'id="accept-button"' in page and 'id="contact-form"' not in page
        response = client.post(reverse("ambassadors:mine_accept", args=[a.code]))
        assert response.status_code == 302
        response = client.post(
            reverse("ambassadors:mine_contact", args=[a.code]),
            {"occurred_on": TODAY().isoformat(), "duration_minutes": "30", "kind": "visit", "note": "Visite"},
        )
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.status == "active"
        assert Contact.objects.get().duration_minutes == 30
        assert TimelineEvent.objects.filter(case=case, kind="contact.logged").exists()

    def test_decline(self, client, case, ambassador, coordinator):
        a = services.assignment_propose(
            case=case, ambassador=ambassador, actor=coordinator, role="peer_support", starts_on=TODAY()
        )
        client.force_login(ambassador.user)
        response = client.post(reverse("ambassadors:mine_decline", args=[a.code]), {"note": "Pas ces jours-là"})
        assert response.status_code == 302
        a.refresh_from_db()
        assert (a.status, a.end_reason, a.end_note) == ("ended", "declined", "Pas ces jours-là")

    @pytest.mark.parametrize(
        ("minutes", "days_before_start", "field"),
        [("800", 0, "duration_minutes"), ("30", 1, "occurred_on")],
    )
    def test_bad_contact_is_explained_beside_the_field_and_kept(
        self, client, case, ambassador, coordinator, minutes, days_before_start, field
    ):
        a = active_assignment(case, ambassador, coordinator)
        client.force_login(ambassador.user)
        day = a.starts_on - timedelta(days=days_before_start)
        response = client.post(
            reverse("ambassadors:mine_contact", args=[a.code]),
            {"occurred_on": day.isoformat(), "duration_minutes": minutes, "kind": "phone", "note": "Appel du soir"},
        )
        assert response.status_code == 400
        form = response.context["contact_form"]
        assert list(form.errors) == [field]
        html = response.content.decode()
        assert f'id="error_1_id_{field}"' in html or f"id_{field}" in html
        assert "Appel du soir" in html and f'value="{minutes}"' in html
        assert Contact.objects.count() == 0

    def test_my_list_has_a_fixed_number_of_queries(self, client, team, ambassador, coordinator):
        ContactFactory(assignment=AssignmentFactory(ambassador=ambassador, status="active"))
        client.force_login(ambassador.user)
        url = reverse("ambassadors:mine")
        count_queries(client, url)
        one = count_queries(client, url)
        for _ in range(29):
            ContactFactory(assignment=AssignmentFactory(ambassador=ambassador, status="active"))
        AssignmentFactory(ambassador=ambassador, status="ended", ended_on=TODAY(), end_reason="completed")
        assert count_queries(client, url) == one

    def test_my_contacts_have_a_fixed_number_of_queries(self, client, case, ambassador, coordinator):
        a = active_assignment(case, ambassador, coordinator)
        ContactFactory(assignment=a)
        client.force_login(ambassador.user)
        url = reverse("ambassadors:mine_detail", args=[a.code])
        count_queries(client, url)
        one = count_queries(client, url)
        for _ in range(29):
            ContactFactory(assignment=a)
        assert count_queries(client, url) == one


class TestCoordinatorPages:
    def test_case_page_panel_lists_ambassadors_with_their_hours(self, client, case, ambassador, coordinator):
        a = active_assignment(case, ambassador, coordinator)
        ContactFactory(assignment=a, duration_minutes=90)
        client.force_login(coordinator)
        html = client.get(reverse("cases:detail_planning", args=[case.reference])).content.decode()
        panel = html.split('id="case-ambassadors"')[1].split("</section>")[0]
        assert ambassador.name in panel and "1 h 30" in panel
        assert 'id="assign-ambassador"' in panel
        assert "contact.logged" not in html  # kinds are shown by their label

    def test_case_page_keeps_a_fixed_number_of_queries(self, client, team, case, coordinator):
        client.force_login(coordinator)
        AssignmentFactory(case=case, ambassador=AmbassadorFactory(team=team))
        url = reverse("cases:detail_planning", args=[case.reference])
        count_queries(client, url)
        one = count_queries(client, url)
        for _ in range(29):
            ContactFactory(assignment=AssignmentFactory(case=case, ambassador=AmbassadorFactory(team=team)))
        assert count_queries(client, url) == one

    def test_assign_from_the_suggestions(self, client, case, ambassador, coordinator):
        client.force_login(coordinator)
        url = reverse("ambassadors:case_assign", args=[case.reference])
        response = client.post(
            url, {"ambassador": str(ambassador.code), "role": "mediation", "starts_on": TODAY().isoformat()}
        )
        assert response.status_code == 302
        a = Assignment.objects.get()
        assert (a.ambassador, a.case, a.role, a.status) == (ambassador, case, "mediation", "proposed")

    def test_beyond_the_maximum_the_form_asks_for_a_reason_and_keeps_the_input(
        self, client, team, case, ambassador, coordinator
    ):
        ambassador.max_active_assignments = 1
        ambassador.save()
        AssignmentFactory(ambassador=ambassador)
        client.force_login(coordinator)
        url = reverse("ambassadors:case_assign", args=[case.reference])
        data = {
            "ambassador": str(ambassador.code),
            "role": "mediation",
            "starts_on": TODAY().isoformat(),
            "planned_end_on": (TODAY() + timedelta(days=30)).isoformat(),
        }
        response = client.post(url, data)
        assert response.status_code == 400
        assert list(response.context["form"].errors) == ["over_limit_reason"]
        html = response.content.decode()
        assert f'value="{ambassador.code}" selected' in html
        assert 'value="mediation" selected' in html
        assert not Assignment.objects.filter(case=case).exists()
        response = client.post(url, {**data, "over_limit_reason": "Seule à parler tigrinya"})
        assert response.status_code == 302
        assert Assignment.objects.get(case=case).over_limit_reason == "Seule à parler tigrinya"

    def test_an_inactive_ambassador_is_refused_beside_the_field(self, client, case, ambassador, coordinator):
        ambassador.is_active = False
        ambassador.save()
        client.force_login(coordinator)
        response = client.post(
            reverse("ambassadors:case_assign", args=[case.reference]),
            {"ambassador": str(ambassador.code), "role": "mediation", "starts_on": TODAY().isoformat()},
        )
        assert list(response.context["form"].errors) == ["ambassador"]
        assert Assignment.objects.count() == 0

    def test_end_an_assignment(self, client, case, ambassador, coordinator):
        a = active_assignment(case, ambassador, coordinator)
        client.force_login(coordinator)
        response = client.post(
            reverse("ambassadors:assignment_end", args=[a.code]),
            {"reason": "completed", "ended_on": TODAY().isoformat(), "note": ""},
        )
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.status == "ended"

    def test_ambassador_list_and_profile(self, client, team, ambassador, psychologist):
        ambassador.presentation = "Aime accompagner les jeunes."
        ambassador.save()
        client.force_login(psychologist)
        html = client.get(reverse("ambassadors:ambassador_list")).content.decode()
        assert ambassador.name in html
        html = client.get(reverse("ambassadors:ambassador_detail", args=[ambassador.code])).content.decode()
        assert "Aime accompagner les jeunes." in html
        assert "ambassador_edit" not in html and f"/ambassadors/{ambassador.code}/edit/" not in html

    def test_ambassador_list_has_a_fixed_number_of_queries(self, client, team, coordinator):
        client.force_login(coordinator)
        AmbassadorFactory(team=team, speaks=[(language("tir"), "native")])
        url = reverse("ambassadors:ambassador_list")
        count_queries(client, url)
        one = count_queries(client, url)
        for _ in range(29):
            ContactFactory(
                assignment=AssignmentFactory(
                    ambassador=AmbassadorFactory(team=team, speaks=[(language("tir"), "native")])
                )
            )
        assert count_queries(client, url) == one

    def test_create_and_edit_a_profile(self, client, team, coordinator, place):
        user = make_user_with_role(Role.AMBASSADOR, team=team, username="farid")
        pus = language("pus", name="Pashto")
        client.force_login(coordinator)
        data = {
            "user": user.pk,
            "team": team.pk,
            "gender": "M",
            "mother_tongues": [pus.pk],
            "territories": [place.pk],
            "availability": ["tue_am", "mon_am"],
            "max_active_assignments": "3",
            "started_on": TODAY().isoformat(),
            "presentation": "Ancien enseignant.",
            "is_active": "on",
        }
        response = client.post(reverse("ambassadors:ambassador_new"), data)
        assert response.status_code == 302
        amb = user.ambassador_profile
        assert amb.availability == ["mon_am", "tue_am"]
        assert list(amb.territories.all()) == [place]
        response = client.post(
            reverse("ambassadors:ambassador_edit", args=[amb.code]),
            {**data, "mother_tongues": [pus.pk], "fluent_languages": [pus.pk], "max_active_assignments": "5"},
        )
        assert response.status_code == 400
        assert "fluent_languages" in response.context["form"].errors
        amb.refresh_from_db()
        assert amb.max_active_assignments == 3

    def test_training_page_with_progress_has_a_fixed_number_of_queries(self, client, team, coordinator):
        module = TrainingModuleFactory()
        session = TrainingSessionFactory(team=team, module=module)
        client.force_login(coordinator)
        url = reverse("ambassadors:training")
        services.training_attendance_set(session=session, actor=coordinator, ambassadors=[AmbassadorFactory(team=team)])
        count_queries(client, url)
        one = count_queries(client, url)
        for _ in range(29):
            amb = AmbassadorFactory(team=team)
            services.training_attendance_set(
                session=TrainingSessionFactory(team=team, module=module), actor=coordinator, ambassadors=[amb]
            )
            services.module_complete(ambassador=amb, module=module, actor=coordinator, completed_on=TODAY())
        assert count_queries(client, url) == one

    @pytest.mark.parametrize("language", ["fr", "nl"])
    def test_the_programme_modules_show_in_the_readers_language(
        self, client, settings, catalogue, team, coordinator, ambassador, language
    ):
        from django.utils import translation

        from ambassadors.models import PROGRAMME_MODULES

        title = "Intercultural mediation"
        catalogue(title, fr="Médiation interculturelle", nl="Interculturele bemiddeling")
        catalogue(PROGRAMME_MODULES[title], fr="Le rôle de tiers (fr)", nl="De rol van derde (nl)")
        module = TrainingModuleFactory(title=title, description=PROGRAMME_MODULES[title])
        own = TrainingModuleFactory(title="Atelier local", description="Écrit par l'équipe")
        session = TrainingSessionFactory(team=team, module=module)
        with translation.override(language):
            expected = translation.gettext(title)
            described = translation.gettext(PROGRAMME_MODULES[title])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(coordinator)
        html = client.get(reverse("ambassadors:training")).content.decode()
        assert expected in html and described in html and title not in html
        assert own.title in html and "Écrit par l&#x27;équipe" in html  # a module the team added, as typed
        assert expected in client.get(reverse("ambassadors:training_session", args=[session.code])).content.decode()
        form = client.get(reverse("ambassadors:ambassador_training", args=[ambassador.code])).context["form"]
        assert expected in [label for _value, label in form.fields["module"].choices]
        client.force_login(ambassador.user)
        assert expected in client.get(reverse("ambassadors:my_training")).content.decode()

    def test_attendance_and_completion_pages(self, client, team, coordinator, ambassador):
        module = TrainingModuleFactory(title="Médiation interculturelle")
        session = TrainingSessionFactory(team=team, module=module, duration_minutes=240)
        client.force_login(coordinator)
        response = client.post(
            reverse("ambassadors:training_session", args=[session.code]), {"ambassadors": [ambassador.pk]}
        )
        assert response.status_code == 302
        response = client.post(
            reverse("ambassadors:ambassador_training", args=[ambassador.code]),
            {"module": module.pk, "completed_on": TODAY().isoformat()},
        )
        assert response.status_code == 302
        html = client.get(reverse("ambassadors:training")).content.decode()
        row = html.split(f'data-ambassador="{ambassador.code}"')[1].split("</tr>")[0]
        assert "1 / 1" in row and 'data-minutes="240"' in row
        client.force_login(ambassador.user)
        html = client.get(reverse("ambassadors:my_training")).content.decode()
        assert 'data-progress="1/1"' in html

    def test_a_psychologist_cannot_record_attendance(self, client, team, psychologist, ambassador):
        session = TrainingSessionFactory(team=team)
        client.force_login(psychologist)
        response = client.post(
            reverse("ambassadors:training_session", args=[session.code]), {"ambassadors": [ambassador.pk]}
        )
        assert response.status_code == 404
        assert not session.attendances.exists()

    def test_plan_a_session(self, client, team, coordinator):
        module = TrainingModuleFactory()
        client.force_login(coordinator)
        response = client.post(
            reverse("ambassadors:training_session_new"),
            {
                "module": module.pk,
                "team": team.pk,
                "starts_at": "2026-05-04T09:00",
                "duration_minutes": "180",
                "trainer": "Hélène Roussel",
                "place": "Arras",
            },
        )
        assert response.status_code == 302
        assert module.sessions.get().trainer == "Hélène Roussel"


class TestHomePanels:
    def test_the_ambassador_sees_proposals_waiting_for_an_answer(self, client, case, ambassador, coordinator):
        services.assignment_propose(
            case=case, ambassador=ambassador, actor=coordinator, role="mediation", starts_on=TODAY()
        )
        client.force_login(ambassador.user)
        html = client.get(reverse("home")).content.decode()
        assert 'id="home-waiting"' in html and "Yonas" in html

    def test_the_coordinator_sees_unanswered_proposals(self, client, case, ambassador, coordinator):
        services.assignment_propose(
            case=case, ambassador=ambassador, actor=coordinator, role="mediation", starts_on=TODAY()
        )
        client.force_login(coordinator)
        html = client.get(reverse("home")).content.decode()
        assert 'id="home-amb-h"' in html and case.reference in html


def test_a_contact_sent_twice_with_its_key_is_logged_once(client, case, ambassador, coordinator):
    a = active_assignment(case, ambassador, coordinator)
    client.force_login(ambassador.user)
    data = {"occurred_on": TODAY().isoformat(), "duration_minutes": "30", "kind": "visit", "note": "Visite"}
    headers = {"Idempotency-Key": "5f0c9a52-1d7e-4a53-a0c1-2b8c4c0d9e11", "X-Offline-Queued": "1"}
    url = reverse("ambassadors:mine_contact", args=[a.code])
    answers = [client.post(url, data, headers=headers) for _ in range(2)]
    assert [r.status_code for r in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Contact.objects.count() == 1
    assert TimelineEvent.objects.filter(case=case, kind="contact.logged").count() == 1
