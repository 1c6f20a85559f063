"""The work itself: splitting an accepted order into units, a participant taking a unit,
logging progress and handing it in or back, and what staff do around it (suggest a unit,
reach out, release it, mark who is trained for a skill). These functions hold DESIGN.md's
invariants 1–3: a unit has one holder (one conditional UPDATE decides), claims expire when read,
and progress logs are append-only and idempotent. Every step writes a UnitEvent row.
Review (検品) is in jobs/review.py."""

import contextlib
import datetime
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import counters, orders
from jobs import items as digital_items
from jobs.models import (
    Item,
    Order,
    ProgressLog,
    SkillTraining,
    SplitJob,
    Suggestion,
    UnitEvent,
    WorkUnit,
)
from jobs.prepared import (
    Prepared,
    by_pk_later,
    compile_insert,
    compile_update,
    pipelined,
    pipelining,
)
from jobs.returning import returning_later, update_returning
from participants.models import Participant, with_workshop
from workshop.rules import RuleError

Status = WorkUnit.Status
# A background split publishes this many units per transaction (its progress bar's step).
BULK_BATCH = 10_000
MAX_UNITS_PER_SPLIT = 100_000
# Splits up to this many units are published while staff wait; larger ones by a background
# task, batch by batch, with a progress bar.
INLINE_SPLIT_LIMIT = 2000
MAX_ESTIMATED_MINUTES = 32767
# A split of more runs of equal sizes than this is inserted row by row (one prepared statement).
MAX_SERIES_RUNS = 20
Kind = UnitEvent.Kind
SPLITTABLE = {Order.Status.ACCEPTED, Order.Status.IN_PROGRESS}


class WorkError(RuleError):
    """A rule about units was not met; `code` is machine-readable, the message is kind."""


def split_sizes(
    *, quantity: int, size: int | None = None, sizes: list[int] | None = None
) -> list[int]:
    """How an order of `quantity` items divides: units of `size` (the last one smaller), or an
    explicit list of sizes that must add up to the quantity."""
    if sizes is not None:
        if any(s < 1 for s in sizes):
            raise WorkError(_("Every unit needs at least 1 item."), code="invalid_split")
        if sum(sizes) != quantity:
            raise WorkError(
                _("The units add up to %(sum)s, but %(quantity)s are left to split.")
                % {"sum": f"{sum(sizes):,}", "quantity": f"{quantity:,}"},
                code="invalid_split",
            )
        result = list(sizes)
    else:
        if not size or size < 1:
            raise WorkError(_("Choose how many items go in one unit."), code="invalid_split")
        full, rest = divmod(quantity, size)
        result = [size] * full + ([rest] if rest else [])
    if not result:
        raise WorkError(_("Nothing is left to split in this order."), code="nothing_to_split")
    if len(result) > MAX_UNITS_PER_SPLIT:
        raise WorkError(
            _("That would make more than %(max)s units; please choose larger units.")
            % {"max": f"{MAX_UNITS_PER_SPLIT:,}"},
            code="too_many_units",
        )
    return result


def unsplit_quantity(order: Order) -> int:
    """Items of the order not yet in any unit (from the order's counter: pass a fresh order)."""
    # Under double entry every item is in two units (two sets).
    return order.quantity - order.items_in_units // digital_items.entries(order)


def plan_split(
    *,
    order: Order,
    size: int | None = None,
    items: int | None = None,
    sizes: list[int] | None = None,
) -> list[int]:
    """The units a split would make, checked against what is left of the order: `sizes` as
    listed, or `items` (default: all that is left) in units of `size`. Saves nothing; the
    console's preview and the staff API's both ask here, and publishing checks again."""
    left = unsplit_quantity(order)
    if sizes is not None:
        planned = split_sizes(quantity=sum(sizes), sizes=sizes)
    else:
        items = items or left
        if items > left:
            raise _too_much_to_split(left)
        planned = split_sizes(quantity=items, size=size)
    if sum(planned) > left:
        raise _too_much_to_split(left)
    return planned


def _too_much_to_split(left: int) -> WorkError:
    return WorkError(
        _("Only %(left)s items are left to split in this order.") % {"left": f"{left:,}"},
        code="invalid_split",
    )


def runs_of(sizes: list[int]) -> list[tuple[int, int]]:
    """[100, 100, 100, 50] → [(100, 3), (50, 1)]: how a split is shown ("3 units of 100 and 1
    of 50") and stored for a background split."""
    return [(size, len(list(group))) for size, group in itertools.groupby(sizes)]


def sizes_of(runs: list) -> list[int]:
    return [size for size, count in runs for _ in range(count)]


def unit_minutes(size: int, *, largest: int, minutes: int) -> int:
    """`minutes` is the estimate for a unit of the largest size; a smaller unit (the last one,
    say) gets its share, at least a minute."""
    return max(1, min(MAX_ESTIMATED_MINUTES, round(minutes * size / largest)))


def _check_splittable(order: Order, sizes: list[int]) -> None:
    """The order (locked by the caller) can take these units now."""
    if order.status not in SPLITTABLE:
        raise WorkError(
            _("Only an accepted order can be split; this order is %(status)s.")
            % {"status": order.get_status_display()},
            code="wrong_state",
        )
    if SplitJob.objects.unfinished().filter(order=order).exists():
        raise WorkError(
            _("A split of this order is still being published. Please wait until it is done."),
            code="split_running",
        )
    left = unsplit_quantity(order)
    if sum(sizes) > left:
        raise WorkError(
            _("Only %(left)s items are left to split in this order.") % {"left": f"{left:,}"},
            code="invalid_split",
        )


