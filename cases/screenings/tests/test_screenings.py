"""Administering questionnaires: scoring, drafts, the item-9 trigger and clinical visibility."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import RiskFlag, Screening, TimelineEvent
from cases.screenings import services
from cases.tests.factories import LanguageFactory, ScreeningFactory, load_builtin
from cases.timeline import selectors as timeline_selectors
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def interpreter():
    return make_user_with_role(Role.INTERPRETER, first_name="Yonas", last_name="Haile")


@pytest.fixture
def phq9():
    return load_builtin("phq9")


@pytest.fixture
def tigrinya():
    return LanguageFactory()


def phq9_answers(values):
    return {str(i + 1): v for i, v in enumerate(values)}


def save(case, phq9, psychologist, tigrinya, values, **kw):
    kw.setdefault("administered_on", timezone.localdate())
    kw.setdefault("mode", Screening.Mode.READ_ALOUD)
    return services.screening_save(
        case=case,
        instrument=phq9,
        actor=psychologist,
        answers=phq9_answers(values),
        language=tigrinya,
        **kw,
    )


# --- Services -----------------------------------------------------------------------------


def test_it_scores_and_records_language_mode_and_interpreter(case, phq9, psychologist, tigrinya, interpreter):
    s = save(
        case,
        phq9,
        psychologist,
        tigrinya,
        [2, 2, 2, 1, 1, 1, 1, 0, 0],
        helper_kind=Screening.HelperKind.INTERPRETER,
        helper=interpreter,
    )
    assert (s.status, s.total, s.band) == ("completed", 10, "moderate")
    assert s.language == tigrinya and s.mode == "read_aloud" and s.helper == interpreter
    assert "Yonas Haile" in s.helper_display
    kinds = list(TimelineEvent.objects.filter(case=case).values_list("kind", "visibility"))
    assert ("screening.administered", "team") in kinds
    assert ("screening.scored", "clinical") in kinds
    team_event = TimelineEvent.objects.get(case=case, kind="screening.administered")
    assert "PHQ-9" in team_event.summary and "10" not in team_event.summary
    assert AuditEvent.objects.filter(action="screening.completed", case_ref=case.reference).exists()
    assert not RiskFlag.objects.filter(case=case).exists()


def test_item_9_above_zero_raises_the_risk_flag(case, phq9, psychologist, tigrinya):
    s = save(case, phq9, psychologist, tigrinya, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    flag = RiskFlag.objects.get(case=case)
    assert flag.source == RiskFlag.Source.SCREENING and flag.is_open
    assert s.alert_raised
    detail = TimelineEvent.objects.get(case=case, kind="risk.raised_detail")
    assert detail.visibility == "clinical" and "PHQ-9" in detail.summary


def test_item_9_in_a_draft_raises_the_flag_once(case, phq9, psychologist, tigrinya):
    s = save(case, phq9, psychologist, tigrinya, [None] * 8 + [2], complete=False)
    assert s.is_draft and s.total is None
    assert RiskFlag.objects.filter(case=case).count() == 1
    services.screening_update_draft(
        screening=s,
        actor=psychologist,
        answers=phq9_answers([1] * 8 + [2]),
        administered_on=s.administered_on,
        language=tigrinya,
        mode=s.mode,
    )
    assert TimelineEvent.objects.filter(case=case, kind="risk.raised_detail").count() == 1


def test_item_9_at_zero_raises_nothing(case, phq9, psychologist, tigrinya):
    save(case, phq9, psychologist, tigrinya, [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert not RiskFlag.objects.filter(case=case).exists()


def test_missing_items_refuse_a_total_and_say_which(case, phq9, psychologist, tigrinya):
    with pytest.raises(ValidationError) as exc:
        save(case, phq9, psychologist, tigrinya, [1, 1, None, 1, 1, 1, None, 1, 0])
    errors = exc.value.message_dict
    assert set(errors) == {"item_3", "item_7", "__all__"}
    assert "3, 7" in errors["__all__"][0]
    assert not Screening.objects.exists()


def test_the_missing_items_are_counted_in_french_with_the_right_plural(case, phq9, psychologist, tigrinya):
    with translation.override("fr"):
        for values, expected in [
            ([1, 1, None, 1, 1, 1, 1, 1, 0], "1 question sans réponse (3)"),
            ([1, 1, None, 1, 1, 1, None, 1, 0], "2 questions sans réponse (3, 7)"),
        ]:
            with pytest.raises(ValidationError) as exc:
                save(case, phq9, psychologist, tigrinya, values)
            message = exc.value.message_dict["__all__"][0]
            assert expected in message and "(s)" not in message


def test_a_draft_keeps_incomplete_answers_then_completes(case, phq9, psychologist, tigrinya):
    s = save(case, phq9, psychologist, tigrinya, [1, 1, None, 1, 1, 1, None, 1, 0], complete=False)
    assert s.is_draft and s.total is None
    assert s.answers == {"1": 1, "2": 1, "4": 1, "5": 1, "6": 1, "8": 1, "9": 0}
    assert not TimelineEvent.objects.filter(case=case, kind__startswith="screening.").exists()
    s = services.screening_update_draft(
        screening=s,
        actor=psychologist,
        answers=phq9_answers([1, 1, 2, 1, 1, 1, 2, 1, 0]),
        administered_on=s.administered_on,
        language=tigrinya,
        mode=s.mode,
    )
    assert (s.status, s.total, s.band) == ("completed", 10, "moderate")
    with pytest.raises(ValidationError):
        services.screening_update_draft(
            screening=s,
            actor=psychologist,
            answers=phq9_answers([0] * 9),
            administered_on=s.administered_on,
            language=tigrinya,
            mode=s.mode,
        )


def test_an_answer_out_of_range_is_refused_beside_its_item(case, phq9, psychologist, tigrinya):
    with pytest.raises(ValidationError) as exc:
        save(case, phq9, psychologist, tigrinya, [1, 1, 1, 4, 1, 1, 1, 1, 0])
    assert set(exc.value.message_dict) == {"item_4"}
    assert not Screening.objects.exists()


def test_only_a_psychologist_of_the_team_may_administer(case, phq9, coordinator, tigrinya):
    with pytest.raises(ValidationError):
        save(case, phq9, coordinator, tigrinya, [0] * 9)
    other_psy = make_user_with_role(Role.PSYCHOLOGIST, team=TeamFactory(name="Autre"))
    with pytest.raises(ValidationError):
        save(case, phq9, other_psy, tigrinya, [0] * 9)


def test_the_helper_must_be_an_interpreter_or_an_ambassador_of_the_team(
    case, team, phq9, psychologist, coordinator, tigrinya
):
    with pytest.raises(ValidationError) as exc:
        save(case, phq9, psychologist, tigrinya, [0] * 9, helper=coordinator, helper_kind="other")
    assert "helper" in exc.value.message_dict
    ambassador = make_user_with_role(Role.AMBASSADOR, team=team)
    s = save(case, phq9, psychologist, tigrinya, [0] * 9, helper=ambassador, helper_kind="ambassador")
    assert s.helper == ambassador


def test_a_future_date_is_refused(case, phq9, psychologist, tigrinya):
    with pytest.raises(ValidationError) as exc:
        save(
            case,
            phq9,
            psychologist,
            tigrinya,
            [0] * 9,
            administered_on=timezone.localdate() + timedelta(days=1),
        )
    assert "administered_on" in exc.value.message_dict


def test_the_coordinator_sees_administered_but_not_the_score(case, phq9, psychologist, coordinator, tigrinya):
    save(case, phq9, psychologist, tigrinya, [2] * 9)
    kinds = set(timeline_selectors.case_timeline(user=coordinator, case=case).values_list("kind", flat=True))
    assert "screening.administered" in kinds and "screening.scored" not in kinds
    kinds = set(timeline_selectors.case_timeline(user=psychologist, case=case).values_list("kind", flat=True))
    assert {"screening.administered", "screening.scored"} <= kinds


# --- Views --------------------------------------------------------------------------------


def form_data(values, **extra):
    data = {
        "administered_on": timezone.localdate().isoformat(),
        "language": extra.pop("language"),
        "mode": "read_aloud",
        "helper_kind": "",
        "action": "complete",
    }
    data.update({f"item_{i + 1}": "" if v is None else str(v) for i, v in enumerate(values)})
    data.update(extra)
    return data


def test_psychologist_administers_through_the_form(client, case, phq9, psychologist, tigrinya, interpreter):
    client.force_login(psychologist)
    url = reverse("cases:screening_new", args=[case.reference, "phq9"])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="item_9"' in response.content.decode()
    response = client.post(
        url,
        form_data(
            [1, 1, 1, 1, 1, 1, 1, 1, 0],
            language=tigrinya.pk,
            helper_kind="interpreter",
            helper=interpreter.pk,
        ),
    )
    assert response.status_code == 302
    s = Screening.objects.get()
    assert (s.total, s.helper, s.language) == (8, interpreter, tigrinya)


def test_missing_items_come_back_with_the_answers_kept(client, case, phq9, psychologist, tigrinya):
    client.force_login(psychologist)
    url = reverse("cases:screening_new", args=[case.reference, "phq9"])
    response = client.post(url, form_data([2, 2, None, 1, 1, 1, 1, 1, 0], language=tigrinya.pk))
    assert response.status_code == 400
    form = response.context["form"]
    assert "item_3" in form.errors and form.non_field_errors()
    assert form["item_1"].value() == "2"
    assert form["item_4"].value() == "1"
    assert not Screening.objects.exists()


def test_the_draft_button_keeps_an_incomplete_questionnaire(client, case, phq9, psychologist, tigrinya):
    client.force_login(psychologist)
    url = reverse("cases:screening_new", args=[case.reference, "phq9"])
    response = client.post(url, form_data([2, 2, None] + [None] * 6, language=tigrinya.pk, action="draft"))
    assert response.status_code == 302
    draft = Screening.objects.get()
    assert draft.is_draft and draft.answers == {"1": 2, "2": 2}
    edit = reverse("cases:screening_edit", args=[case.reference, draft.code])
    assert client.get(edit).context["form"]["item_1"].value() == "2"


def test_an_out_of_range_post_is_refused_beside_the_item(client, case, phq9, psychologist, tigrinya):
    client.force_login(psychologist)
    url = reverse("cases:screening_new", args=[case.reference, "phq9"])
    response = client.post(url, form_data([1, 1, 1, 1, 7, 1, 1, 1, 0], language=tigrinya.pk))
    assert response.status_code == 400
    assert "item_5" in response.context["form"].errors
    assert not Screening.objects.exists()


def test_a_completed_questionnaire_cannot_be_edited(client, case, phq9, psychologist):
    s = ScreeningFactory(case=case, administered_by=psychologist)
    client.force_login(psychologist)
    response = client.get(reverse("cases:screening_edit", args=[case.reference, s.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:screening_detail", args=[case.reference, s.code])


def test_the_detail_page_shows_answers_and_pcl5_criteria(client, case, psychologist, tigrinya):
    pcl5 = load_builtin("pcl5")
    values = [0] * 20
    for item in (1, 6, 8, 9, 15, 16):
        values[item - 1] = 3
    s = services.screening_save(
        case=case,
        instrument=pcl5,
        actor=psychologist,
        answers={str(i + 1): v for i, v in enumerate(values)},
        administered_on=timezone.localdate(),
        language=tigrinya,
        mode="self_completed",
    )
    client.force_login(psychologist)
    response = client.get(reverse("cases:screening_detail", args=[case.reference, s.code]))
    assert response.status_code == 200
    assert [c["met"] for c in response.context["clusters"]] == [True, True, True, True]
    assert response.context["screening"].total == 18


def _screenings(case, psychologist, totals):
    phq9 = load_builtin("phq9")
    start = timezone.localdate() - timedelta(days=7 * len(totals))
    for i, total in enumerate(totals):
        ScreeningFactory(
            case=case,
            instrument=phq9,
            administered_by=psychologist,
            administered_on=start + timedelta(days=7 * i),
            total=total,
        )


def test_the_chart_data_marks_changes_of_five_points(client, case, psychologist):
    _screenings(case, psychologist, [18, 16, 9, 10])
    client.force_login(psychologist)
    response = client.get(reverse("cases:screening_list", args=[case.reference]))
    [chart] = response.context["screening_charts"]
    assert [p["total"] for p in chart["points"]] == [18, 16, 9, 10]
    assert [p["marked"] for p in chart["points"]] == [False, False, True, False]
    assert chart["thresholds"] == [5, 10, 15, 20]
    html = response.content.decode()
    assert 'id="chart-data-phq9"' in html and 'data-chart-source="chart-data-phq9"' in html
    assert "js/screening_charts.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html  # data goes through json_script, scripts are files


def test_the_case_page_shows_the_chart_to_the_psychologist_only(client, case, psychologist, coordinator):
    _screenings(case, psychologist, [12, 6])
    client.force_login(psychologist)
    html = client.get(reverse("cases:detail_care", args=[case.reference])).content.decode()
    assert 'id="screenings-panel"' in html and 'id="chart-phq9"' in html
    client.force_login(coordinator)
    html = client.get(reverse("cases:detail_care", args=[case.reference])).content.decode()
    assert 'id="screenings-panel"' not in html and "chart-data" not in html


@pytest.mark.parametrize("url_name", ["cases:screening_list", "cases:detail_care"])
def test_chart_pages_query_count_does_not_grow(client, case, psychologist, url_name):
    client.force_login(psychologist)
    url = reverse(url_name, args=[case.reference])
    _screenings(case, psychologist, [10])
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _screenings(case, psychologist, list(range(0, 27)) + [3, 4])
    with CaptureQueriesContext(connection) as thirty:
        assert client.get(url).status_code == 200
    assert Screening.objects.count() == 30
    assert len(thirty) == len(one)


@pytest.mark.parametrize(
    "language, item, answer",
    [
        ("nl", "Weinig interesse in of plezier aan dingen doen", "Enkele dagen"),
        ("en", "Little interest or pleasure in doing things", "Several days"),
    ],
)
def test_the_form_shows_the_items_and_answers_in_the_readers_language(
    client, settings, case, phq9, psychologist, language, item, answer
):
    client.force_login(psychologist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("cases:screening_new", args=[case.reference, "phq9"])).content.decode()
    assert f"1. {item}" in content and f"1 — {answer}" in content
