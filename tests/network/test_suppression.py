"""Small-count suppression: counts under 5 never show, and no hidden entry can be worked out
from the shown entries and the total of its row or column, over random tables."""

from hypothesis import given, settings
from hypothesis import strategies as st

from network.suppression import Mark, all_lines, bounds, derivable_in_line, suppress, values_of


def shown_values(table) -> dict:
    return {entry: value for entry, value in values_of(table).items() if not table.hidden(*entry)}


def possible_values(line, values, marks, entry, limit=40) -> set[int]:
    """Brute force, for small tables: every value the entry can take that fits the line's
    shown entries and the bounds of its hidden ones (searched up to `limit`)."""
    hidden = [e for e in line if marks[e] is not Mark.SHOWN]
    shown_cells = sum(values[e] for e in line[:-1] if e not in hidden)
    total_shown = line[-1] not in hidden
    found = set()

    def ranges(e):
        low, high = bounds(marks[e])
        return range(low, (high if high is not None else limit) + 1)

    def search(index, chosen):
        if index == len(hidden):
            cells = shown_cells + sum(chosen[e] for e in hidden if e != line[-1])
            total = values[line[-1]] if total_shown else chosen[line[-1]]
            if cells == total:
                found.add(chosen[entry])
            return
        for value in ranges(hidden[index]):
            chosen[hidden[index]] = value
            search(index + 1, chosen)

    search(0, {})
    return found


def test_a_lone_small_count_takes_a_second_cell_with_it():
    table = suppress([[3, 10, 12], [6, 7, 9]])
    assert table.mark(0, 0) is Mark.SMALL
    # Row 0 total 25 minus 10 and 12 would give the 3 away: 10 (the smaller) is hidden too.
    assert table.mark(0, 1) is Mark.HIDDEN
    # Column 0: 3 is hidden, so 6 must be as well, else 9 - 6 gives it.
    assert table.hidden(1, 0)
    for line in all_lines(table):
        assert not derivable_in_line(line, values_of(table), table.marks)


def test_zero_is_a_count_under_five_and_large_counts_show():
    table = suppress([[0, 20], [30, 40]])
    assert table.mark(0, 0) is Mark.SMALL
    assert table.mark(1, 1) is Mark.SHOWN or table.mark(1, 1) is Mark.HIDDEN
    assert table.grand_total == 90


def test_two_small_counts_that_add_up_to_their_bounds_are_protected():
    # 4 + 4 = 8: the row total minus the shown 10 would pin both at 4.
    table = suppress([[4, 4, 10]], column_totals=False)
    assert not derivable_in_line(all_lines(table)[0], values_of(table), table.marks)
    assert table.hidden(0, 2) or table.hidden(0, 3)


def test_a_single_column_with_a_total_hides_a_second_month():
    table = suppress([[12], [3], [20]], row_totals=False)
    assert table.mark(1, 0) is Mark.SMALL
    assert table.mark(0, 0) is Mark.HIDDEN
    assert table.mark(2, 0) is Mark.SHOWN


counts = st.integers(min_value=0, max_value=25)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda m: st.lists(st.lists(counts, min_size=m, max_size=m), min_size=1, max_size=5)
)


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans(), st.booleans())
def test_no_hidden_entry_can_be_worked_out_from_its_row_or_column(cells, rows, columns):
    table = suppress(cells, row_totals=rows, column_totals=columns)
    values = values_of(table)
    for entry, value in values.items():
        if value < 5:
            assert table.mark(*entry) is Mark.SMALL, entry
    for line in all_lines(table):
        assert not derivable_in_line(line, values, table.marks), (cells, line)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=2), min_size=1, max_size=3))
def test_brute_force_agrees_every_hidden_entry_has_two_possible_values(cells):
    """Independent of the interval reasoning: enumerate what each hidden entry could be."""
    table = suppress(cells)
    values = values_of(table)
    for line in all_lines(table):
        for entry in line:
            hidden = [e for e in line if table.hidden(*e)]
            if table.hidden(*entry) and len(hidden) <= 3:
                possible = possible_values(line, values, table.marks, entry)
                assert values[entry] in possible
                assert len(possible) >= 2, (cells, line, entry, possible)