def next_number(order_id: int) -> int:
    """The next unit number of an order. The caller holds the order's row lock, so two people
    adding units at once (a split, a hand-back) cannot pick the same number."""
    return (_last_number(order_id).first() or 0) + 1


def _last_number(order_id: int):
    """The order's highest unit number, as `ORDER BY number DESC LIMIT 1`: one step down the
    (order, number) index whatever the statistics say. As MAX(number), PostgreSQL planned on
    statistics from before a large split read every unit of the order instead, for each batch
    of the split: a 1,000,000-unit split spent 7.7 of its 20.6 s there."""
    return (
        WorkUnit.objects.filter(order_id=order_id)
        .order_by("-number")
        .values_list("number", flat=True)
    )


def _insert_units(
    order: Order,
    *,
    sizes: list[int],
    largest: int,
    instructions: str,
    estimated_minutes: int,
    home_ok: bool,
    skill_tag: str,
    sample_photo: str,
) -> None:
    """Insert open units at the database's speed: one INSERT … SELECT over a series of
    numbers per run of equal sizes (generate_series on PostgreSQL, a recursive series on
    SQLite), so Django builds no row; a split of many different sizes is one prepared statement
    run for every row (executemany). Who published them and when is the split's record
    (SplitJob), written once per split, not an event per unit (docs/performance.md)."""
    first = next_number(order.pk)
    now = timezone.now()
    quote = connection.ops.quote_name
    table = quote(WorkUnit._meta.db_table)
    columns = ", ".join(
        quote(name)
        for name in (
            "order_id",
            "workshop_id",
            "quantity",
            "instructions",
            "estimated_minutes",
            "home_ok",
            "skill_tag",
            "sample_photo",
            "status",
            "approved_quantity",
            "created_at",
            "number",
        )
    )
    runs = runs_of(sizes)

    def values(size: int) -> list:
        return [
            order.pk,
            order.workshop_id,
            size,
            instructions,
            unit_minutes(size, largest=largest, minutes=estimated_minutes),
            home_ok,
            skill_tag,
            sample_photo,
            Status.OPEN.value,
            0,
            connection.ops.adapt_datetimefield_value(now),
        ]

    with connection.cursor() as cursor:
        if len(runs) > MAX_SERIES_RUNS:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 12)})",
                [[*values(size), first + index] for index, size in enumerate(sizes)],
            )
        else:
            statement = _series_insert(table, columns)
            number = first
            for size, count in runs:
                cursor.execute(statement, [number, number + count - 1, *values(size)])
                number += count
    counters.added(order.pk, units=len(sizes), items=sum(sizes))
    digital_items.assign_items(order, first=first, sizes=sizes)  # digital: items


def _series_insert(table: str, columns: str) -> str:
    """INSERT one row per number from the first to the second parameter; the other columns'
    values follow as parameters."""
    row = ", ".join(["%s"] * 11)
    if connection.vendor == "postgresql":
        series = "WITH series AS (SELECT generate_series(%s::integer, %s::integer) AS n) "
    else:
        series = (
            "WITH RECURSIVE series(n) AS "
            "(SELECT %s UNION ALL SELECT n + 1 FROM series WHERE n < %s) "
        )
    return f"{series}INSERT INTO {table} ({columns}) SELECT {row}, n FROM series"


def _unit_details(
    instructions: str, estimated_minutes: int, home_ok: bool, skill_tag: str, sample_photo: str
) -> dict:
    """What every unit of a split shares, as the units and the split's record (SplitJob) keep it."""
    return {
        "instructions": instructions,
        "estimated_minutes": estimated_minutes,
        "home_ok": home_ok,
        "skill_tag": skill_tag.strip(),
        "sample_photo": sample_photo,
    }


def publish_units(
    *,
    order: Order,
    by,
    sizes: list[int],
    instructions: str = "",
    estimated_minutes: int = 30,
    home_ok: bool = True,
    skill_tag: str = "",
    sample_photo: str = "",
) -> int:
    """Create the units of a reviewed split as open units, in bulk, and start the order.
    `estimated_minutes` is for a unit of the largest size; smaller ones get their share.
    The split is recorded once, as a finished SplitJob (who, when, the sizes). Returns how many
    units were made."""
    details = _unit_details(instructions, estimated_minutes, home_ok, skill_tag, sample_photo)
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        _check_splittable(current, sizes)
        _insert_units(current, sizes=sizes, largest=max(sizes), **details)
        SplitJob.objects.create(
            order=current,
            created_by=by,
            runs=runs_of(sizes),
            total=len(sizes),
            done_count=len(sizes),
            status=SplitJob.Status.DONE,
            finished_at=timezone.now(),
            **details,
        )
        if current.status == Order.Status.ACCEPTED:
            orders.start_work(order=current, by=by)
    return len(sizes)


@dataclass(frozen=True)
class SplitOutcome:
    """What `split_order` did: published `published` units now, or started `job`."""

    published: int
    job: SplitJob | None = None


