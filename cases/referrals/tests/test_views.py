from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.case_file import services as case_services
from cases.models import Case, Referral
from cases.persons import services as person_services
from cases.referrals import services
from cases.risk import services as risk_services
from cases.tests.factories import CaseFactory, PersonFactory, ReferralFactory, referral_form_data
from cases.tests.helpers import count_queries
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.directory.models import Language


@pytest.fixture
def referrer(db):
    return make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))


class TestReferralForm:
    def test_bad_input_keeps_everything_typed(self, client, referrer):
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"),
            {
                "first_name": "<script>alert(1)</script>Yonas",
                "last_name": "T" * 500,
                "phone": "not a phone",
                "birth_date": "2999-01-01",
                "urgency": "routine",
                "sex": "M",
                "actions_taken": "Vu par l'infirmière",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        form = response.context["form"]
        assert set(form.errors) >= {"last_name", "phone", "birth_date", "reasons"}
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Yonas" in html  # kept, and escaped
        assert "<script>alert(1)" not in html
        assert "Vu par l&#39;infirmière" in html or "Vu par l&#x27;infirmière" in html  # kept, escaped
        assert Referral.objects.count() == 0

    def test_a_text_over_its_limit_is_refused_beside_the_field_and_kept(self, client, referrer):
        """Without the counter script (or past it), the server still says the text is too long."""
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"), {"first_name": "Hewan", "sex": "F", "actions_taken": "a" * 2100}
        )
        assert response.status_code == 400
        assert "actions_taken" in response.context["form"].errors
        assert "a" * 2100 in response.content.decode()
        assert 'maxlength="2000"' in response.content.decode()

    def test_missing_consent_is_explained_beside_the_field(self, client, referrer):
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"),
            {"first_name": "Hewan", "reasons": ["anxiety"], "urgency": "routine", "sex": "F"},
        )
        assert response.status_code == 400
        assert "consent_given" in response.context["form"].errors
        assert Referral.objects.count() == 0

    def test_an_alarming_referral_shows_the_crisis_lines(self, client, referrer, team):
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"),
            referral_form_data(reasons=["suicidal_thoughts"], urgency="priority"),
            follow=True,
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="crisis-h"' in html
        for number in ("3114", "15", "0800 32 123", "112"):
            assert number in html


class TestReferrerStatusPage:
    def test_it_shows_status_and_dates_but_nothing_the_team_wrote(self, client, referrer, team, coordinator):
        referral = ReferralFactory(team=team, organisation=referrer.organisation, submitted_by=referrer)
        case = services.referral_accept(referral=referral, actor=coordinator)
        case_services.coordination_note_add(case=case, actor=coordinator, text="SECRET-NOTE-TEXT")
        client.force_login(referrer)
        html = client.get(reverse("cases:referral_status", args=[referral.code])).content.decode()
        assert 'id="referral-status"' in html
        assert "SECRET-NOTE-TEXT" not in html
        assert case.reference not in html
        assert "/cases/" not in html

    def test_another_organisations_referral_is_404(self, client, referrer, team):
        other = ReferralFactory(team=team, organisation=OrganisationFactory(name="Autre"))
        client.force_login(referrer)
        assert client.get(reverse("cases:referral_status", args=[other.code])).status_code == 404


