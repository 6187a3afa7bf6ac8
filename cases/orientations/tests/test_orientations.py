"""Orientations to specialised resources, their outcomes, the to-do list and the directory."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Orientation, OrientationOutcome, OrientationStatus, TimelineEvent
from cases.orientations import selectors, services
from cases.tests.factories import CaseFactory, LanguageFactory, OrientationFactory, ResourceFactory
from integrapsy.accounts.models import Country
from integrapsy.accounts.tests.factories import TeamFactory
from integrapsy.directory.models import Resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
TODAY = timezone.localdate


@pytest.fixture
def resource():
    return ResourceFactory(name="Cabinet Tesfay", languages=[LanguageFactory()])


def create(case, resource, actor, **kw):
    kw.setdefault("reason", "Suivi psychologique en tigrinya")
    kw.setdefault("consent_to_share", True)
    return services.orientation_create(case=case, resource=resource, actor=actor, **kw)


# --- Services -----------------------------------------------------------------------------


def test_orient_then_follow_the_outcome(case, resource, psychologist):
    o = create(case, resource, psychologist, what_was_sent="Courrier d'orientation", sent_on=TODAY())
    assert o.status == OrientationStatus.SENT
    o = services.orientation_record_outcome(
        orientation=o,
        actor=psychologist,
        status=OrientationStatus.APPOINTMENT_MADE,
        on=TODAY(),
        appointment_on=TODAY() + timedelta(days=10),
    )
    assert o.status == "appointment_made" and o.appointment_on == TODAY() + timedelta(days=10)
    assert list(o.outcomes.values_list("status", flat=True)) == ["proposed", "sent", "appointment_made"]
    events = list(TimelineEvent.objects.filter(case=case).values_list("kind", "visibility"))
    assert ("orientation.proposed", "team") in events and ("orientation.outcome", "team") in events


def test_an_outcome_dated_before_it_was_sent_is_refused(case, resource, psychologist):
    o = create(
        case,
        resource,
        psychologist,
        proposed_on=TODAY() - timedelta(days=10),
        sent_on=TODAY() - timedelta(days=3),
    )
    with pytest.raises(ValidationError) as exc:
        services.orientation_record_outcome(
            orientation=o,
            actor=psychologist,
            status=OrientationStatus.APPOINTMENT_MADE,
            on=TODAY() - timedelta(days=5),
            appointment_on=TODAY(),
        )
    assert "before the orientation was sent" in exc.value.message_dict["on"][0]
    o.refresh_from_db()
    assert o.status == OrientationStatus.SENT and o.outcomes.count() == 2


def test_nothing_is_sent_without_consent(case, resource, psychologist):
    with pytest.raises(ValidationError) as exc:
        create(case, resource, psychologist, consent_to_share=False, sent_on=TODAY())
    assert "consent_to_share" in exc.value.message_dict
    o = create(case, resource, psychologist, consent_to_share=False)
    with pytest.raises(ValidationError) as exc:
        services.orientation_record_outcome(
            orientation=o, actor=psychologist, status=OrientationStatus.SENT, on=TODAY()
        )
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize(
    ("status", "kwargs", "field"),
    [
        (OrientationStatus.APPOINTMENT_MADE, {}, "appointment_on"),
        (OrientationStatus.REFUSED_BY_SERVICE, {}, "refusal_reason"),
        (OrientationStatus.PROPOSED, {}, "status"),
        (OrientationStatus.ATTENDED, {"on": lambda: TODAY() + timedelta(days=1)}, "on"),
    ],
)
def test_bad_outcomes_say_which_field(case, resource, psychologist, status, kwargs, field):
    o = create(case, resource, psychologist)
    # A date is worked out when the test runs (not when it is collected: a day may turn between).
    kwargs = {name: value() if callable(value) else value for name, value in kwargs.items()}
    kwargs.setdefault("on", TODAY())
    with pytest.raises(ValidationError) as exc:
        services.orientation_record_outcome(orientation=o, actor=psychologist, status=status, **kwargs)
    assert field in exc.value.message_dict


def test_refused_by_the_service_keeps_why(case, resource, psychologist):
    o = create(case, resource, psychologist)
    o = services.orientation_record_outcome(
        orientation=o,
        actor=psychologist,
        status=OrientationStatus.REFUSED_BY_SERVICE,
        on=TODAY(),
        refusal_reason="Liste d'attente fermée",
    )
    assert o.refusal_reason == "Liste d'attente fermée"
    assert o.outcomes.last().note == "Liste d'attente fermée"


def test_an_inactive_resource_cannot_be_chosen(case, psychologist):
    with pytest.raises(ValidationError) as exc:
        create(case, ResourceFactory(is_active=False), psychologist)
    assert "resource" in exc.value.message_dict


# --- The coordinator's to-do list -----------------------------------------------------------


def test_orientations_without_outcome_after_30_days_are_on_the_to_do_list(team, coordinator, case):
    old = OrientationFactory(case=case, proposed_on=TODAY() - timedelta(days=30))
    old_sent = OrientationFactory(case=case, proposed_on=TODAY() - timedelta(days=45), status="sent")
    OrientationFactory(case=case, proposed_on=TODAY() - timedelta(days=29))  # not yet
    OrientationFactory(case=case, proposed_on=TODAY() - timedelta(days=60), status="attended")  # has outcome
    OrientationFactory(case=CaseFactory(team=TeamFactory(name="Autre")), proposed_on=TODAY() - timedelta(days=60))
    closed = CaseFactory(team=team, status=Case.Status.CLOSED, closed_on=TODAY())
    OrientationFactory(case=closed, proposed_on=TODAY() - timedelta(days=60))
    rows = list(selectors.overdue_orientations(user=coordinator))
    assert rows == [old_sent, old]


def test_the_to_do_list_is_on_the_coordinators_home_and_page(client, coordinator, psychologist, case):
    o = OrientationFactory(case=case, proposed_on=TODAY() - timedelta(days=40))
    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-overdue-orientations"' in html and str(o.code) in html
    response = client.get(reverse("cases:orientation_todo"))
    assert response.context["orientations"] == [o]
    client.force_login(psychologist)
    assert 'id="home-overdue-orientations"' not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("cases:orientation_todo")).status_code == 404


def test_to_do_page_query_count_does_not_grow(client, coordinator, team):
    client.force_login(coordinator)
    url = reverse("cases:orientation_todo")
    OrientationFactory(case=CaseFactory(team=team), proposed_on=TODAY() - timedelta(days=40))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _i in range(29):
        OrientationFactory(case=CaseFactory(team=team), proposed_on=TODAY() - timedelta(days=40))
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)
    assert len(response.context["orientations"]) == 30
    assert len(thirty) == len(one)


# --- Views --------------------------------------------------------------------------------


def test_orient_from_the_directory_then_record_appointment(client, psychologist, case, resource):
    client.force_login(psychologist)
    response = client.get(reverse("cases:resource_list"), {"case": case.reference, "kind": "psychologist"})
    orient_url = reverse("cases:orientation_new", args=[case.reference]) + f"?resource={resource.code}"
    assert orient_url in response.content.decode()
    response = client.get(orient_url)
    assert response.context["form"].initial["resource"] == resource
    response = client.post(
        reverse("cases:orientation_new", args=[case.reference]),
        {
            "resource": resource.pk,
            "reason": "Suivi en tigrinya",
            "consent_to_share": "on",
            "what_was_sent": "Courrier",
            "proposed_on": TODAY().isoformat(),
            "sent_on": TODAY().isoformat(),
        },
    )
    o = Orientation.objects.get()
    assert response["Location"] == reverse("cases:orientation_detail", args=[o.code])
    response = client.post(
        reverse("cases:orientation_outcome", args=[o.code]),
        {
            "status": "appointment_made",
            "on": TODAY().isoformat(),
            "appointment_on": (TODAY() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    o.refresh_from_db()
    assert o.status == "appointment_made"


def test_a_bad_outcome_comes_back_with_the_error_beside_the_field(client, psychologist, case, resource):
    o = create(
        case,
        resource,
        psychologist,
        proposed_on=TODAY() - timedelta(days=5),
        sent_on=TODAY() - timedelta(days=2),
    )
    client.force_login(psychologist)
    response = client.post(
        reverse("cases:orientation_outcome", args=[o.code]),
        {"status": "attended", "on": (TODAY() - timedelta(days=4)).isoformat(), "note": "kept"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "on" in form.errors and form["note"].value() == "kept"
    assert OrientationOutcome.objects.filter(orientation=o).count() == 2


def test_orientation_without_consent_and_sent_date_is_refused_in_the_form(client, psychologist, case, resource):
    client.force_login(psychologist)
    response = client.post(
        reverse("cases:orientation_new", args=[case.reference]),
        {
            "resource": resource.pk,
            "reason": "Suivi",
            "proposed_on": TODAY().isoformat(),
            "sent_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "consent_to_share" in response.context["form"].errors
    assert not Orientation.objects.exists()


# --- The directory --------------------------------------------------------------------------


def test_directory_search_by_kind_territory_language_and_conditions(client, psychologist):
    tir = LanguageFactory()
    ara = LanguageFactory(code="ara", name_fr="Arabe", name_nl="Arabisch", name_en="Arabic")
    match = ResourceFactory(
        name="Cabinet A",
        area="Nord",
        city="Lille",
        languages=[tir],
        accepts_without_papers=True,
        free_of_charge=True,
    )
    ResourceFactory(
        name="Cabinet B",
        area="Nord",
        city="Lille",
        languages=[ara],
        accepts_without_papers=True,
        free_of_charge=True,
    )
    ResourceFactory(
        name="CSM Tournai",
        kind=Resource.Kind.MENTAL_HEALTH_CENTRE,
        country=Country.BELGIUM,
        area="Hainaut",
        city="Tournai",
        languages=[tir],
    )
    ResourceFactory(name="Cabinet C", area="Nord", city="Lille", languages=[tir], accepts_without_papers=False)
    client.force_login(psychologist)
    response = client.get(
        reverse("cases:resource_list"),
        {
            "kind": "psychologist",
            "country": "FR",
            "area": "lille",
            "language": tir.pk,
            "without_papers": "on",
            "free": "on",
        },
    )
    assert list(response.context["page"].object_list) == [match]
    response = client.get(reverse("cases:resource_list"), {"country": "BE"})
    assert [r.name for r in response.context["page"].object_list] == ["CSM Tournai"]


def test_directory_query_count_does_not_grow(client, psychologist):
    tir = LanguageFactory()
    client.force_login(psychologist)
    url = reverse("cases:resource_list")
    ResourceFactory(languages=[tir])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _i in range(29):
        ResourceFactory(languages=[tir])
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25  # first page of 30
    assert len(thirty) == len(one)


def test_coordinator_maintains_the_directory(client, coordinator, psychologist):
    tir = LanguageFactory()
    client.force_login(coordinator)
    data = {
        "name": "Centre Minkowska Lille",
        "kind": "mental_health_centre",
        "country": "FR",
        "area": "Nord",
        "city": "Lille",
        "languages": [tir.pk],
        "accepts_without_papers": "on",
        "is_active": "on",
    }
    assert client.post(reverse("cases:resource_new"), data).status_code == 302
    resource = Resource.objects.get(name="Centre Minkowska Lille")
    assert list(resource.languages.all()) == [tir]
    # The same name in the same city is refused beside the name, input kept.
    response = client.post(reverse("cases:resource_new"), data | {"phone": "03 20 00 00 00"})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert response.context["form"]["phone"].value() == "03 20 00 00 00"
    # Taking it out of the directory.
    edit = reverse("cases:resource_edit", args=[resource.code])
    assert client.post(edit, data | {"is_active": ""}).status_code == 302
    resource.refresh_from_db()
    assert not resource.is_active
    client.force_login(psychologist)
    assert client.get(edit).status_code == 404
    assert resource not in client.get(reverse("cases:resource_list")).context["page"].object_list


def test_the_case_page_lists_orientations_for_the_team(client, coordinator, case, resource):
    OrientationFactory(case=case, resource=resource)
    client.force_login(coordinator)
    html = client.get(reverse("cases:detail_care", args=[case.reference])).content.decode()
    assert 'id="orientations-panel"' in html and "Cabinet Tesfay" in html