def split_order(
    *,
    order: Order,
    by,
    sizes: list[int],
    instructions: str = "",
    estimated_minutes: int = 30,
    home_ok: bool = True,
    skill_tag: str = "",
    sample_photo: str = "",
) -> SplitOutcome:
    """Publish a reviewed split: at once if it is small, else as a background task (SplitJob)
    that publishes batch by batch while the order's pages stay usable."""
    details = _unit_details(instructions, estimated_minutes, home_ok, skill_tag, sample_photo)
    if len(sizes) <= INLINE_SPLIT_LIMIT:
        return SplitOutcome(published=publish_units(order=order, by=by, sizes=sizes, **details))
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        _check_splittable(current, sizes)
        job = SplitJob.objects.create(
            order=current, created_by=by, runs=runs_of(sizes), total=len(sizes), **details
        )
        # With the database backend the task row is part of this transaction: no task for a
        # split that was rolled back. The immediate backend (development, tests) runs it here.
        run_split_job.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return SplitOutcome(published=0, job=job)


@task()
def run_split_job(job_id: int) -> None:
    publish_split_job(job_id=job_id)


def publish_split_job(*, job_id: int) -> SplitJob:
    """Publish a SplitJob's units, one batch per transaction, so that other writers get their
    turn between batches. Resumable: a retried task carries on from `done_count`."""
    job = SplitJob.objects.get(pk=job_id)
    if job.finished:
        return job
    SplitJob.objects.filter(pk=job_id, status=SplitJob.Status.QUEUED).update(
        status=SplitJob.Status.RUNNING
    )
    sizes = sizes_of(job.runs)
    largest = max(sizes)
    while True:
        try:
            with transaction.atomic():
                current = SplitJob.objects.select_for_update().get(pk=job_id)
                if current.done_count >= current.total:
                    SplitJob.objects.filter(pk=job_id).update(
                        status=SplitJob.Status.DONE, finished_at=timezone.now()
                    )
                    break
                order = Order.objects.select_for_update().get(pk=job.order_id)
                if order.status not in SPLITTABLE:
                    raise WorkError(
                        _("The order is %(status)s now, so the rest was not published.")
                        % {"status": order.get_status_display()},
                        code="wrong_state",
                    )
                batch = sizes[current.done_count : current.done_count + BULK_BATCH]
                if sum(batch) > unsplit_quantity(order):
                    raise WorkError(
                        _("The order has fewer items left than this split needs."),
                        code="invalid_split",
                    )
                _insert_units(
                    order,
                    sizes=batch,
                    largest=largest,
                    instructions=job.instructions,
                    estimated_minutes=job.estimated_minutes,
                    home_ok=job.home_ok,
                    skill_tag=job.skill_tag,
                    sample_photo=job.sample_photo,
                )
                if order.status == Order.Status.ACCEPTED:
                    orders.start_work(order=order, by=job.created_by)
                SplitJob.objects.filter(pk=job_id).update(
                    done_count=current.done_count + len(batch)
                )
        except WorkError as refused:
            SplitJob.objects.filter(pk=job_id).update(
                status=SplitJob.Status.FAILED, error=refused.message, finished_at=timezone.now()
            )
            break
    analyze_units()
    job.refresh_from_db()
    return job


def analyze_units() -> None:
    """After a large split, refresh PostgreSQL's statistics of the units table now rather than
    when autovacuum gets to it: plans made on stale statistics (a table "of 1,000 rows" that
    now has 100,000 more) are what made pages slow right after a split. SQLite needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(WorkUnit._meta.db_table)}")


def _event_sql(_shape, **values) -> tuple[str, list]:
    return compile_insert(UnitEvent(**values), returning=True)


_EVENT = Prepared(_event_sql)


def _event_values(
    unit_id: int,
    kind: str,
    *,
    by=None,
    participant: Participant | None = None,
    quantity: int | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> dict:
    return {
        "unit_id": unit_id,
        "kind": str(kind),
        "actor_id": getattr(by, "pk", by),
        "participant_id": getattr(participant, "pk", participant),
        "quantity": quantity,
        "note": str(note),
        "at": at or timezone.now(),
    }


def record_event(unit_id: int, kind: str, **details) -> UnitEvent:
    """Record what happened to a unit (who, for whom, how many, a note, when); the event."""
    values = _event_values(unit_id, kind, **details)
    [(pk,)] = _EVENT.execute(None, **values)
    event = UnitEvent(pk=pk, **values)
    event._state.adding, event._state.db = False, connection.alias
    return event


def send_event(unit_id: int, kind: str, **details) -> None:
    """`record_event` without reading the new row's id back: in a pipelined take
    (`prepared.pipelined`) the INSERT then travels with the COMMIT."""
    _EVENT.send(None, **_event_values(unit_id, kind, **details))


def _expiry(participant: Participant, now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=participant.workshop.claim_timeout_hours)


def units_in_hand(participant: Participant, now: datetime.datetime) -> int:
    """Units that count against the hold limit: taken and not expired, or sent back for a redo.
    Units handed in and waiting for review do not count."""
    return WorkUnit.objects.filter(holder=participant).filter(_in_hand(now)).count()


def _in_hand(now: datetime.datetime) -> Q:
    # The status list first, so that PostgreSQL reads `unit_held_by_holder` (its condition
    # follows from it) and never the person's approved units.
    return Q(status__in=[Status.CLAIMED, Status.REDO]) & (
        Q(status=Status.CLAIMED, expires_at__gte=now) | Q(status=Status.REDO)
    )


def _lock_sql(by: str, *, person: int, unit: int | None) -> tuple[str, list]:
    people = Participant.objects.select_for_update(of=("self",))
    mine = people.own_record(person) if by == "user" else people.filter(pk=person).order_by()
    if unit is None:
        mine = mine.annotate(suggested=Value(False))
    else:
        suggested = Suggestion.objects.filter(unit=unit, status=Suggestion.Status.OPEN)
        mine = mine.annotate(suggested=Exists(suggested))
    return mine.with_workshop_columns("suggested").query.sql_with_params()


_LOCK = Prepared(_lock_sql)


def _refuse_if_paused(participant: Participant) -> None:
    """Only an active participant takes work; one taking a break is told how to start again."""
    if participant.status != Participant.Status.ACTIVE:
        raise WorkError(
            _("Your participation is paused; talk to staff to start again."), code="not_active"
        )


def _lock_taker(unit_id: int | None, *, participant: int | None = None, user: int | None = None):
    """The taker's row, locked (one take at a time per person, so that two taps cannot pass
    the hold limit together), read afresh with their workshop and whether the unit has open
    suggestions (`suggested`): by the participant's id, or by the signed-in user's id (their
    own record, `ParticipantQuerySet.own_record`, so that the phone's take reads it here
    rather than in a round trip of its own). Participant.DoesNotExist if there is none.
    The hold limit is not counted here but in the deciding UPDATE (`_has_room`): on PostgreSQL
    a count beside the FOR UPDATE would be read from the snapshot taken before waiting for the
    lock, missing the take that held it (the concurrency tests on PostgreSQL caught exactly
    that), while the next statement's snapshot is taken after the lock is ours."""
    return _lock_later(unit_id, participant=participant, user=user)()


