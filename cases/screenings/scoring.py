"""Screening instruments as data: validation of an instrument file, and scoring of answers.

Pure functions, no database: the loader command and the services call them. The file
format is documented in cases/screenings/instruments/README.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring

FORMAT_VERSION = 1


SCORING_METHODS = ("sum",)


ALERT_ACTIONS = ("risk_flag",)


DIRECTIONS = ("higher_is_better", "higher_is_worse")


TEXT_LANGUAGES = ("en", "fr")


# Languages a text may also be given in (the interface's others); readers fall back to English.
OPTIONAL_TEXT_LANGUAGES = ("nl",)


TOP_KEYS = {"format", "key", "version", "name", "title", "instructions", "source", "wording_note"}


TOP_KEYS |= {"scale", "items", "scoring"}


SCALE_KEYS = {"min", "max", "labels"}


ITEM_KEYS = {"id", "text"}


SCORING_KEYS = {"method", "multiplier", "direction", "bands", "change", "clusters", "alerts"}


BAND_KEYS = {"key", "min", "max", "label"}


CLUSTERS_KEYS = {"rating_at_least", "groups", "label"}


GROUP_KEYS = {"key", "label", "items", "required"}


ALERT_KEYS = {"item", "at_least", "action", "reason"}


class InstrumentFileError(Exception):
    """An instrument file that cannot be loaded; ``errors`` are ``(line, path, message)``."""

    def __init__(self, errors: list[tuple[int | None, str, str]]):
        self.errors = errors
        super().__init__("\n".join(format_error(*e) for e in errors))


def format_error(line: int | None, path: str, message: str) -> str:
    where = f"line {line}" if line else "file"
    return f"{where}: {path or '(top level)'}: {message}" if path else f"{where}: {message}"


_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


_SPACE = re.compile(r"[ \t\n\r]*")


def _line_map(text: str) -> dict[str, int]:
    """``{"scoring.bands[1].min": 57, ...}``: the line of each member and element of a JSON text."""
    lines: dict[str, int] = {}

    def line_at(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def skip(pos: int) -> int:
        return _SPACE.match(text, pos).end()

    def value(pos: int, path: str) -> int:
        pos = skip(pos)
        lines.setdefault(path, line_at(pos))
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                pos = skip(pos)
                key, pos = scanstring(text, pos + 1)
                child = f"{path}.{key}" if path else key
                lines[child] = line_at(pos)
                pos = skip(pos)
                pos = value(pos + 1, child)  # after the colon
                pos = skip(pos)
                if text[pos] == "}":
                    return pos + 1
                pos += 1  # the comma
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = value(pos, f"{path}[{index}]")
                pos = skip(pos)
                if text[pos] == "]":
                    return pos + 1
                pos += 1
                index += 1
        if char == '"':
            return scanstring(text, pos + 1)[1]
        for literal in ("true", "false", "null"):
            if text.startswith(literal, pos):
                return pos + len(literal)
        return _NUMBER.match(text, pos).end()

    value(0, "")
    return lines


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self):
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def keys(self, obj, path: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(obj, dict):
            self.error(path, "must be an object { ... }")
            return False
        for key in sorted(set(obj) - allowed):
            self.error(f"{path}.{key}" if path else key, f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(obj)):
            self.error(path, f"missing field {key!r}")
        return True

    def text(self, obj, path: str, required: bool = True) -> None:
        if obj is None and not required:
            return
        if not isinstance(obj, dict) or not all(
            isinstance(obj.get(lang), str) and obj[lang].strip() for lang in TEXT_LANGUAGES
        ):
            self.error(path, 'must give a text in French and English: {"fr": "...", "en": "..."}')
        elif any(
            lang in obj and not (isinstance(obj[lang], str) and obj[lang].strip()) for lang in OPTIONAL_TEXT_LANGUAGES
        ):
            self.error(path, 'a Dutch text, when given, must not be empty: {"fr": "...", "en": "...", "nl": "..."}')

    def name(self, obj, path: str, pattern: str, message: str, *, seen: list[str], what: str) -> None:
        """A name that must match ``pattern`` and be given once; a good one is added to ``seen``."""
        if not isinstance(obj, str) or not re.fullmatch(pattern, obj):
            self.error(path, message)
        elif obj in seen:
            self.error(path, f"{what} {obj!r} is given twice")
        else:
            seen.append(obj)

    def integer(self, obj, path: str, minimum: int | None = None) -> bool:
        if not _is_int(obj):
            self.error(path, "must be a whole number")
            return False
        if minimum is not None and obj < minimum:
            self.error(path, f"must be {minimum} or more")
            return False
        return True


def validate_definition(data) -> list[tuple[str, str]]:
    """Every problem of an instrument definition, as ``(path, message)``; empty when valid."""
    c = _Checker()
    if not c.keys(data, "", TOP_KEYS, {"format", "key", "version", "name", "title", "scale", "items", "scoring"}):
        return c.errors
    if data.get("format") != FORMAT_VERSION:
        c.error("format", f"must be {FORMAT_VERSION}")
    if not isinstance(data.get("key"), str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,29}", data["key"]):
        c.error("key", "must be up to 30 lower-case letters, digits, - or _ (e.g. phq9)")
    if not isinstance(data.get("version"), str) or not 0 < len(data["version"].strip()) <= 20:
        c.error("version", "must be a text of 1 to 20 characters")
    if not isinstance(data.get("name"), str) or not 0 < len(data["name"].strip()) <= 60:
        c.error("name", "must be a text of 1 to 60 characters")
    if "title" in data:
        c.text(data["title"], "title")
    c.text(data.get("instructions"), "instructions", required=False)
    for key in ("source", "wording_note"):
        if key in data and not isinstance(data[key], str):
            c.error(key, "must be a text")

    scale_ok = False
    scale = data.get("scale")
    if "scale" in data and c.keys(scale, "scale", SCALE_KEYS, {"min", "max", "labels"}):
        if c.integer(scale.get("min"), "scale.min", 0) and c.integer(scale.get("max"), "scale.max"):
            if scale["max"] <= scale["min"]:
                c.error("scale.max", "must be greater than scale.min")
            else:
                scale_ok = True
        labels = scale.get("labels")
        if not isinstance(labels, list):
            c.error("scale.labels", "must be a list with one label per value of the scale")
        elif scale_ok:
            expected = list(range(scale["min"], scale["max"] + 1))
            if len(labels) != len(expected):
                c.error(
                    "scale.labels",
                    f"must have {len(expected)} labels, one per value {expected[0]}–{expected[-1]}",
                )
            for i, label in enumerate(labels):
                c.text(label, f"scale.labels[{i}]")

    item_ids: list[str] = []
    items = data.get("items")
    if "items" in data:
        if not isinstance(items, list) or not items:
            c.error("items", "must be a non-empty list of items")
        else:
            for i, item in enumerate(items):
                path = f"items[{i}]"
                if not c.keys(item, path, ITEM_KEYS, ITEM_KEYS):
                    continue
                c.name(
                    item.get("id"),
                    f"{path}.id",
                    r"[A-Za-z0-9_]{1,10}",
                    'must be a short text of letters, digits or _ (e.g. "1")',
                    seen=item_ids,
                    what="item",
                )
                if "text" in item:
                    c.text(item["text"], f"{path}.text")

    scoring = data.get("scoring")
    if "scoring" in data and c.keys(scoring, "scoring", SCORING_KEYS, {"method", "bands"}):
        if scoring.get("method") not in SCORING_METHODS:
            c.error(
                "scoring.method",
                f"unknown scoring method {scoring.get('method')!r} (known: {', '.join(SCORING_METHODS)})",
            )
        multiplier = scoring.get("multiplier", 1)
        multiplier_ok = c.integer(multiplier, "scoring.multiplier", 1)
        if scoring.get("direction", "higher_is_worse") not in DIRECTIONS:
            c.error("scoring.direction", f"must be one of: {', '.join(DIRECTIONS)}")
        if "change" in scoring:
            c.integer(scoring["change"], "scoring.change", 1)
        low = high = None
        if scale_ok and multiplier_ok and item_ids:
            low = scale["min"] * len(item_ids) * multiplier
            high = scale["max"] * len(item_ids) * multiplier
        _check_bands(c, scoring.get("bands"), low, high)
        if "clusters" in scoring:
            _check_clusters(c, scoring["clusters"], item_ids, scale if scale_ok else None)
        if "alerts" in scoring:
            _check_alerts(c, scoring["alerts"], item_ids, scale if scale_ok else None)
    return c.errors


def _check_bands(c: _Checker, bands, low: int | None, high: int | None) -> None:
    if not isinstance(bands, list) or not bands:
        c.error("scoring.bands", "must be a non-empty list of bands, lowest first")
        return
    keys: list[str] = []
    previous_max = None
    for i, band in enumerate(bands):
        path = f"scoring.bands[{i}]"
        if not c.keys(band, path, BAND_KEYS, BAND_KEYS):
            return
        c.name(
            band.get("key"),
            f"{path}.key",
            r"[a-z0-9_]{1,40}",
            "must be up to 40 lower-case letters, digits or _",
            seen=keys,
            what="band",
        )
        c.text(band.get("label"), f"{path}.label")
        if not (c.integer(band.get("min"), f"{path}.min") and c.integer(band.get("max"), f"{path}.max")):
            return
        if band["max"] < band["min"]:
            c.error(f"{path}.max", f"the band ends ({band['max']}) before it starts ({band['min']})")
            return
        if previous_max is None:
            if low is not None and band["min"] != low:
                c.error(f"{path}.min", f"the first band must start at the lowest possible score, {low}")
        elif band["min"] != previous_max + 1:
            what = (
                "overlaps the previous band" if band["min"] <= previous_max else "leaves a gap after the previous band"
            )
            c.error(f"{path}.min", f"{what}: it must start at {previous_max + 1}")
        previous_max = band["max"]
    if high is not None and previous_max is not None and previous_max != high:
        c.error(
            f"scoring.bands[{len(bands) - 1}].max",
            f"the last band must end at the highest possible score, {high}",
        )


def _check_clusters(c: _Checker, clusters, item_ids: list[str], scale: dict | None) -> None:
    if not c.keys(clusters, "scoring.clusters", CLUSTERS_KEYS, {"rating_at_least", "groups"}):
        return
    at_least = clusters.get("rating_at_least")
    if (
        c.integer(at_least, "scoring.clusters.rating_at_least")
        and scale
        and not scale["min"] < at_least <= scale["max"]
    ):
        c.error("scoring.clusters.rating_at_least", f"must be between {scale['min'] + 1} and {scale['max']}")
    if "label" in clusters:
        c.text(clusters["label"], "scoring.clusters.label")
    groups = clusters.get("groups")
    if not isinstance(groups, list) or not groups:
        c.error("scoring.clusters.groups", "must be a non-empty list")
        return
    for i, group in enumerate(groups):
        path = f"scoring.clusters.groups[{i}]"
        if not c.keys(group, path, GROUP_KEYS, GROUP_KEYS):
            continue
        if not isinstance(group.get("key"), str) or not group["key"]:
            c.error(f"{path}.key", "must be a short text")
        c.text(group.get("label"), f"{path}.label")
        members = group.get("items")
        if not isinstance(members, list) or not members:
            c.error(f"{path}.items", "must be a non-empty list of item ids")
            continue
        for item in members:
            if item not in item_ids:
                c.error(f"{path}.items", f"item {item!r} is not among the items")
        if c.integer(group.get("required"), f"{path}.required", 1) and group["required"] > len(members):
            c.error(f"{path}.required", f"cannot require more than its {len(members)} items")


def _check_alerts(c: _Checker, alerts, item_ids: list[str], scale: dict | None) -> None:
    if not isinstance(alerts, list):
        c.error("scoring.alerts", "must be a list")
        return
    for i, alert in enumerate(alerts):
        path = f"scoring.alerts[{i}]"
        if not c.keys(alert, path, ALERT_KEYS, ALERT_KEYS):
            continue
        if alert.get("item") not in item_ids:
            c.error(f"{path}.item", f"item {alert.get('item')!r} is not among the items")
        at_least_ok = c.integer(alert.get("at_least"), f"{path}.at_least")
        if at_least_ok and scale and not scale["min"] <= alert["at_least"] <= scale["max"]:
            c.error(f"{path}.at_least", f"must be on the scale, {scale['min']}–{scale['max']}")
        if alert.get("action") not in ALERT_ACTIONS:
            c.error(
                f"{path}.action",
                f"unknown action {alert.get('action')!r} (known: {', '.join(ALERT_ACTIONS)})",
            )
        c.text(alert.get("reason"), f"{path}.reason")


def only_adds_languages(old, new) -> bool:
    """``new`` is ``old`` with texts in more languages, every other value unchanged."""
    if isinstance(old, dict) and isinstance(new, dict):
        if isinstance(old.get("en"), str) and isinstance(new.get("en"), str):
            return all(new.get(lang) == text for lang, text in old.items())
        return old.keys() == new.keys() and all(only_adds_languages(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(only_adds_languages(a, b) for a, b in zip(old, new, strict=True))
    return old == new


def parse_instrument_file(text: str) -> dict:
    """The definition in an instrument file, or ``InstrumentFileError`` naming each wrong line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentFileError([(exc.lineno, "", f"not valid JSON: {exc.msg} (column {exc.colno})")]) from exc
    problems = validate_definition(data)
    if problems:
        lines = _line_map(text)
        raise InstrumentFileError([(lines.get(path), path, message) for path, message in problems])
    return data


