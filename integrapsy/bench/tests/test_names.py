"""The benchmark's names are distributed as in life, so that a measured search is a real one."""

from collections import Counter

from cases.persons.matching import name_key
from integrapsy.bench.names import FIRST_ROOTS, LAST_ROOTS, draw_names, first_names, last_names, spellings


def test_thousands_of_first_names_and_surnames():
    assert len(first_names()[0]) >= 1000
    assert len(last_names()[0]) >= 1000


def test_a_few_names_are_common_and_most_are_rare():
    firsts, lasts = draw_names(200_000)
    for drawn in (firsts, lasts):
        counts = Counter(drawn).most_common()
        share_of_top = counts[0][1] / len(drawn)
        assert 0.03 < share_of_top < 0.2  # the most common name: a few percent, as Mohammed is
        assert counts[0][1] > 20 * counts[len(counts) // 2][1]  # the median name is far rarer
        assert len(counts) > 800  # the long tail is drawn too


def test_the_same_seed_draws_the_same_names_and_another_does_not():
    assert draw_names(500, seed=7) == draw_names(500, seed=7)
    assert draw_names(500, seed=7) != draw_names(500, seed=8)


def test_each_spelling_of_a_name_keeps_its_search_key():
    for root in [*FIRST_ROOTS, *LAST_ROOTS]:
        variants = spellings(root, most=7)
        assert variants[0] == root
        assert len(set(variants)) == len(variants)
        assert {name_key(v) for v in variants} == {name_key(root)}, root


def test_arabic_compounds_are_written_in_their_usual_ways():
    names = set(first_names()[0])
    assert {"Abdul Rahman", "Abdelrahman", "Abd al-Rahman", "Abdulrahman"} <= names
    assert "Mohammed Ali" in names