def _lock_later(unit_id: int | None, *, participant: int | None = None, user: int | None = None):
    """`_lock_taker`, the row read (and a paused person refused) when the returned function is
    called: within `pipelined()` the lock is then on its way with the statement sent next."""
    by, person = ("pk", participant) if user is None else ("user", user)
    locked = _LOCK.later(by, person=person, unit=unit_id)

    def taker() -> Participant:
        rows = locked()
        if not rows:
            raise Participant.DoesNotExist
        [row] = rows
        taker = with_workshop(row)
        taker.suggested = bool(row[-1])
        _refuse_if_paused(taker)
        return taker

    return taker


def _has_room(taker_id: int, limit: int, now: datetime.datetime) -> Q:
    """The hold limit as part of the deciding UPDATE's WHERE: the taker has no `limit`-th unit
    in hand (`NOT EXISTS (… LIMIT 1 OFFSET limit - 1)`, which reads at most `limit` rows of the
    holder index). It does not depend on the unit being updated, so PostgreSQL evaluates it
    once, with the UPDATE's snapshot: taken after the taker's lock, so it sees every take of
    theirs that held the lock before."""
    in_hand = WorkUnit.objects.filter(holder=taker_id).filter(_in_hand(now)).order_by()
    return ~Exists(in_hand[limit - 1 : limit])


def _refuse_if_full(taker: Participant, now: datetime.datetime) -> None:
    """After a take that changed nothing: say so if it was the hold limit (a statement of its
    own, after the lock, so that its count is current)."""
    if units_in_hand(taker, now) >= taker.workshop.hold_limit:
        raise WorkError(
            _("You already have %(limit)s units. Finish or hand one back first.")
            % {"limit": taker.workshop.hold_limit},
            code="hold_limit",
        )


def _taken(taker_id: int, now: datetime.datetime, until: datetime.datetime) -> dict:
    """What a take writes on the unit."""
    return {
        "status": Status.CLAIMED,
        "holder_id": taker_id,
        "claimed_at": now,
        "last_activity_at": now,
        "expires_at": until,
    }


def _take(units, taker: Participant, now: datetime.datetime) -> WorkUnit | None:
    """The conditional UPDATE … RETURNING that gives one of `units` to the taker, or None."""
    taken = update_returning(units, **_taken(taker.pk, now, _expiry(taker, now)))
    return taken[0] if taken else None


def _take_chosen_sql(shape, *, person, workshop, unit, now, until) -> tuple[str, list]:
    works_on_site, limit = shape
    taker = Participant(pk=person, workshop_id=workshop, works_on_site=works_on_site)
    taker._state.adding = False
    # The availability rule joins the order, so Django puts it in a subquery; the unit's own
    # status stays in the UPDATE's WHERE, where PostgreSQL checks it again after waiting for
    # a row another taker holds (a status inside the subquery would be read from before).
    offered = WorkUnit.objects.available_to(taker).filter(pk=unit)
    units = WorkUnit.objects.filter(
        _has_room(person, limit, now), pk=unit, status=Status.OPEN, pk__in=offered.values("pk")
    )
    return compile_update(units, **_taken(person, now, until))


# The take of a chosen open unit, compiled once per (works on site, hold limit): Django
# building it took most of a take's time (docs/performance.md).
_TAKE_CHOSEN = Prepared(_take_chosen_sql)


