"""Saves arriving at once (the page and Background Sync sending the same answer, or two
「保存して次へ」 taps) still answer an item once: one progress log, real threads, on SQLite and on
PostgreSQL (CI's second pass)."""

import threading
import uuid

import pytest
from django.db import connection

from jobs import answering
from jobs.models import Answer, ProgressLog
from tests.digital.answering_factories import items, make_digital_order, make_digital_unit, take

COMPLETE = {"name": "緑茶", "price": "598"}


def at_once(count: int, save) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run(index: int):
        try:
            barrier.wait()
            _answer, applied = save(index)
            outcomes.append("applied" if applied else "kept")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_uuid", [True, False], ids=["replays", "taps"])
def test_saves_at_once_answer_an_item_once(workshop_a, company_a, participant_a, same_uuid):
    order = make_digital_order(workshop=workshop_a, company=company_a)
    unit = take(make_digital_unit(order), participant_a)
    item = items(unit)[0]
    shared = uuid.uuid4()

    def save(_index):
        return answering.save_answer(
            participant=participant_a,
            unit=unit,
            item=item,
            values=COMPLETE,
            final=True,
            client_uuid=shared if same_uuid else uuid.uuid4(),
        )

    outcomes = at_once(4, save)
    assert all(outcome in {"applied", "kept"} for outcome in outcomes), outcomes
    assert ProgressLog.objects.filter(unit=unit).count() == 1
    assert Answer.objects.get(item=item).status == Answer.Status.ANSWERED
    if same_uuid:
        assert outcomes.count("applied") == 1
