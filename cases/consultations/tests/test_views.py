from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.consultations.services import consultation_create
from cases.models import Consultation, RiskFlag
from cases.tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

NOTES = "Il évoque des idées noires depuis la perte de son frère."


def _signed(clinic, **overrides):
    fields = {
        "started_at": timezone.now() - timedelta(hours=3),
        "duration_minutes": 45,
        "mode": "in_person",
        "kind": "follow_up",
        "interpreter_language": clinic.tigrinya,
        "notes": NOTES,
        "presenting_problems": ["despair"],
        **overrides,
    }
    return consultation_create(case=clinic.case, actor=clinic.psychologist, sign=True, **fields)


def _form_data(clinic, **overrides):
    data = {
        "started_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "in_person",
        "place": clinic.location.pk,
        "kind": "crisis",
        "interpreter": clinic.interpreter.pk,
        "interpreter_language": clinic.tigrinya.pk,
        "presenting_problems": ["suicidal_thoughts", "despair"],
        "notes": NOTES,
        "next_steps": "Revoir jeudi",
        "risk_level": "",
        "action": "sign",
    }
    data.update(overrides)
    return data


def test_a_psychologist_logs_and_signs_and_the_banner_appears(client, clinic):
    client.force_login(clinic.psychologist)
    response = client.post(reverse("cases:consultation_new", args=[clinic.case.reference]), _form_data(clinic))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.is_signed and consultation.psychologist == clinic.psychologist
    for user in (clinic.psychologist, clinic.coordinator, clinic.social_worker):
        client.force_login(user)
        html = client.get(reverse("cases:detail", args=[clinic.case.reference])).content.decode()
        assert 'id="risk-banner"' in html
        assert ('id="risk-acknowledge"' in html) == (user == clinic.psychologist)
        # Every page of the case shows it.
        assert 'id="risk-banner"' in client.get(reverse("cases:update", args=[clinic.case.reference])).content.decode()
        home = client.get(reverse("home")).content.decode()
        assert ('id="home-risk-flags"' in home) == (user != clinic.social_worker)


def test_saving_a_draft_keeps_it_editable(client, clinic):
    client.force_login(clinic.psychologist)
    client.post(reverse("cases:consultation_new", args=[clinic.case.reference]), _form_data(clinic, action="draft"))
    consultation = Consultation.objects.get()
    assert not consultation.is_signed
    assert not RiskFlag.objects.exists()
    edit = reverse("cases:consultation_edit", args=[consultation.code])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form_data(clinic, notes="Complété", action="draft"))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.notes == "Complété"


def test_a_consultation_in_the_future_comes_back_with_the_input_kept(client, clinic):
    client.force_login(clinic.psychologist)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:consultation_new", args=[clinic.case.reference]), _form_data(clinic, started_at=future)
    )
    assert response.status_code == 400
    assert "started_at" in response.context["form"].errors
    assert NOTES in response.content.decode()
    assert not Consultation.objects.exists()