def _after_take(unit: WorkUnit, taker: Participant, now, *, was: str, suggested: bool) -> None:
    counters.moved(unit.order_id, was, Status.CLAIMED)
    send_event(unit.pk, Kind.CLAIMED, by=taker.user_id, participant=taker, at=now)
    if suggested:
        # A suggestion to this person has been taken up; suggestions to others lapse quietly.
        Suggestion.objects.filter(unit=unit.pk, status=Suggestion.Status.OPEN).update(
            status=Case(
                When(participant=taker, then=Value(Suggestion.Status.TAKEN)),
                default=Value(Suggestion.Status.WITHDRAWN),
            ),
            decided_at=now,
        )


def claim_unit(
    *,
    unit_id: int,
    participant: Participant | None = None,
    user: int | None = None,
    now: datetime.datetime | None = None,
    with_order: bool = False,
) -> WorkUnit:
    """Take a unit. One conditional UPDATE decides between people taking it at once: exactly one
    wins, the others get WorkError(code="taken"), which the page answers calmly. The rule of
    what may be offered (jobs.models.WorkUnitQuerySet.available_to) is part of that UPDATE's
    WHERE, and so is the hold limit: an open unit is taken in four statements (lock the
    taker, the UPDATE … RETURNING that decides, the order's counters, the event).

    A claim that has expired counts as open. If its holder logged some work, that work stays
    theirs: their part is handed in for review and the rest becomes a new unit, which is the
    one taken here (its number differs from `unit_id`'s: the page says so).

    The taker is `participant`, or the signed-in `user`'s own record, read by the lock (the
    phone's take: one round trip fewer; Participant.DoesNotExist if they have none). Either
    way the unit taken comes back with `holder` set to the taker, read afresh with their
    workshop. `with_order` also reads the unit's order (for the page that says what is now
    yours); on PostgreSQL it travels with the COMMIT, costing no round trip of its own."""
    now = now or timezone.now()
    if participant is not None:
        _refuse_if_paused(participant)
        with contextlib.suppress(_TakerChanged):
            return _claim(unit_id, now, with_order=with_order, assumed=participant)
    # Taken again from the row the lock reads: the phone's take, or a person staff changed
    # since the caller read them.
    taker = participant and participant.pk
    return _claim(unit_id, now, with_order=with_order, participant=taker, user=user)


class _TakerChanged(Exception):
    """The taker's locked row differs from what the take's UPDATE was built for."""


def _what_a_take_depends_on(taker: Participant) -> tuple:
    workshop = taker.workshop
    return (taker.works_on_site, workshop.pk, workshop.hold_limit, workshop.claim_timeout_hours)


def _claim(
    unit_id: int, now, *, with_order: bool, assumed=None, participant=None, user=None
) -> WorkUnit:
    """One take, in one transaction. With `assumed` (the taker as the caller read them), the
    lock and the deciding UPDATE built for that taker are sent together (on PostgreSQL one
    round trip: the UPDATE still runs after the lock is granted, so its hold-limit count sees
    every earlier take of theirs), and the locked row is checked against `assumed` before
    anything is used: if staff changed what the take depends on in between, it all rolls back
    (_TakerChanged) and the caller takes again from the locked row. Without `assumed`, the
    lock is read first and the UPDATE built from it."""
    with contextlib.ExitStack() as pipeline, transaction.atomic():
        if assumed is None:
            taker = _lock_taker(unit_id, participant=participant, user=user)
            taken = _decide(taker, unit_id, now)()
        else:
            expected = _what_a_take_depends_on(assumed)  # (reads their workshop if not yet)
            pipeline.enter_context(pipelined())
            locked = _lock_later(unit_id, participant=assumed.pk)
            decided = _decide(assumed, unit_id, now)
            taker = locked()
            if _what_a_take_depends_on(taker) != expected:
                raise _TakerChanged
            taken = decided()
        unit = taken[0] if taken else None
        was = Status.OPEN
        if unit is None:
            pipeline.close()  # what follows reads update counts: not within a pipeline
            _refuse_if_full(taker, now)
            unit, was = _take_not_open(unit_id, taker, now)
        # What is left only writes: on PostgreSQL it goes to the database with the COMMIT,
        # in one round trip instead of three (the pipeline closes after the transaction).
        if not pipelining():
            pipeline.enter_context(pipelined())
        _after_take(unit, taker, now, was=was, suggested=taker.suggested or unit.pk != unit_id)
        order = by_pk_later(Order, unit.order_id) if with_order else None
    if order is not None:
        unit.order = order()
    unit.holder = taker
    return unit


def _decide(taker: Participant, unit_id: int, now) -> Callable[[], list]:
    """The conditional UPDATE … RETURNING that takes the chosen open unit for `taker`, sent;
    its rows (the unit, or none) read by the returned function."""
    statement, params = _TAKE_CHOSEN.sql(
        (taker.works_on_site, taker.workshop.hold_limit),
        person=taker.pk,
        workshop=taker.workshop_id,
        unit=unit_id,
        now=now,
        until=_expiry(taker, now),
    )
    return returning_later(WorkUnit, statement, params)


