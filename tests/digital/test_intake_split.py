"""Splitting a digital order (issue 9): the ordinary split makes the units, then
jobs/items.py assign_items puts every item into exactly one unit by number ranges (and, under
double entry, into one unit of a second set of the same sizes). The counters stay equal to a
recount."""

import pytest
from django.db.models import Count

from jobs import counters, items, work
from jobs.digital_models import DigitalWork, Item
from jobs.models import WorkUnit
from tests.digital.intake_factories import digital_order, order_with_items


def split(order, by, size):
    order.refresh_from_db()
    sizes = work.plan_split(order=order, size=size)
    return work.split_order(order=order, by=by, sizes=sizes)


def test_every_item_is_in_exactly_one_unit(order_a, staff_a):
    order = order_with_items(order_a.workshop, order_a.company, staff_a, 1_000)
    split(order, staff_a, 25)
    units = WorkUnit.objects.filter(order=order)
    assert units.count() == 40
    assert not Item.objects.filter(order=order, unit__isnull=True).exists()
    assert not Item.objects.filter(order=order, second_unit__isnull=False).exists()
    held = units.annotate(held=Count("items")).values_list("number", "quantity", "held")
    assert all(quantity == held == 25 for _number, quantity, held in held)
    # Items keep their order: unit 1 has items 1–25, unit 40 has 976–1000.
    first = Item.objects.filter(order=order, unit__number=1).values_list("number", flat=True)
    assert list(first) == list(range(1, 26))
    assert counters.stored(order.pk) == counters.recount(order.pk)
    order.refresh_from_db()
    assert work.unsplit_quantity(order) == 0


def test_a_split_in_two_steps_and_uneven_sizes(order_a, staff_a):
    order = order_with_items(order_a.workshop, order_a.company, staff_a, 110)
    order.refresh_from_db()
    work.split_order(order=order, by=staff_a, sizes=[30, 30, 10])
    order.refresh_from_db()
    assert work.unsplit_quantity(order) == 40
    split(order, staff_a, 15)
    quantities = dict(WorkUnit.objects.filter(order=order).values_list("number", "quantity"))
    held = dict(
        Item.objects.filter(order=order)
        .values("unit__number")
        .annotate(n=Count("pk"))
        .values_list("unit__number", "n")
    )
    assert held == quantities == {1: 30, 2: 30, 3: 10, 4: 15, 5: 15, 6: 10}
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_double_entry_puts_each_item_into_two_units_of_different_sets(order_a, staff_a):
    order = order_with_items(order_a.workshop, order_a.company, staff_a, 1_000)
    items.set_checking(order=order, by=staff_a, checking=DigitalWork.Checking.DOUBLE)
    split(order, staff_a, 25)
    units = WorkUnit.objects.filter(order=order)
    assert units.count() == 80
    assert not Item.objects.filter(order=order, unit__isnull=True).exists()
    assert not Item.objects.filter(order=order, second_unit__isnull=True).exists()
    first_set = set(units.filter(number__lte=40).values_list("pk", flat=True))
    second_set = set(units.filter(number__gt=40).values_list("pk", flat=True))
    pairs = Item.objects.filter(order=order).values_list("unit", "second_unit")
    assert all(unit in first_set and second in second_set for unit, second in pairs)
    for unit in units:
        holds = Item.objects.filter(order=order).filter(
            **({"unit": unit} if unit.pk in first_set else {"second_unit": unit})
        )
        assert holds.count() == unit.quantity == 25
    assert counters.stored(order.pk) == counters.recount(order.pk)
    order.refresh_from_db()
    assert work.unsplit_quantity(order) == 0
    with pytest.raises(items.ItemError) as refused:
        items.set_checking(order=order, by=staff_a, checking=DigitalWork.Checking.EVERY)
    assert refused.value.code == "checking_locked"


def test_a_large_split_runs_in_the_background_and_assigns_too(order_a, staff_a, monkeypatch):
    monkeypatch.setattr(work, "INLINE_SPLIT_LIMIT", 5)
    monkeypatch.setattr(work, "BULK_BATCH", 7)
    order = order_with_items(order_a.workshop, order_a.company, staff_a, 100)
    items.set_checking(order=order, by=staff_a, checking=DigitalWork.Checking.DOUBLE)
    outcome = split(order, staff_a, 4)
    assert outcome.job is not None and outcome.job.status == "done"
    assert WorkUnit.objects.filter(order=order).count() == 50
    for unit in WorkUnit.objects.filter(order=order):
        assert unit.items.count() + unit.second_items.count() == unit.quantity == 4
    assert counters.stored(order.pk) == counters.recount(order.pk)


def test_a_digital_order_without_items_cannot_be_split(order_a, staff_a):
    order = digital_order(order_a.workshop, order_a.company, quantity=50)
    with pytest.raises(work.WorkError) as refused:
        split(order, staff_a, 10)
    assert refused.value.code == "items_missing"
    assert not WorkUnit.objects.filter(order=order).exists()
