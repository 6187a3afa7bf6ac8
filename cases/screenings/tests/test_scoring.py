"""Scoring of the shipped questionnaires against hand-computed cases, and instrument-file validation."""

import copy
import json

import pytest

from cases.screenings import scoring
from cases.tests.factories import builtin_definition


def answers(values: list[int]) -> dict:
    return {str(i + 1): v for i, v in enumerate(values)}


# Hand-computed answers, the total and the band they fall in.
BANDS = [
    # PHQ-9: 9 items 0-3, bands at 5/10/15/20
    ("phq9", [0] * 9, 0, "minimal"),
    ("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
    ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
    ("phq9", [2, 2, 2, 1, 1, 1, 0, 0, 0], 9, "mild"),
    ("phq9", [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
    ("phq9", [3, 3, 2, 2, 2, 1, 1, 0, 0], 14, "moderate"),
    ("phq9", [3, 3, 3, 2, 2, 2, 0, 0, 0], 15, "moderately_severe"),
    ("phq9", [3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately_severe"),
    ("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
    ("phq9", [3] * 9, 27, "severe"),
    # GAD-7: 7 items 0-3, bands at 5/10/15
    ("gad7", [0] * 7, 0, "minimal"),
    ("gad7", [1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
    ("gad7", [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
    ("gad7", [2, 2, 2, 2, 1, 0, 0], 9, "mild"),
    ("gad7", [2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
    ("gad7", [2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
    ("gad7", [3, 3, 3, 2, 2, 1, 1], 15, "severe"),
    ("gad7", [3] * 7, 21, "severe"),
    # WHO-5: raw 0-25 x 4 = 0-100; 50 or less suggests depression
    ("who5", [0] * 5, 0, "likely_depression"),
    ("who5", [2, 1, 1, 1, 2], 28, "likely_depression"),  # 7 x 4
    ("who5", [2, 2, 1, 1, 2], 32, "poor_wellbeing"),  # 8 x 4
    ("who5", [3, 2, 2, 3, 2], 48, "poor_wellbeing"),  # 12 x 4
    ("who5", [3, 3, 2, 2, 3], 52, "adequate"),  # 13 x 4: just above 50
    ("who5", [5] * 5, 100, "adequate"),
]


@pytest.mark.parametrize(("instrument", "values", "total", "band"), BANDS)
def test_total_and_band(instrument, values, total, band):
    result = scoring.score(builtin_definition(instrument), answers(values))
    assert (result.total, result.band["key"]) == (total, band)


# --- PCL-5: 20 items 0-4, cut-off 31-33, DSM-5 clusters B/C/D/E ---------------------------


def test_pcl5_below_cutoff_and_edges():
    d = builtin_definition("pcl5")
    assert scoring.score(d, answers([0] * 20)).band["key"] == "below_cutoff"
    thirty = [2] * 15 + [0] * 5
    assert scoring.score(d, answers(thirty)).total == 30
    assert scoring.score(d, answers(thirty)).band["key"] == "below_cutoff"
    assert scoring.score(d, answers([2] * 15 + [1, 0, 0, 0, 0])).band["key"] == "cutoff_zone"  # 31
    assert scoring.score(d, answers([2] * 16 + [1, 0, 0, 0])).band["key"] == "cutoff_zone"  # 33
    assert scoring.score(d, answers([2] * 17 + [0, 0, 0])).band["key"] == "probable_ptsd"  # 34
    assert scoring.score(d, answers([4] * 20)).total == 80


def test_pcl5_clusters():
    d = builtin_definition("pcl5")
    # B: item 1 at 2; C: item 6 at 2; D: items 8 and 9 at 2; E: items 15 and 16 at 2.
    values = [0] * 20
    for item in (1, 6, 8, 9, 15, 16):
        values[item - 1] = 2
    result = scoring.score(d, answers(values))
    assert result.clusters == {"B": True, "C": True, "D": True, "E": True}
    assert result.clusters_met is True
    assert result.total == 12  # criteria met, yet below the cut-off

    values[8] = 1  # D now has only one symptom rated 2 or more
    result = scoring.score(d, answers(values))
    assert result.clusters["D"] is False
    assert result.clusters_met is False


def test_scoring_refuses_missing_items_and_says_which():
    d = builtin_definition("phq9")
    partial = answers([1] * 9)
    del partial["3"]
    partial["7"] = None
    with pytest.raises(scoring.IncompleteAnswers) as exc:
        scoring.score(d, partial)
    assert exc.value.missing == ["3", "7"]


def test_answer_out_of_range_is_reported_by_item():
    d = builtin_definition("phq9")
    assert scoring.answer_errors(d, {"1": 4, "2": -1, "3": 2, "4": "2", "99": 1}) == {
        "1": "out of range 0–3",
        "2": "out of range 0–3",
        "4": "out of range 0–3",
        "99": "unknown item",
    }


def test_item_9_alert():
    d = builtin_definition("phq9")
    assert scoring.triggered_alerts(d, {"9": 0}) == []
    assert [a["action"] for a in scoring.triggered_alerts(d, {"9": 1})] == ["risk_flag"]
    assert scoring.triggered_alerts(d, {"1": 3}) == []  # unanswered item 9: no alert


def test_band_thresholds_are_the_band_starts():
    assert scoring.band_thresholds(builtin_definition("phq9")) == [5, 10, 15, 20]
    assert scoring.band_thresholds(builtin_definition("gad7")) == [5, 10, 15]
    assert scoring.score_range(builtin_definition("who5")) == (0, 100)


# --- Validation of instrument files -------------------------------------------------------


def dump(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, indent=2)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def the_one_error(text: str) -> tuple[scoring.InstrumentFileError, tuple[int, str, str]]:
    """What ``parse_instrument_file`` raises for ``text``, and the one (line, path, message) it names."""
    with pytest.raises(scoring.InstrumentFileError) as exc:
        scoring.parse_instrument_file(text)
    [error] = exc.value.errors
    return exc.value, error


@pytest.mark.parametrize("key", ["phq9", "gad7", "pcl5", "who5"])
def test_shipped_files_are_valid(key):
    assert scoring.validate_definition(builtin_definition(key)) == []


def test_unknown_scoring_method_names_its_line():
    d = builtin_definition("gad7")
    d["scoring"]["method"] = "average"
    text = dump(d)
    refused, (line, path, message) = the_one_error(text)
    assert path == "scoring.method"
    assert line == line_of(text, '"method": "average"')
    assert "average" in message
    assert f"line {line}: scoring.method" in str(refused)


def test_overlapping_band_names_its_line():
    d = builtin_definition("phq9")
    d["scoring"]["bands"][2]["min"] = 9  # mild is 5-9
    text = dump(d)
    _refused, (line, path, message) = the_one_error(text)
    assert path == "scoring.bands[2].min"
    assert line == line_of(text, '"min": 9')
    assert "overlaps" in message


def test_bands_must_cover_every_possible_score():
    d = builtin_definition("who5")
    d["scoring"]["multiplier"] = 5  # 0-125 now, the last band stops at 100
    errors = scoring.validate_definition(d)
    assert errors == [("scoring.bands[2].max", "the last band must end at the highest possible score, 125")]


def test_gap_between_bands():
    d = builtin_definition("gad7")
    d["scoring"]["bands"][1]["max"] = 8
    assert scoring.validate_definition(d) == [
        ("scoring.bands[2].min", "leaves a gap after the previous band: it must start at 9")
    ]


def test_alert_on_unknown_item_and_action():
    d = builtin_definition("phq9")
    d["scoring"]["alerts"][0]["item"] = "10"
    d["scoring"]["alerts"][0]["action"] = "email"
    paths = [p for p, _m in scoring.validate_definition(d)]
    assert paths == ["scoring.alerts[0].item", "scoring.alerts[0].action"]


def test_typo_in_a_field_name_is_refused():
    d = builtin_definition("phq9")
    d["scoring"]["bnads"] = d["scoring"].pop("bands")
    paths = [p for p, _m in scoring.validate_definition(d)]
    assert "scoring.bnads" in paths
    assert "scoring" in paths  # missing field 'bands'


def test_items_need_french_and_english_and_unique_ids():
    d = builtin_definition("gad7")
    d["items"][1]["text"] = {"en": "Only English"}
    d["items"][2]["id"] = "1"
    errors = dict(scoring.validate_definition(d))
    assert "items[1].text" in errors
    assert errors["items[2].id"] == "item '1' is given twice"


def test_scale_labels_one_per_value():
    d = builtin_definition("gad7")
    d["scale"]["labels"].pop()
    assert dict(scoring.validate_definition(d))["scale.labels"].startswith("must have 4 labels")


def test_cluster_rule_checked():
    d = builtin_definition("pcl5")
    d["scoring"]["clusters"]["groups"][1]["required"] = 3  # C has 2 items
    d["scoring"]["clusters"]["rating_at_least"] = 5
    errors = dict(scoring.validate_definition(d))
    assert errors["scoring.clusters.groups[1].required"] == "cannot require more than its 2 items"
    assert "scoring.clusters.rating_at_least" in errors


def test_broken_json_names_its_line():
    text = dump(builtin_definition("gad7"))
    lines = text.splitlines()
    at = line_of(text, '"version": "1",')
    lines[at - 1] = lines[at - 1].rstrip(",")  # drop a comma
    _refused, (line, _path, message) = the_one_error("\n".join(lines))
    assert line == at + 1
    assert message.startswith("not valid JSON")


def test_a_licensed_questionnaire_can_be_described_without_code():
    """A team's own licensed questionnaire (here a made-up 3-item one) only needs a file."""
    d = copy.deepcopy(builtin_definition("gad7"))
    d.update(key="custom3", name="Custom-3", version="2026")
    d["items"] = d["items"][:3]
    d["scoring"]["bands"] = [
        {"key": "low", "min": 0, "max": 4, "label": {"fr": "Bas", "en": "Low"}},
        {"key": "high", "min": 5, "max": 9, "label": {"fr": "Haut", "en": "High"}},
    ]
    assert scoring.validate_definition(d) == []
    assert scoring.score(d, {"1": 2, "2": 2, "3": 1}).band["key"] == "high"