def _take_not_open(unit_id: int, taker: Participant, now) -> tuple[WorkUnit, str]:
    """The unit was not simply open: say why, or take an expired claim (handing its holder's
    logged part in first). Returns the unit taken and the status it had."""
    unit = WorkUnit.objects.filter(pk=unit_id, workshop_id=taker.workshop_id).first()
    if unit is None:
        raise WorkError(_("This unit is not available."), code="not_found")
    # The same rule that decides what is offered decides what can be taken: a unit that
    # needs training, or work at the workshop, cannot be taken by typing its address.
    if not WorkUnit.objects.available_to(taker).filter(pk=unit.pk).exists():
        raise WorkError(
            _("This unit is not one you can take. Please ask staff if you would like to try it."),
            code="not_offered",
        )
    if unit.is_claim_expired(now) and unit.holder_id != taker.pk:
        unit = _expire(unit, now=now) or unit
    if unit.status == Status.OPEN:
        candidates, was = WorkUnit.objects.filter(pk=unit.pk, status=Status.OPEN), Status.OPEN
    else:
        candidates = WorkUnit.objects.filter(
            pk=unit.pk, status=Status.CLAIMED, expires_at__lt=now, holder=taker
        )
        was = Status.CLAIMED
    taken = _take(candidates, taker, now)
    if taken is None:
        raise WorkError(_("Someone took this unit a moment ago."), code="taken")
    return taken, was


def take_next(
    *, participant: Participant, order_id: int | None = None, now: datetime.datetime | None = None
) -> WorkUnit:
    """「次の作業をもらう」: take the next open unit of an order (or of anything the person may
    take), whichever one nobody else is taking this moment. On PostgreSQL the candidate is
    chosen with FOR UPDATE SKIP LOCKED, so that people taking at once each get a different
    unit instead of all reaching for the first; on SQLite writes are serial and the conditional
    UPDATE alone decides. Refuses calmly with code "none_left" when there is nothing to take."""
    now = now or timezone.now()
    _refuse_if_paused(participant)
    with transaction.atomic():
        taker = _lock_taker(None, participant=participant.pk)
        units = WorkUnit.objects.available_to(taker).filter(status=Status.OPEN)
        if order_id is None:
            # The order due first that has work for this person: a few orders, not the units.
            order_id = (
                Order.objects.open()
                .filter(workshop=taker.workshop_id)
                .filter(Exists(units.filter(order=OuterRef("pk"))))
                .order_by("desired_delivery_date", "pk")
                .values_list("pk", flat=True)
                .first()
            )
        candidates = units.filter(order=order_id).order_by("number")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        unit = None
        for _attempt in range(3):
            # `pk = (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED)`, a scalar subquery run once; as
            # `pk IN (…)` PostgreSQL may run it again for each row it scans, each time skipping
            # the row it just locked, and give one person many units in one UPDATE.
            unit = _take(
                WorkUnit.objects.filter(
                    _has_room(taker.pk, taker.workshop.hold_limit, now),
                    pk=Subquery(candidates.values("pk")[:1]),
                    status=Status.OPEN,
                ),
                taker,
                now,
            )
            if unit is not None:
                break
            _refuse_if_full(taker, now)
        if unit is None:
            raise WorkError(
                _("There is no more of this work to take right now. Thank you!"),
                code="none_left",
            )
        _after_take(unit, taker, now, was=Status.OPEN, suggested=True)
    return unit


def _expire(unit: WorkUnit, *, now: datetime.datetime) -> WorkUnit | None:
    """End an expired claim as if it had been handed back. Returns the unit that is now open
    (the same one, or the new one holding the rest), or None if someone else got there first."""
    locked = (
        WorkUnit.objects.select_for_update()
        .filter(pk=unit.pk, status=Status.CLAIMED, expires_at__lt=now)
        .first()
    )
    if locked is None:
        return None
    record_event(locked.pk, Kind.EXPIRED, participant=locked.holder, at=now)
    return _hand_back(locked, now=now)


def _hand_back(unit: WorkUnit, *, now: datetime.datetime, by=None) -> WorkUnit:
    """What was logged stays credited to whoever logged it; only the rest opens again."""
    from jobs import answering  # digital work: drafts go with the claim (imports this module)

    answering.drop_drafts(unit)
    logged = unit.logs.aggregate(total=Sum("quantity"))["total"] or 0
    if logged == 0:
        WorkUnit.objects.filter(pk=unit.pk).update(
            status=Status.OPEN, holder=None, claimed_at=None, expires_at=None, last_activity_at=now
        )
        counters.moved(unit.order_id, unit.status, Status.OPEN)
        unit.refresh_from_db()
        return unit
    WorkUnit.objects.filter(pk=unit.pk).update(
        status=Status.SUBMITTED, quantity=logged, expires_at=None, last_activity_at=now
    )
    counters.moved(unit.order_id, unit.status, Status.SUBMITTED)
    record_event(unit.pk, Kind.SUBMITTED, by=by, participant=unit.holder, quantity=logged, at=now)
    _checking_handed_in(unit)
    rest = unit.quantity - logged
    if rest <= 0:
        unit.refresh_from_db()
        return unit
    return reopen_rest(unit, quantity=rest, by=by, at=now)