class TestTriageViews:
    def test_accept_from_the_page_opens_the_case(self, client, coordinator, team):
        referral = ReferralFactory(team=team)
        client.force_login(coordinator)
        response = client.post(reverse("cases:referral_accept", args=[referral.code]), {"person": "new"})
        referral.refresh_from_db()
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:detail", args=[referral.case.reference])

    def test_decline_without_reason_shows_the_error(self, client, coordinator, team):
        referral = ReferralFactory(team=team)
        client.force_login(coordinator)
        response = client.post(reverse("cases:referral_decline", args=[referral.code]), {"reason": ""})
        assert response.status_code == 400
        assert "reason" in response.context["decline_form"].errors
        assert referral.organisation.name in response.content.decode()  # the page drawn again whole

    def test_decline_and_question_read_the_referral_with_its_referrer_only(self, client, coordinator, team):
        client.force_login(coordinator)
        for name, data in (
            ("cases:referral_ask", {"question": "Quelles disponibilités ?"}),
            ("cases:referral_decline", {"reason": "Suivi ailleurs"}),
        ):
            referral = ReferralFactory(team=team)
            with CaptureQueriesContext(connection) as ctx:
                response = client.post(reverse(name, args=[referral.code]), data)
            assert response.status_code == 302
            read = next(q["sql"] for q in ctx.captured_queries if 'FROM "cases_referral"' in q["sql"])
            assert "cases_person" not in read and "accounts_organisation" in read
        referral.refresh_from_db()
        assert referral.status == Referral.Status.DECLINED

    def test_the_first_contact_is_recorded_from_the_page(
        self, client, coordinator, team, django_capture_on_commit_callbacks
    ):
        referral = ReferralFactory(team=team)
        services.referral_accept(referral=referral, actor=coordinator)
        client.force_login(coordinator)
        url = reverse("cases:referral_first_contact", args=[referral.code])
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"on": timezone.localdate().isoformat()})
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:referral_detail", args=[referral.code])
        referral.refresh_from_db()
        assert referral.first_contact_on == timezone.localdate()
        # Read with its referrer only: one table to plan, not twelve.
        read = next(q["sql"] for q in ctx.captured_queries if 'FROM "cases_referral"' in q["sql"])
        assert "cases_person" not in read and "accounts_organisation" in read

    def test_a_first_contact_in_the_future_is_refused_beside_the_field_on_the_whole_page(
        self, client, coordinator, team
    ):
        referral = ReferralFactory(team=team, first_name="Hewan", organisation=OrganisationFactory(name="CAES Arras"))
        services.referral_accept(referral=referral, actor=coordinator)
        client.force_login(coordinator)
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = client.post(
            reverse("cases:referral_first_contact", args=[referral.code]), {"on": tomorrow.isoformat()}
        )
        assert response.status_code == 400
        assert "on" in response.context["first_contact_form"].errors
        html = response.content.decode()
        assert tomorrow.isoformat() in html  # what was typed is kept
        assert "Hewan" in html and "CAES Arras" in html  # the page drawn again whole
        referral.refresh_from_db()
        assert referral.first_contact_on is None

    def test_another_teams_coordinator_cannot_record_a_first_contact(self, client, coordinator, team):
        referral = ReferralFactory(team=team)
        services.referral_accept(referral=referral, actor=coordinator)
        other = make_user_with_role(Role.COORDINATOR, team=TeamFactory())
        client.force_login(other)
        response = client.post(
            reverse("cases:referral_first_contact", args=[referral.code]), {"on": timezone.localdate().isoformat()}
        )
        assert response.status_code == 404
        referral.refresh_from_db()
        assert referral.first_contact_on is None

    def test_a_psychologist_cannot_triage(self, client, team):
        referral = ReferralFactory(team=team)
        client.force_login(make_user_with_role(Role.PSYCHOLOGIST, team=team))
        response = client.post(reverse("cases:referral_accept", args=[referral.code]), {"person": "new"})
        assert response.status_code == 404
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SUBMITTED

    def test_duplicates_are_proposed(self, client, coordinator, team):
        known = CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Adam")).person
        referral = ReferralFactory(team=team, first_name="Muhammad", last_name="Adam")
        client.force_login(coordinator)
        response = client.get(reverse("cases:referral_detail", args=[referral.code]))
        assert [s.person for s in response.context["suggestions"]] == [known]

    def test_inbox_puts_urgent_first(self, client, coordinator, team):
        old = ReferralFactory(team=team, received_at=timezone.now() - timezone.timedelta(days=5))
        urgent = ReferralFactory(team=team, urgency="urgent")
        client.force_login(coordinator)
        rows = client.get(reverse("cases:inbox")).context["referrals"]
        assert [r["code"] for r in rows] == [urgent.code, old.code]
        assert rows[1]["waiting_days"] == 5

    def test_inbox_rows_carry_their_link_and_texts_in_the_readers_language(self, client, coordinator, team):
        tir = Language.objects.create(code="tir", name_fr="Tigrigna", name_nl="Tigrinya (nl)", name_en="Tigrinya")
        referral = ReferralFactory(
            team=team,
            urgency="urgent",
            received_at=timezone.now() - timezone.timedelta(days=1),
            main_language=tir,
            taken_by=coordinator,
            organisation=OrganisationFactory(name="CAES Croisilles"),
        )
        client.force_login(coordinator)
        html = client.get(reverse("cases:inbox"), headers={"accept-language": "fr"}).content.decode()
        assert f'href="{reverse("cases:referral_detail", args=[referral.code])}"' in html
        assert "<td>1 jour</td>" in html and "Urgent" in html
        assert f"<td>{referral.first_name} {referral.last_name} · Tigrigna</td>" in html
        assert "CAES Croisilles" in html and f" · {coordinator}</td>" in html
        client.post(reverse("set_language"), {"language": "en"})
        html = client.get(reverse("cases:inbox")).content.decode()
        assert "<td>1 day</td>" in html and "· Tigrinya</td>" in html

    def test_inbox_lists_the_referrals_decided_last_with_their_links_decision_and_day(self, client, coordinator, team):
        day = timezone.make_aware(timezone.datetime(2026, 11, 30, 23, 30), timezone.get_fixed_timezone(0))
        case = CaseFactory(team=team)
        accepted = ReferralFactory(team=team, accepted=True, case=case, decided_at=day)
        declined = ReferralFactory(
            team=team, status=Referral.Status.DECLINED, decided_at=day - timezone.timedelta(days=2)
        )
        ReferralFactory(team=TeamFactory(name="Tournai"), status=Referral.Status.DECLINED, decided_at=day)
        client.force_login(coordinator)
        html = client.get(reverse("cases:inbox"), headers={"accept-language": "fr"}).content.decode()
        recent = html[html.index("Décidées récemment") :]
        detail = reverse("cases:referral_detail", args=[accepted.code])
        assert (
            f'<a href="{detail}">{accepted.reference}</a> — Acceptée — '
            f'<a href="{reverse("cases:detail", args=[case.reference])}">{case.reference}</a> — 01/12/2026'
        ) in recent
        assert (
            f"{declined.reference}</a> — Refusée — 29/11/2026" in recent
        )  # no case: no link; the day where the team is
        assert recent.count("<li>") == 2  # not another team's


