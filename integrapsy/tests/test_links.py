"""``row_url``: the same addresses as ``reverse``, the view's pattern walked once."""

import uuid

from django.urls import clear_script_prefix, reverse, set_script_prefix

from integrapsy import links
from integrapsy.links import row_url


def test_the_addresses_are_those_reverse_writes():
    case_url, booking_url = row_url("cases:detail"), row_url("interpreters:booking_detail")
    for reference in ["BX-0000000", "IP-2026-00042", "a_b"]:
        assert case_url(reference) == reverse("cases:detail", args=[reference])
    for code in [uuid.uuid4() for _ in range(3)]:
        assert booking_url(code) == reverse("interpreters:booking_detail", args=[code])


def test_a_value_that_is_not_plain_is_reversed_as_ever():
    case_url = row_url("cases:detail")
    for odd in ["é-1", "a b", "100%"]:
        assert case_url(odd) == reverse("cases:detail", args=[odd])


def test_a_value_the_address_holds_twice_teaches_nothing(monkeypatch):
    monkeypatch.setattr(links, "_AROUND", {})
    case_url = row_url("cases:detail")
    short = "c"  # "/cases/c/" holds it twice
    assert case_url(short) == reverse("cases:detail", args=[short])
    assert links._AROUND == {}
    assert case_url("BX-1") == reverse("cases:detail", args=["BX-1"])
    assert case_url(short) == reverse("cases:detail", args=[short])


def test_each_script_prefix_has_its_addresses():
    at_root = row_url("cases:detail")("BX-2")
    set_script_prefix("/equipe/")
    try:
        under_prefix = row_url("cases:detail")("BX-2")
    finally:
        clear_script_prefix()
    assert under_prefix == "/equipe" + at_root
    assert row_url("cases:detail")("BX-3") == reverse("cases:detail", args=["BX-3"])


def test_the_templates_url_tag_writes_what_djangos_writes():
    from django.template import engines

    page = engines["django"].from_string(
        "{% url 'home' %}|{% url 'cases:detail' ref %}|{% url 'cases:detail' odd %}|"
        "{% url 'cases:detail' reference=ref %}|{% url 'home' as home %}{{ home }}|"
        "{% url 'nowhere' as none %}[{{ none }}]"
    )
    drawn = page.render({"ref": "BX-9", "odd": "a&b"})
    assert drawn == "|".join(
        [
            reverse("home"),
            reverse("cases:detail", args=["BX-9"]),
            reverse("cases:detail", args=["a&b"]).replace("&", "&amp;"),
            reverse("cases:detail", kwargs={"reference": "BX-9"}),
            reverse("home"),
            "[]",
        ]
    )
    assert type(page.template.nodelist[0]).__module__ == "integrapsy.templatetags.links"


def test_a_value_the_views_pattern_refuses_is_refused_as_reverse_refuses_it():
    import pytest
    from django.urls import NoReverseMatch

    links.cached_reverse("ambassadors:ambassador_detail", [uuid.uuid4()])  # the address learnt
    for odd in (None, True, "not-a-uuid", "123"):
        with pytest.raises(NoReverseMatch):
            links.cached_reverse("ambassadors:ambassador_detail", [odd])
    code = uuid.uuid4()
    assert links.cached_reverse("ambassadors:ambassador_detail", [code]) == reverse(
        "ambassadors:ambassador_detail", args=[code]
    )