def reopen_rest(unit: WorkUnit, *, quantity: int, by=None, at=None) -> WorkUnit:
    """A new open unit for `quantity` items that `unit` no longer holds (handed back part-done,
    or approved in part), like it in every other way. Call inside a transaction."""
    Order.objects.select_for_update().filter(pk=unit.order_id).values("pk").first()
    rest = WorkUnit.objects.create(
        order_id=unit.order_id,
        workshop_id=unit.workshop_id,
        number=next_number(unit.order_id),
        quantity=quantity,
        instructions=unit.instructions,
        estimated_minutes=max(1, unit.estimated_minutes * quantity // unit.quantity),
        home_ok=unit.home_ok,
        skill_tag=unit.skill_tag,
        sample_photo=unit.sample_photo,
    )
    # The items move from `unit` (the caller made it smaller) to the new one.
    counters.added(unit.order_id, units=1, items=0)
    from jobs import answering  # digital work: the unanswered items go too (imports this module)

    answering.move_unanswered(unit, rest)
    record_event(
        rest.pk,
        Kind.REST_REOPENED,
        by=by,
        quantity=quantity,
        note=_("The rest of unit %(number)s.") % {"number": unit.number},
        at=at,
    )
    return rest


def release_unit(*, unit: WorkUnit, participant: Participant, reason: str = "") -> WorkUnit:
    """今日はここまで: hand a unit back, with no penalty. Logged work stays the person's and goes
    to review; the rest opens for others. Returns the unit now open (or the handed-in one)."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            WorkUnit.objects.select_for_update()
            .filter(pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO])
            .first()
        )
        if locked is None:
            raise WorkError(_("This unit is no longer with you."), code="not_holder")
        record_event(
            locked.pk,
            Kind.RELEASED,
            by=participant.user_id,
            participant=participant,
            note=reason.strip(),
            at=now,
        )
        return _hand_back(locked, now=now, by=participant.user_id)


def log_progress(
    *,
    unit: WorkUnit,
    participant: Participant,
    client_uuid: uuid.UUID,
    quantity: int = 0,
    minutes: int = 0,
    note: str = "",
    place: str = "home",
    photo=None,
) -> tuple[ProgressLog, bool]:
    """Record work done. The phone makes the UUID, so a retry (a weak connection, the offline
    queue) returns the first log and never counts twice. Returns (log, created)."""
    existing = ProgressLog.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.participant_id != participant.pk or existing.unit_id != unit.pk:
            raise WorkError(
                _("This record was already used for something else."), code="uuid_reused"
            )
        return existing, False
    if quantity < 0 or minutes < 0:
        raise WorkError(_("Numbers cannot be below zero."), code="invalid")
    if quantity == 0 and minutes == 0 and not note.strip():
        raise WorkError(_("Please enter how many, the minutes, or a note."), code="invalid")
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = (
                WorkUnit.objects.select_for_update()
                .filter(pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO])
                .first()
            )
            if locked is None:
                raise WorkError(_("This unit is no longer with you."), code="not_holder")
            if quantity and _has_items(locked):
                # A digital unit's quantity done is its answered items (jobs/answering.py):
                # a count typed beside them would be counted twice. Minutes and notes are fine.
                raise WorkError(
                    _("For this work, each item you answer counts by itself: no need to count."),
                    code="answer_items",
                )
            logged = locked.logs.aggregate(total=Sum("quantity"))["total"] or 0
            if logged + quantity > locked.quantity:
                raise WorkError(
                    _("This unit has %(left)s left to do.") % {"left": locked.quantity - logged},
                    code="too_many",
                )
            log = ProgressLog.objects.create(
                unit=locked,
                participant=participant,
                client_uuid=client_uuid,
                quantity=quantity,
                minutes=minutes,
                note=note.strip(),
                place=place,
                photo=photo or "",
                created_at=now,
            )
            # Logging is activity: the claim is kept for another full timeout from now.
            WorkUnit.objects.filter(pk=locked.pk, status=Status.CLAIMED).update(
                last_activity_at=now, expires_at=_expiry(participant, now)
            )
    except IntegrityError:
        # The same UUID arrived twice at once: the other request wrote it.
        return ProgressLog.objects.get(client_uuid=client_uuid), False
    return log, True


def _has_items(unit: WorkUnit) -> bool:
    """Whether the unit holds items of digital work (first or second entry)."""
    return Item.objects.filter(Q(unit=unit.pk) | Q(second_unit=unit.pk)).exists()


def finish_unit(*, unit: WorkUnit, participant: Participant) -> WorkUnit:
    """できました: send the unit for review."""
    now = timezone.now()
    with transaction.atomic():
        held = (
            WorkUnit.objects.select_for_update()
            .filter(pk=unit.pk, holder=participant, status__in=[Status.CLAIMED, Status.REDO])
            .values("order_id", "status")
            .first()
        )
        if held is None:
            raise WorkError(_("This unit is no longer with you."), code="not_holder")
        WorkUnit.objects.filter(pk=unit.pk).update(
            status=Status.SUBMITTED, expires_at=None, last_activity_at=now
        )
        counters.moved(held["order_id"], held["status"], Status.SUBMITTED)
        record_event(
            unit.pk, Kind.SUBMITTED, by=participant.user_id, participant=participant, at=now
        )
        _checking_handed_in(unit)
    unit.refresh_from_db()
    return unit


def _checking_handed_in(unit: WorkUnit) -> None:
    """Digital work is checked answer by answer (double entry compares, spot checks draw)."""
    from jobs import checking

    checking.handed_in(unit=unit)


# --- what staff do around the work ---------------------------------------------------------


def release_unit_by_staff(*, unit: WorkUnit, by, note: str = "") -> WorkUnit:
    """Staff free a unit that someone holds (after talking with them, say). It is the same as the
    person handing it back: nothing is held against them, what they logged stays theirs and goes
    to review, and the rest opens for others. Returns the unit now open (or the handed-in one)."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            WorkUnit.objects.select_for_update(of=("self",))
            .filter(pk=unit.pk, status__in=[Status.CLAIMED, Status.REDO])
            .select_related("holder")
            .first()
        )
        if locked is None:
            raise WorkError(_("Nobody holds this unit now."), code="not_held")
        record_event(
            locked.pk,
            Kind.RELEASED_BY_STAFF,
            by=by,
            participant=locked.holder,
            note=note.strip(),
            at=now,
        )
        return _hand_back(locked, now=now, by=by)