class IncompleteAnswers(Exception):  # noqa: N818 - reads as a domain condition
    """A total cannot be computed: ``missing`` lists the unanswered item ids."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"missing items: {', '.join(missing)}")


@dataclass(frozen=True)
class ScoreResult:
    total: int
    band: dict
    clusters: dict[str, bool] = field(default_factory=dict)

    @property
    def clusters_met(self) -> bool | None:
        return all(self.clusters.values()) if self.clusters else None


def answer_errors(definition: dict, answers: dict) -> dict[str, str]:
    """Answers that are not a value of the scale, by item id (unanswered items are fine here)."""
    scale = definition["scale"]
    ids = {item["id"] for item in definition["items"]}
    errors = {}
    for item_id, value in answers.items():
        if item_id not in ids:
            errors[item_id] = "unknown item"
        elif value is not None and (not _is_int(value) or not scale["min"] <= value <= scale["max"]):
            errors[item_id] = f"out of range {scale['min']}–{scale['max']}"
    return errors


def missing_items(definition: dict, answers: dict) -> list[str]:
    return [item["id"] for item in definition["items"] if answers.get(item["id"]) is None]


def band_for(definition: dict, total: int) -> dict:
    for band in definition["scoring"]["bands"]:
        if band["min"] <= total <= band["max"]:
            return band
    raise ValueError(f"score {total} is outside every band")


def score(definition: dict, answers: dict) -> ScoreResult:
    """Total, band and cluster results; refuses with ``IncompleteAnswers`` when an item is missing."""
    missing = missing_items(definition, answers)
    if missing:
        raise IncompleteAnswers(missing)
    scoring = definition["scoring"]
    raw = sum(answers[item["id"]] for item in definition["items"])
    total = raw * scoring.get("multiplier", 1)
    clusters = {}
    if "clusters" in scoring:
        at_least = scoring["clusters"]["rating_at_least"]
        for group in scoring["clusters"]["groups"]:
            endorsed = sum(1 for item in group["items"] if answers[item] >= at_least)
            clusters[group["key"]] = endorsed >= group["required"]
    return ScoreResult(total=total, band=band_for(definition, total), clusters=clusters)


def triggered_alerts(definition: dict, answers: dict) -> list[dict]:
    """Alerts whose item is answered at or above their threshold (answered items only)."""
    out = []
    for alert in definition["scoring"].get("alerts", []):
        value = answers.get(alert["item"])
        if value is not None and value >= alert["at_least"]:
            out.append(alert)
    return out


def band_thresholds(definition: dict) -> list[int]:
    """Where each band but the first starts: the lines drawn on a chart."""
    return [band["min"] for band in definition["scoring"]["bands"][1:]]


def score_range(definition: dict) -> tuple[int, int]:
    scale, n = definition["scale"], len(definition["items"])
    multiplier = definition["scoring"].get("multiplier", 1)
    return scale["min"] * n * multiplier, scale["max"] * n * multiplier
