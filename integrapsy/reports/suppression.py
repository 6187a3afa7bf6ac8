"""Small cells hidden, and enough others hidden that no hidden cell can be worked out.

Every count from 1 to 4 is hidden ("<5", the primary suppression). A table also shows
totals: when a total is shown and only one of the cells adding up to it is hidden, that cell
is the total minus the others. So for every ``Line`` (cells that add up to a total) whose
total is shown, a line with a hidden cell gets a second one hidden (complementary
suppression): the smallest other non-zero cell, else a zero cell, else the total itself.
Hiding goes on, line after line, until every line with a shown total holds either no
hidden cell or at least two, and no hidden cell of it is pinned to one value by what is
shown (two "<5" of 4 in a total of 8 are both 4: a third cell is hidden then).

A reader knows that a "<5" is between 1 and 4 and that any other hidden cell is between 0
and what the line leaves; ``value_range`` is what they can tell. Cells are named by any
hashable key (the indicators use ``(section, row)``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

SMALL_CELL = 5


class Hidden(Enum):
    PRIMARY = "primary"  # 1 to 4, shown as "<5"
    COMPLEMENTARY = "complementary"  # hidden so that a "<5" cannot be worked out


@dataclass(frozen=True)
class Line:
    """Cells whose counts add up to ``total`` (one row or one column of a table)."""

    total: Hashable
    cells: tuple[Hashable, ...]


def is_small(n: int) -> bool:
    return 0 < n < SMALL_CELL


def value_range(
    line: Line, counts: Mapping[Hashable, int], hidden: Mapping[Hashable, Hidden]
) -> dict[Hashable, tuple[int, int]]:
    """What a reader can tell of each hidden cell of a line whose total is shown: (lowest, highest)."""
    left = counts[line.total] - sum(counts[c] for c in line.cells if c not in hidden)
    bounds = {c: (1, SMALL_CELL - 1) if hidden[c] is Hidden.PRIMARY else (0, left) for c in line.cells if c in hidden}
    out = {}
    for cell, (lo, hi) in bounds.items():
        others_lo = sum(b[0] for c, b in bounds.items() if c != cell)
        others_hi = sum(b[1] for c, b in bounds.items() if c != cell)
        out[cell] = (max(lo, left - others_hi), min(hi, left - others_lo))
    return out


def _exposed(line: Line, counts: Mapping[Hashable, int], hidden: Mapping[Hashable, Hidden]) -> bool:
    if line.total in hidden:
        return False
    in_line = [c for c in line.cells if c in hidden]
    if not in_line:
        return False
    if len(in_line) == 1:
        return True
    return any(lo >= hi for lo, hi in value_range(line, counts, hidden).values())


def suppress(counts: Mapping[Hashable, int], lines: Iterable[Line] = ()) -> dict[Hashable, Hidden]:
    """The cells to hide, and why: every count from 1 to 4, and what keeps them from being worked out."""
    lines = list(lines)
    hidden = {cell: Hidden.PRIMARY for cell, n in counts.items() if is_small(n)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _exposed(line, counts, hidden):
                continue
            shown = [c for c in line.cells if c not in hidden]
            # The smallest non-zero cell (the least information lost), then a zero, then the total.
            candidates = sorted(shown, key=lambda c: (counts[c] == 0, counts[c], line.cells.index(c)))
            hidden[candidates[0] if candidates else line.total] = Hidden.COMPLEMENTARY
            changed = True
    return hidden