def reach_out(*, unit: WorkUnit, by, note: str = "") -> UnitEvent:
    """Staff got in touch with the person holding a quiet unit (a message, a call, a word at
    the workshop). Only a record: the unit and its claim stay as they are."""
    with transaction.atomic():
        held = (
            WorkUnit.objects.filter(
                pk=unit.pk, status__in=[Status.CLAIMED, Status.REDO, Status.SUBMITTED]
            )
            .select_related("holder")
            .first()
        )
        if held is None or held.holder is None:
            raise WorkError(_("Nobody holds this unit now."), code="not_held")
        return record_event(
            held.pk, Kind.REACHED_OUT, by=by, participant=held.holder, note=note.strip()
        )


def suggest_unit(*, unit: WorkUnit, participant: Participant, by, note: str = "") -> Suggestion:
    """Offer a unit to one participant. They see it as a suggestion they may take or leave; the
    unit stays open, and anyone else may still take it."""
    now = timezone.now()
    with transaction.atomic():
        if participant.status != Participant.Status.ACTIVE:
            raise WorkError(
                _("%(name)s is taking a break; suggestions can wait.")
                % {"name": participant.nickname},
                code="not_active",
            )
        offered = (
            WorkUnit.objects.filter(pk=unit.pk).claimable(now).available_to(participant).first()
        )
        if offered is None:
            if not WorkUnit.objects.filter(pk=unit.pk).claimable(now).exists():
                raise WorkError(_("Someone has taken this unit already."), code="taken")
            raise WorkError(
                _("This unit does not fit %(name)s: where they work or a skill it needs.")
                % {"name": participant.nickname},
                code="not_available",
            )
        if Suggestion.objects.filter(
            unit=offered, participant=participant, status=Suggestion.Status.OPEN
        ).exists():
            raise WorkError(
                _("This unit is already suggested to %(name)s.") % {"name": participant.nickname},
                code="already_suggested",
            )
        suggestion = Suggestion.objects.create(
            unit=offered, participant=participant, suggested_by=by, note=note.strip(), at=now
        )
        record_event(offered.pk, Kind.SUGGESTED, by=by, participant=participant, note=note, at=now)
    from participants.reminders import Reminder, remind

    remind(participant=participant, kind=Reminder.SUGGESTION, url="/today/")
    return suggestion


def decline_suggestion(*, unit_id: int, participant: Participant) -> Suggestion:
    """「今回はやめておきます」: the participant leaves a suggestion. Nothing else happens; staff
    see it on the unit's history so that they do not ask again."""
    now = timezone.now()
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update()
            .filter(unit_id=unit_id, participant=participant, status=Suggestion.Status.OPEN)
            .first()
        )
        if suggestion is None:
            raise WorkError(_("This suggestion is no longer open."), code="not_found")
        Suggestion.objects.filter(pk=suggestion.pk).update(
            status=Suggestion.Status.DECLINED, decided_at=now
        )
        record_event(
            unit_id, Kind.SUGGESTION_DECLINED, by=participant.user_id, participant=participant
        )
    suggestion.refresh_from_db()
    return suggestion


def withdraw_suggestion(*, suggestion: Suggestion, by) -> Suggestion:
    now = timezone.now()
    with transaction.atomic():
        withdrawn = Suggestion.objects.filter(
            pk=suggestion.pk, status=Suggestion.Status.OPEN
        ).update(status=Suggestion.Status.WITHDRAWN, decided_at=now)
        if withdrawn != 1:
            raise WorkError(_("This suggestion is no longer open."), code="not_found")
        record_event(
            suggestion.unit_id,
            Kind.SUGGESTION_WITHDRAWN,
            by=by,
            participant=suggestion.participant,
            at=now,
        )
    suggestion.refresh_from_db()
    return suggestion


def mark_trained(*, participant: Participant, skill_tag: str, by) -> SkillTraining:
    """From now on, units tagged with this skill are offered to this participant too."""
    tag = skill_tag.strip()
    if not tag:
        raise WorkError(_("Please enter the skill."), code="invalid")
    if len(tag) > SkillTraining._meta.get_field("skill_tag").max_length:
        raise WorkError(_("Please keep the skill name short."), code="invalid")
    with transaction.atomic():
        training, _created = SkillTraining.objects.get_or_create(
            participant=participant, skill_tag=tag, defaults={"marked_by": by}
        )
    return training


def unmark_trained(*, training: SkillTraining, by) -> None:
    """Units with this skill are no longer offered to the person; units they hold stay theirs."""
    SkillTraining.objects.filter(pk=training.pk).delete()