class TestCasePage:
    def test_reading_a_case_is_audited(self, client, coordinator, team):
        case = CaseFactory(team=team)
        client.force_login(coordinator)
        client.get(reverse("cases:detail", args=[case.reference]))
        assert AuditEvent.objects.filter(action="case.viewed", case_ref=case.reference, actor=coordinator).exists()

    def test_clinical_events_are_for_the_teams_psychologists_only(self, client, coordinator, team):
        case = CaseFactory(team=team)
        risk_services.risk_flag_raise(case=case, source="other", reason="CLINICAL-DETAIL-XYZ", actor=coordinator)
        client.force_login(coordinator)
        assert "CLINICAL-DETAIL-XYZ" not in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        psy = make_user_with_role(Role.PSYCHOLOGIST, team=team)
        client.force_login(psy)
        assert "CLINICAL-DETAIL-XYZ" in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        social = make_user_with_role(Role.SOCIAL_WORKER, team=team)
        client.force_login(social)
        html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "CLINICAL-DETAIL-XYZ" not in html

    def test_timeline_filter_by_family(self, client, coordinator, team):
        case = CaseFactory(team=team)
        case_services.coordination_note_add(case=case, actor=coordinator, text="NOTE-A")
        risk_services.risk_flag_raise(case=case, source="other", reason="x", actor=coordinator)
        client.force_login(coordinator)
        response = client.get(reverse("cases:detail", args=[case.reference]), {"kind": "note"})
        assert [row["event"].kind for row in response.context["events"]] == ["note.added"]

    def test_empty_note_is_refused_beside_the_field(self, client, coordinator, team):
        case = CaseFactory(team=team)
        client.force_login(coordinator)
        response = client.post(reverse("cases:note_add", args=[case.reference]), {"text": "   "})
        assert response.status_code == 400
        assert "text" in response.context["form"].errors

    def test_search_is_spelling_tolerant(self, client, coordinator, team):
        case = CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Adam"))
        CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Diallo"))
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"), {"q": "Muhammad"})
        assert [row["reference"] for row in response.context["rows"]] == [case.reference]

    def test_filter_by_language(self, client, coordinator, team):
        tir = Language.objects.create(code="tir", name_fr="Tigrinya", name_nl="Tigrinya", name_en="Tigrinya")
        case = CaseFactory(team=team)
        person_services.person_update(person=case.person, actor=coordinator, languages=[tir], main_language=tir)
        CaseFactory(team=team)
        client.force_login(coordinator)
        response = client.get(reverse("cases:list"), {"language": tir.pk})
        assert [row["reference"] for row in response.context["rows"]] == [case.reference]


