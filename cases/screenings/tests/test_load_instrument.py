import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Instrument
from cases.tests.factories import ScreeningFactory, builtin_definition, load_builtin

pytestmark = pytest.mark.django_db


def write(tmp_path, name: str, definition: dict):
    path = tmp_path / name
    path.write_text(json.dumps(definition, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_it_loads_the_shipped_questionnaires_once():
    out = StringIO()
    call_command("load_instrument", "--builtin", stdout=out)
    assert sorted(Instrument.objects.values_list("key", flat=True)) == ["gad7", "pcl5", "phq9", "who5"]
    assert "PHQ-9 version 1 (phq9): created" in out.getvalue()
    out = StringIO()
    call_command("load_instrument", "--builtin", stdout=out)
    assert Instrument.objects.count() == 4
    assert "unchanged" in out.getvalue()


def test_a_wrong_file_loads_nothing_and_says_which_line(tmp_path):
    good = write(tmp_path, "gad7.json", builtin_definition("gad7"))
    bad_def = builtin_definition("phq9")
    bad_def["scoring"]["method"] = "mean"
    bad = write(tmp_path, "phq9.json", bad_def)
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if '"method": "mean"' in t)
    with pytest.raises(CommandError) as exc:
        call_command("load_instrument", str(good), str(bad), stdout=StringIO())
    message = str(exc.value)
    assert "Nothing was loaded" in message
    assert f"phq9.json: line {line}: scoring.method: unknown scoring method 'mean'" in message
    assert not Instrument.objects.exists()


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_instrument", str(tmp_path / "nope.json"), stdout=StringIO())


def test_it_needs_a_file():
    with pytest.raises(CommandError, match="at least one"):
        call_command("load_instrument", stdout=StringIO())


def test_a_new_version_replaces_the_old_one_for_new_screenings(tmp_path):
    call_command("load_instrument", "--builtin", stdout=StringIO())
    d = builtin_definition("phq9")
    d["version"] = "2"
    call_command("load_instrument", str(write(tmp_path, "phq9-v2.json", d)), stdout=StringIO())
    assert list(Instrument.objects.filter(key="phq9", is_active=True).values_list("version", flat=True)) == ["2"]
    assert Instrument.objects.filter(key="phq9").count() == 2


def test_a_version_in_use_cannot_change(tmp_path):
    screening = ScreeningFactory()
    d = builtin_definition("phq9")
    d["items"][0]["text"]["en"] = "Changed wording"
    with pytest.raises(CommandError, match="already used by screenings"):
        call_command("load_instrument", str(write(tmp_path, "phq9.json", d)), stdout=StringIO())
    screening.instrument.refresh_from_db()
    assert screening.instrument.definition == builtin_definition("phq9")


def _texts(node):
    """Every ``{"fr", "en", ...}`` text of a definition."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            yield node
            return
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


@pytest.mark.parametrize("key", ["gad7", "pcl5", "phq9", "who5"])
def test_every_text_of_the_shipped_questionnaires_is_given_in_dutch(key):
    texts = list(_texts(builtin_definition(key)))
    assert texts
    for text in texts:
        assert text.get("nl", "").strip(), text["en"]
        assert text["nl"] != text["en"], text["en"]


def test_dutch_readers_see_the_items_in_dutch():
    from django.utils import translation

    from cases.screenings.models import localised

    instrument = Instrument.objects.get(pk=load_builtin("phq9").pk)
    item = instrument.items[0]["text"]
    with translation.override("nl"):
        assert localised(item) == item["nl"] and instrument.title.startswith("Vragenlijst")
    with translation.override("en"):
        assert localised(item) == "Little interest or pleasure in doing things"


def test_a_version_in_use_may_gain_a_language_but_keeps_its_other_texts(tmp_path):
    without_dutch = builtin_definition("phq9")
    for text in _texts(without_dutch):
        del text["nl"]
    instrument = Instrument.objects.create(key="phq9", version="1", name="PHQ-9", definition=without_dutch)
    ScreeningFactory(instrument=instrument)
    out = StringIO()
    call_command("load_instrument", "--builtin", stdout=out)
    assert "PHQ-9 version 1 (phq9): updated" in out.getvalue()
    instrument.refresh_from_db()
    assert instrument.definition == builtin_definition("phq9")
    # Taking a language away is a change of wording: refused.
    with pytest.raises(CommandError, match="already used by screenings"):
        call_command("load_instrument", str(write(tmp_path, "phq9.json", without_dutch)), stdout=StringIO())


def test_a_dutch_text_must_be_a_text(tmp_path):
    d = builtin_definition("gad7")
    d["items"][0]["text"]["nl"] = ""
    with pytest.raises(CommandError, match=r"items\[0\]\.text"):
        call_command("load_instrument", str(write(tmp_path, "gad7.json", d)), stdout=StringIO())