def test_editing_a_signed_consultation_is_refused_and_the_addendum_offered(client, clinic):
    consultation = _signed(clinic)
    client.force_login(clinic.psychologist)
    edit = reverse("cases:consultation_edit", args=[consultation.code])
    response = client.get(edit)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:consultation_detail", args=[consultation.code])
    response = client.post(edit, _form_data(clinic, notes="Réécrit", action="draft"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    consultation.refresh_from_db()
    assert consultation.notes == NOTES
    detail = client.get(reverse("cases:consultation_detail", args=[consultation.code])).content.decode()
    assert reverse("cases:consultation_addendum", args=[consultation.code]) in detail
    response = client.post(
        reverse("cases:consultation_addendum", args=[consultation.code]), {"text": "Précision ajoutée."}
    )
    assert response.status_code == 302
    detail = client.get(reverse("cases:consultation_detail", args=[consultation.code])).content.decode()
    assert "Précision ajoutée." in detail


def test_an_empty_addendum_is_refused_beside_the_field(client, clinic):
    consultation = _signed(clinic)
    client.force_login(clinic.psychologist)
    response = client.post(reverse("cases:consultation_addendum", args=[consultation.code]), {"text": ""})
    assert response.status_code == 400
    assert "text" in response.context["addendum_form"].errors


@pytest.mark.parametrize("who", ["social_worker", "coordinator", "ambassador", "interpreter", "other_psychologist"])
def test_nobody_but_the_teams_psychologists_opens_a_consultation(client, clinic, who):
    consultation = _signed(
        clinic,
        interpreter=clinic.interpreter,
        ambassador=clinic.ambassador,
        social_worker=clinic.social_worker,
    )
    client.force_login(getattr(clinic, who))
    for url in (
        reverse("cases:consultation_detail", args=[consultation.code]),
        reverse("cases:consultation_edit", args=[consultation.code]),
        reverse("cases:consultation_list", args=[clinic.case.reference]),
        reverse("cases:risk_assess", args=[clinic.case.reference]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("cases:consultation_addendum", args=[consultation.code]), {"text": "x"}).status_code == 404
    )


def test_the_social_worker_sees_that_a_consultation_took_place_not_what_was_said(client, clinic):
    _signed(clinic, presenting_problems=["suicidal_thoughts"])
    client.force_login(clinic.social_worker)
    html = client.get(reverse("cases:detail", args=[clinic.case.reference])).content.decode()
    assert "45 min" in html and "Tigrinya" in html
    assert "idées noires" not in html
    assert "Suicidal" not in html and "suicidaires" not in html
    care = client.get(reverse("cases:detail_care", args=[clinic.case.reference])).content.decode()
    assert 'id="consultations-panel"' not in care and "idées noires" not in care
    client.force_login(clinic.psychologist)
    html = client.get(reverse("cases:detail_care", args=[clinic.case.reference])).content.decode()
    assert 'id="consultations-panel"' in html


def test_the_case_page_query_count_does_not_grow_with_consultations(client, clinic):
    ConsultationFactory(case=clinic.case, psychologist=clinic.psychologist)
    _signed(clinic)
    client.force_login(clinic.psychologist)
    url = reverse("cases:detail_care", args=[clinic.case.reference])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(29):
        _signed(clinic, started_at=timezone.now() - timedelta(days=i + 1))
    assert Consultation.objects.filter(case=clinic.case).count() == 31
    with CaptureQueriesContext(connection) as thirty:
        assert client.get(url).status_code == 200
    assert len(thirty.captured_queries) == len(one.captured_queries)
    list_url = reverse("cases:consultation_list", args=[clinic.case.reference])
    with CaptureQueriesContext(connection) as listing:
        assert client.get(list_url).status_code == 200
    ConsultationFactory(case=clinic.case, psychologist=clinic.psychologist)
    with CaptureQueriesContext(connection) as listing_more:
        assert client.get(list_url).status_code == 200
    assert len(listing.captured_queries) == len(listing_more.captured_queries)


def test_acknowledging_with_an_assessment_and_safety_plan_removes_the_banner(client, clinic):
    _signed(clinic, presenting_problems=["suicidal_thoughts"])
    client.force_login(clinic.psychologist)
    url = reverse("cases:risk_assess", args=[clinic.case.reference])
    bad = client.post(url, {"level": "high", "factors": "Isolement", "actions_taken": "Appel au 3114"})
    assert bad.status_code == 400
    assert {"warning_signs", "professionals"} <= set(bad.context["form"].errors)
    assert "Isolement" in bad.content.decode()
    response = client.post(
        url,
        {
            "level": "high",
            "factors": "Isolement",
            "actions_taken": "Appel au 3114",
            "warning_signs": "Ne mange plus",
            "professionals": "3114; psychologue de l'équipe",
        },
    )
    assert response.status_code == 302
    assert not RiskFlag.objects.filter(acknowledged_at__isnull=True).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "Ne mange plus" in detail
    client.force_login(clinic.social_worker)
    html = client.get(reverse("cases:detail", args=[clinic.case.reference])).content.decode()
    assert 'id="risk-banner"' not in html
    assert "Ne mange plus" not in html


def test_what_the_offline_queue_sends_is_saved_as_a_draft_once(client, clinic):
    client.force_login(clinic.psychologist)
    url = reverse("cases:consultation_new", args=[clinic.case.reference])
    headers = {"Idempotency-Key": "2b1e6a0e-4a57-4f3c-9d55-6b1f0c1d2e3f", "X-Offline-Queued": "1"}
    for _ in range(2):
        assert client.post(url, _form_data(clinic), headers=headers).status_code == 302
    consultation = Consultation.objects.get()
    assert not consultation.is_signed
    assert consultation.notes == NOTES
    assert not RiskFlag.objects.exists()
