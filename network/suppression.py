"""Small-count suppression for the coordinator's tables: any count under 5 (zero included) is
shown as "<5", and further cells are hidden ("×") until no hidden value can be worked out from
the shown cells and the total of its row or of its column. Pure functions over lists of ints.

What a reader knows about a hidden entry decides what can be worked out: a "<5" is between 0
and 4, a "×" is 5 or more (only counts of 5 or more are hidden that way). A line (the cells
of a row or column and its total) is one equation, cells - total = 0; a hidden entry can be
worked out when the other entries' known values and bounds leave it a single value."""

from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 5
UNBOUNDED = None


class Mark(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: a count under THRESHOLD, shown as "<5"
    HIDDEN = "hidden"  # secondary: hidden so that a small one cannot be worked out, "×"


@dataclass(frozen=True)
class Suppressed:
    """A table with its totals and the mark of every entry. `cells[r][c]`, `row_totals[r]`,
    `column_totals[c]` and `grand_total` are the true values; the marks say which may be
    shown. Absent totals (a table without row or column totals) are None."""

    cells: list[list[int]]
    row_totals: list[int] | None
    column_totals: list[int] | None
    grand_total: int | None
    marks: dict[tuple[int, int], Mark]  # (row, column); row == len(cells) is the totals row

    def mark(self, row: int, column: int) -> Mark:
        return self.marks[(row, column)]

    def hidden(self, row: int, column: int) -> bool:
        return self.marks[(row, column)] is not Mark.SHOWN


# An entry of the grid: (row, column) where row == n means the totals row and column == m the
# totals column.
Entry = tuple[int, int]


def bounds(mark: Mark) -> tuple[int, int | None]:
    """What a reader knows of an entry with this mark: the least and the most it can be."""
    if mark is Mark.SMALL:
        return 0, THRESHOLD - 1
    return THRESHOLD, UNBOUNDED


def _lines(n: int, m: int, row_totals: bool, column_totals: bool) -> list[list[Entry]]:
    """Each line as its entries, the total last (the equation is sum(cells) = total)."""
    lines = []
    if row_totals:
        for r in range(n):
            lines.append([(r, c) for c in range(m)] + [(r, m)])
        if column_totals:
            lines.append([(n, c) for c in range(m)] + [(n, m)])
    if column_totals:
        for c in range(m):
            lines.append([(r, c) for r in range(n)] + [(n, c)])
        if row_totals:
            lines.append([(r, m) for r in range(n)] + [(n, m)])
    return lines


def derivable_in_line(
    line: list[Entry], values: dict[Entry, int], marks: dict[Entry, Mark]
) -> list[Entry]:
    """The hidden entries of one line that its shown entries and the bounds of its hidden
    ones pin to a single value. The line's last entry is its total: cells - total = 0."""
    signs = {entry: 1 for entry in line[:-1]}
    signs[line[-1]] = -1
    hidden = [entry for entry in line if marks[entry] is not Mark.SHOWN]
    known = -sum(signs[entry] * values[entry] for entry in line if entry not in hidden)
    pinned = []
    for entry in hidden:
        # signs[entry] * x = known - sum(others); the others' range gives x's range.
        low_rest, high_rest = 0, 0
        for other in hidden:
            if other == entry:
                continue
            low, high = bounds(marks[other])
            if signs[other] > 0:
                low_rest += low
                high_rest = None if high is None or high_rest is None else high_rest + high
            else:
                low_rest = None if high is None or low_rest is None else low_rest - high
                high_rest = high_rest if high_rest is None else high_rest - low
        # x's range from the equation, before its own bounds.
        if signs[entry] > 0:
            lo = None if high_rest is None else known - high_rest
            hi = None if low_rest is None else known - low_rest
        else:
            lo = None if low_rest is None else low_rest - known
            hi = None if high_rest is None else high_rest - known
        own_low, own_high = bounds(marks[entry])
        lo = own_low if lo is None else max(lo, own_low)
        hi = own_high if hi is None else (hi if own_high is None else min(hi, own_high))
        if hi is not None and lo >= hi:
            pinned.append(entry)
    return pinned


def suppress(
    cells: list[list[int]], *, row_totals: bool = True, column_totals: bool = True
) -> Suppressed:
    """Mark every count under THRESHOLD as small, then hide the smallest shown count of any
    line where a hidden entry could be worked out (or the line's total, when no count of that
    line is left to hide), until no line gives any away. Hiding only ever adds, and a line all
    hidden gives nothing away, so this ends."""
    n = len(cells)
    m = len(cells[0]) if cells else 0
    values: dict[Entry, int] = {(r, c): cells[r][c] for r in range(n) for c in range(m)}
    sums_r = [sum(row) for row in cells]
    sums_c = [sum(cells[r][c] for r in range(n)) for c in range(m)]
    if row_totals:
        values.update({(r, m): sums_r[r] for r in range(n)})
    if column_totals:
        values.update({(n, c): sums_c[c] for c in range(m)})
    if row_totals and column_totals:
        values[(n, m)] = sum(sums_r)
    marks = {
        entry: Mark.SMALL if value < THRESHOLD else Mark.SHOWN for entry, value in values.items()
    }
    lines = _lines(n, m, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not derivable_in_line(line, values, marks):
                continue
            shown = [entry for entry in line[:-1] if marks[entry] is Mark.SHOWN]
            if not shown and marks[line[-1]] is Mark.SHOWN:
                shown = [line[-1]]
            if not shown:  # every entry hidden: cannot happen, a hidden line pins nothing
                continue
            marks[min(shown, key=lambda entry: (values[entry], entry))] = Mark.HIDDEN
            changed = True
    return Suppressed(
        cells=[list(row) for row in cells],
        row_totals=sums_r if row_totals else None,
        column_totals=sums_c if column_totals else None,
        grand_total=sum(sums_r) if row_totals and column_totals else None,
        marks=marks,
    )


def all_lines(table: Suppressed) -> list[list[Entry]]:
    n = len(table.cells)
    m = len(table.cells[0]) if table.cells else 0
    return _lines(n, m, table.row_totals is not None, table.column_totals is not None)


def values_of(table: Suppressed) -> dict[Entry, int]:
    n = len(table.cells)
    m = len(table.cells[0]) if table.cells else 0
    values = {(r, c): table.cells[r][c] for r in range(n) for c in range(m)}
    if table.row_totals is not None:
        values.update({(r, m): table.row_totals[r] for r in range(n)})
    if table.column_totals is not None:
        values.update({(n, c): table.column_totals[c] for c in range(m)})
    if table.grand_total is not None:
        values[(n, m)] = table.grand_total
    return values