class TestQueryCounts:
    """A page's query count does not grow with its rows (1 row vs 30 rows)."""

    def test_case_list(self, client, coordinator, team):
        CaseFactory(team=team)
        client.force_login(coordinator)
        one = count_queries(client, reverse("cases:list"))
        CaseFactory.create_batch(29, team=team)
        assert count_queries(client, reverse("cases:list")) == one

    def test_inbox(self, client, coordinator, team):
        ReferralFactory(team=team)
        client.force_login(coordinator)
        one = count_queries(client, reverse("cases:inbox"))
        org = OrganisationFactory(name="Centre X")
        ReferralFactory.create_batch(29, team=team, organisation=org)
        assert count_queries(client, reverse("cases:inbox")) == one

    def test_case_page_timeline(self, client, coordinator, team):
        case = CaseFactory(team=team)
        case_services.coordination_note_add(case=case, actor=coordinator, text="note 0")
        client.force_login(coordinator)
        url = reverse("cases:detail", args=[case.reference])
        one = count_queries(client, url)
        for i in range(29):
            case_services.coordination_note_add(case=case, actor=coordinator, text=f"note {i + 1}")
        assert count_queries(client, url) == one

    def test_referrer_list(self, client, referrer, team):
        ReferralFactory(team=team, organisation=referrer.organisation, submitted_by=referrer)
        client.force_login(referrer)
        one = count_queries(client, reverse("cases:referral_mine"))
        ReferralFactory.create_batch(29, team=team, organisation=referrer.organisation, submitted_by=referrer)
        assert count_queries(client, reverse("cases:referral_mine")) == one


class TestNewPerson:
    def test_duplicates_are_proposed_before_creating(self, client, coordinator, team):
        CaseFactory(team=team, person=PersonFactory(first_name="Yohannes", last_name="Tesfamariam"))
        client.force_login(coordinator)
        data = {"first_name": "Yonas", "last_name": "Tesfamariam", "sex": "M", "team": team.pk}
        response = client.post(reverse("cases:person_new"), data)
        assert response.status_code == 400
        assert len(response.context["suggestions"]) == 1
        assert "create_anyway" in response.context["form"].errors  # the box to tick, beside it
        assert 'value="Yonas"' in response.content.decode()  # what was typed is kept
        response = client.post(reverse("cases:person_new"), {**data, "create_anyway": "on"})
        case = Case.objects.get(person__first_name="Yonas")
        assert response["Location"] == reverse("cases:detail", args=[case.reference])

    def test_a_birth_date_in_the_future_is_refused(self, client, coordinator, team):
        client.force_login(coordinator)
        response = client.post(
            reverse("cases:person_new"),
            {"first_name": "Amina", "sex": "F", "team": team.pk, "birth_date": "2999-01-01"},
        )
        assert "birth_date" in response.context["form"].errors
        assert not Case.objects.exists()
