"""No hidden cell of a table can be worked out from what is shown (complementary suppression)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrapsy.reports.suppression import SMALL_CELL, Hidden, Line, is_small, suppress

# Counts as they occur: many zeros and small cells, some large ones.
COUNT = st.one_of(st.integers(0, 6), st.integers(0, 40))


def _shown(counts, hidden):
    return {cell: n for cell, n in counts.items() if cell not in hidden}


def _possible_values(line, counts, hidden):
    """Every value each hidden cell of the line may take, given what a reader sees (brute force).

    A "<5" is 1 to 4; any other hidden cell is 0 or more; the cells add up to the shown total.
    """
    shown = _shown(counts, hidden)
    cells = [c for c in line.cells if c in hidden]
    left = shown[line.total] - sum(shown[c] for c in line.cells if c in shown)
    ranges = [range(1, SMALL_CELL) if hidden[c] is Hidden.PRIMARY else range(0, left + 1) for c in cells]

    def sums(rs):  # every total the given cells can make together (no more than ``left``)
        reachable = {0}
        for r in rs:
            reachable = {a + b for a in reachable for b in r if a + b <= left}
        return reachable

    values = {}
    for i, cell in enumerate(cells):
        others = sums(ranges[:i] + ranges[i + 1 :])
        values[cell] = {v for v in ranges[i] if left - v in others}
    return values


def _check(counts, lines, hidden):
    # The "<5" rule holds: every count from 1 to 4 is hidden, as a "<5".
    for cell, n in counts.items():
        if is_small(n):
            assert hidden.get(cell) is Hidden.PRIMARY, cell
        else:
            assert hidden.get(cell) is not Hidden.PRIMARY, cell
    for line in lines:
        if line.total in hidden:
            continue  # the total is hidden too: nothing to subtract from
        in_line = [c for c in line.cells if c in hidden]
        assert len(in_line) != 1, (line, in_line)
        for cell, possible in _possible_values(line, counts, hidden).items():
            assert counts[cell] in possible  # the real value is among them...
            assert len(possible) >= 2, (line, cell, possible)  # ...and is not the only one


@st.composite
def one_way_tables(draw):
    """A breakdown (by gender, age, nationality...) and its total."""
    cells = draw(st.lists(COUNT, min_size=1, max_size=7))
    counts = {("row", i): n for i, n in enumerate(cells)}
    counts["total"] = sum(cells)
    return counts, [Line("total", tuple(("row", i) for i in range(len(cells))))]


@st.composite
def two_way_tables(draw):
    """A table with a total per row, per column, and the grand total."""
    n_rows = draw(st.integers(1, 4))
    n_cols = draw(st.integers(1, 4))
    counts = {(r, c): draw(COUNT) for r in range(n_rows) for c in range(n_cols)}
    for r in range(n_rows):
        counts[(r, "total")] = sum(counts[(r, c)] for c in range(n_cols))
    for c in range(n_cols):
        counts[("total", c)] = sum(counts[(r, c)] for r in range(n_rows))
    counts[("total", "total")] = sum(counts[(r, "total")] for r in range(n_rows))
    lines = [Line((r, "total"), tuple((r, c) for c in range(n_cols))) for r in range(n_rows)]
    lines += [Line(("total", c), tuple((r, c) for r in range(n_rows))) for c in range(n_cols)]
    lines.append(Line(("total", "total"), tuple((r, "total") for r in range(n_rows))))
    lines.append(Line(("total", "total"), tuple(("total", c) for c in range(n_cols))))
    return counts, lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_way_tables())
def test_no_hidden_cell_of_a_breakdown_can_be_worked_out(table):
    counts, lines = table
    _check(counts, lines, suppress(counts, lines))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_way_tables())
def test_no_hidden_cell_of_a_row_or_column_can_be_worked_out(table):
    counts, lines = table
    _check(counts, lines, suppress(counts, lines))


def test_the_smallest_other_cell_is_hidden_with_the_small_one():
    counts = {"F": 3, "M": 12, "X": 7, "total": 22}
    hidden = suppress(counts, [Line("total", ("F", "M", "X"))])
    assert hidden == {"F": Hidden.PRIMARY, "X": Hidden.COMPLEMENTARY}


def test_a_zero_is_hidden_only_when_no_other_cell_is_left():
    counts = {"F": 2, "M": 0, "X": 9, "total": 11}
    assert suppress(counts, [Line("total", ("F", "M", "X"))])["X"] is Hidden.COMPLEMENTARY
    counts = {"F": 4, "M": 4, "X": 0, "total": 8}  # two "<5" making 8 are both 4
    assert suppress(counts, [Line("total", ("F", "M", "X"))])["X"] is Hidden.COMPLEMENTARY


def test_two_small_cells_that_can_only_be_ones_hide_the_total():
    counts = {"F": 1, "M": 1, "total": 2}
    assert suppress(counts, [Line("total", ("F", "M"))]) == {
        "F": Hidden.PRIMARY,
        "M": Hidden.PRIMARY,
        "total": Hidden.PRIMARY,
    }
    counts = {"F": 1, "M": 1, "X": 0, "total": 2}  # total small already; else it would be hidden for them
    assert "total" in suppress(counts, [Line("total", ("F", "M", "X"))])


def test_nothing_more_is_hidden_without_a_small_cell():
    counts = {"F": 0, "M": 12, "X": 7, "total": 19}
    assert suppress(counts, [Line("total", ("F", "M", "X"))]) == {}


@pytest.mark.parametrize("n", [0, 5, 12])
def test_cells_outside_any_total_keep_the_small_cell_rule_only(n):
    assert suppress({"a": 3, "b": n}) == {"a": Hidden.PRIMARY}


@st.composite
def indicator_sections(draw):
    """The indicators' blocks, each breakdown adding up to the persons supported."""
    from integrapsy.reports.indicators import PARTITIONS, Row, Section

    total = draw(st.integers(0, 60))

    def breakdown(n_rows):
        # ``n_rows`` counts adding up to ``total``.
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n_rows - 1, max_size=n_rows - 1)))
        bounds = [0, *cuts, total]
        return [bounds[i + 1] - bounds[i] for i in range(n_rows)]

    sections = [Section("participants", "Participants", [Row("total", "Persons supported", total)])]
    for key in PARTITIONS:
        rows = breakdown(draw(st.integers(1, 6)))
        sections.append(Section(key, key, [Row(str(i), str(i), n) for i, n in enumerate(rows)]))
    sections.append(Section("services", "Services", [Row("a", "a", draw(COUNT)), Row("b", "b", draw(COUNT))]))
    return sections


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_sections())
def test_the_indicators_as_shown_give_no_hidden_cell_away(sections):
    from integrapsy.reports.indicators import HIDDEN_LABEL, PARTITIONS, SMALL_CELL_LABEL, _shown

    shown = {s.key: {r.key: r.value for r in s.rows} for s in _shown(sections)}
    raw = {s.key: {r.key: r.value for r in s.rows} for s in sections}
    for key, rows in shown.items():
        for row, value in rows.items():
            n = raw[key][row]
            if is_small(n):
                assert value == SMALL_CELL_LABEL
            else:
                assert value in (n, HIDDEN_LABEL)
    # Read back as a reader sees it: no hidden cell of a breakdown can be worked out.
    counts = {(key, row): n for key, rows in raw.items() for row, n in rows.items()}
    hidden = {
        (key, row): Hidden.PRIMARY if value == SMALL_CELL_LABEL else Hidden.COMPLEMENTARY
        for key, rows in shown.items()
        for row, value in rows.items()
        if not isinstance(value, int)
    }
    lines = [Line(("participants", "total"), tuple((key, row) for row in raw[key])) for key in PARTITIONS]
    _check(counts, lines, hidden)
