import pytest
from django.core.exceptions import ValidationError

from cases.reminders import texts
from cases.reminders.models import ReminderTemplate, TextKind
from cases.reminders.tests.conftest import local

EVERY_SHIPPED = [(code, kind, text) for code, kinds in texts.SHIPPED.items() for kind, text in kinds.items()]


def test_texts_are_shipped_in_french_dutch_and_english_for_every_kind():
    assert set(texts.SHIPPED) == {"fra", "nld", "eng"}
    for kinds in texts.SHIPPED.values():
        assert set(kinds) == set(TextKind.values)


@pytest.mark.parametrize(("code", "kind", "text"), EVERY_SHIPPED)
def test_no_shipped_text_says_anything_clinical(code, kind, text):
    lowered = text.lower()
    for language, words in texts.FORBIDDEN_WORDS.items():
        for word in words:
            assert word not in lowered, f"{code}/{kind} contains “{word}” ({language})"
    texts.validate_template_text(text)


@pytest.mark.parametrize(("code", "kind", "text"), EVERY_SHIPPED)
def test_a_shipped_text_says_only_date_time_and_place(code, kind, text):
    assert set(texts.placeholders_in(text)) == {"date", "time", "place"}
    rendered = texts.render_text(text, moment=local(2027, 7, 6, 10), place="CAES", sender="RDV", language_code=code)
    assert "{" not in rendered and "2027" in rendered and "CAES" in rendered


@pytest.mark.django_db
def test_no_saved_text_of_any_team_says_anything_clinical(settings):
    # The demo's texts, written through the services, keep to the rule too.
    from cases.permanences import demo as permanence_demo
    from cases.reminders import demo
    from cases.tests.helpers import seed_demo

    settings.DEBUG = True
    seed_demo(permanence_demo, demo, demo)  # the second time changes nothing
    assert ReminderTemplate.objects.filter(language_code="ara").count() == 1
    for template in ReminderTemplate.objects.all():
        assert texts.forbidden_words_in(template.text) == [], template


@pytest.mark.parametrize(
    "word", ["psychologue", "Santé mentale", "psycholoog", "geestelijke gezondheid", "therapist", "Mental health"]
)
def test_a_clinical_word_in_any_of_the_three_languages_is_refused(word):
    with pytest.raises(ValidationError):
        texts.validate_template_text(f"RDV {{date}} {word}")


@pytest.mark.parametrize("text", ["{doctor}", "{date.year}", "{date!r}", "{time:>10}", "{date", "{}"])
def test_unknown_or_unsafe_placeholders_are_refused(text):
    with pytest.raises(ValidationError):
        texts.placeholders_in(text)


@pytest.mark.parametrize("code", ["ara", "prs", "pus", "urd", "fas"])
def test_arabic_script_languages_are_right_to_left(code):
    assert texts.is_right_to_left(code)


@pytest.mark.parametrize("code", ["fra", "nld", "eng", "tir"])
def test_other_languages_are_left_to_right(code):
    assert not texts.is_right_to_left(code)


def test_dates_come_from_cldr_in_the_language():
    moment = local(2027, 7, 6, 14, 5)
    assert texts.format_when(moment, "fra") == {"date": "mardi 6 juillet 2027", "time": "14:05"}
    assert texts.format_when(moment, "nld")["date"] == "dinsdag 6 juli 2027"
    assert texts.format_when(moment, "tir")["date"] != texts.format_when(moment, "fra")["date"]
    assert texts.format_when(moment, "xyz") == texts.format_when(moment, "fra")  # unknown to CLDR
