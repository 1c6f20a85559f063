"""Statements compiled once and run many times, for the one hot path where Django building the
same SQL on every call costs more than the database running it: taking a unit (jobs/work.py).

`Prepared(build)` wraps a function that makes one statement from named values. The first call
for a shape calls `build` with stand-in values, compiles, and records which parameters are
which value; later calls reuse the SQL with the real values in place. The rule stays written
once, in the ORM (for a take, `WorkUnitQuerySet.available_to`); only its compilation is kept.

`shape` must name whatever `build` reads from other than its values as parameters: a branch
(does the person work on site?) or a number Django writes into the SQL text (LIMIT, OFFSET).
Values that are None are part of the shape by themselves (Django writes `IS NULL`). Compiling
checks what it can: a stand-in that never reaches the parameters, or reaches the SQL text, is
an error, so a value read as SQL text but missing from the shape fails at its first use."""

import contextlib
import datetime
import functools
from collections.abc import Callable, Iterator

from django.db import connection, connections
from django.db.models import sql

_INT = -987_654_321_000
_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
_TEXT = "\x00stand-in-{}\x00"


def _stand_in(name: str, value, index: int):
    if isinstance(value, datetime.datetime):
        return _TIME + datetime.timedelta(seconds=index)
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT - index
    if isinstance(value, str):
        return _TEXT.format(index)
    raise TypeError(f"{name}: a prepared statement's values are int, str or datetime")


def _db_form(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _is(param, stand_in) -> bool:
    """Whether a compiled parameter is this stand-in. Integers may come wrapped (psycopg's
    Int4, Int8, … on PostgreSQL), and are put back in the same wrapper."""
    if isinstance(stand_in, int):
        return isinstance(param, int) and not isinstance(param, bool) and param == stand_in
    return type(param) is type(_db_form(stand_in)) and param == _db_form(stand_in)


class Prepared:
    def __init__(self, build: Callable[..., tuple[str, list]]):
        self.build = build
        self._compiled: dict[tuple, tuple[str, list, list[tuple[int, str, type]]]] = {}

    def sql(self, shape, **values) -> tuple[str, list]:
        """The statement for this shape, and its parameters for these values."""
        nulls = tuple(name for name, value in values.items() if value is None)
        key = (connection.vendor, shape, nulls, tuple(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(shape, values)
        statement, params, slots = compiled
        params = list(params)
        for index, name, wrapper in slots:
            params[index] = wrapper(values[name]) if wrapper else _db_form(values[name])
        return statement, params

    def _compile(self, shape, values: dict) -> tuple[str, list, list[tuple[int, str, type]]]:
        stand_ins = {
            name: None if value is None else _stand_in(name, value, index)
            for index, (name, value) in enumerate(values.items())
        }
        statement, params = self.build(shape, **stand_ins)
        params = list(params)
        slots = []
        for name, stand_in in stand_ins.items():
            if stand_in is None:
                continue
            found = [index for index, param in enumerate(params) if _is(param, stand_in)]
            if not found or str(stand_in) in statement:
                raise ValueError(
                    f"{self.build.__name__}: {name!r} is not a parameter of the statement; "
                    "what decides its text belongs in the shape"
                )
            slots += [
                (index, name, type(params[index]) if isinstance(stand_in, int) else None)
                for index in found
            ]
        return statement, params, slots

    def execute(self, shape, **values) -> list[tuple]:
        """Run the statement; the rows it returns (none for a statement without RETURNING)."""
        statement, params = self.sql(shape, **values)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def later(self, shape, **values) -> Callable[[], list[tuple]]:
        """Run the statement now and read its rows when the returned function is called:
        within `pipelined()` on PostgreSQL the rows then arrive with the COMMIT."""
        statement, params = self.sql(shape, **values)
        cursor = connection.cursor()
        cursor.execute(statement, params)
        return rows_later(cursor)

    def send(self, shape, **values) -> None:
        """Run the statement without reading anything back: within `pipelined()` on
        PostgreSQL it travels with the next statement whose result is read, or the COMMIT."""
        statement, params = self.sql(shape, **values)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


@contextlib.contextmanager
def pipelined() -> Iterator[None]:
    """On PostgreSQL, psycopg's pipeline mode: a statement is sent at once, but its result is
    waited for only when it is read (`execute`, `fetch…`) or at the COMMIT, so statements
    sent with `send` and the COMMIT that ends the transaction share one round trip. A no-op
    on SQLite, which has no round trips.

    Only for code whose every statement inside either reads its result or needs none:
    within the pipeline a cursor's `rowcount` is not known yet, so an ORM `update()` or
    `delete()` whose count is used must not run inside. An error of a statement sent ahead
    is raised at the next read or at the COMMIT, and the transaction is rolled back as
    usual. The take (jobs/work.py `claim_unit`) enters it once its deciding UPDATE has
    won, for the counters, the event and the COMMIT."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.connection.pipeline():
        yield


def pipelining() -> bool:
    """Whether statements are being pipelined now (`pipelined()` on PostgreSQL)."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return False
    from psycopg import pq

    return connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF


def rows_later(cursor, convert: Callable[[list], list] = list) -> Callable[[], list]:
    """A function giving the rows of the statement `cursor` has just run, passed through
    `convert`: read at once (and the cursor closed) outside a pipeline; within `pipelined()`,
    only when the function is called, so that the statement is on its way meanwhile."""
    if not pipelining():
        rows = convert(cursor.fetchall())
        cursor.close()
        return lambda: rows

    def read() -> list:
        try:
            return convert(cursor.fetchall())
        finally:
            cursor.close()

    return read


def fields_of(model, prefix: str = "") -> list[str]:
    """A model's columns by name for `values_list`, in the order `instances` reads them;
    `prefix` ("workshop__") reads a related model's through a join."""
    return [prefix + field.attname for field in model._meta.concrete_fields]


def instances(model, rows, *, start: int = 0) -> list:
    """Model instances from rows that hold every concrete column of `model` (as `fields_of`
    lists them) from position `start`, converted as Django converts what it reads."""
    fields = model._meta.concrete_fields
    rows = [row[start : start + len(fields)] for row in rows]
    reader, converters = _converters(model, connections[connection.alias])
    if converters:
        rows = reader.apply_converters(rows, converters)
    names = [field.attname for field in fields]
    return [model.from_db(connection.alias, names, list(row)) for row in rows]


@functools.cache
def _converters(model, database) -> tuple:
    """How Django converts what it reads of `model`'s columns, worked out once per model and
    connection (a thread's own; the same for every row): working it out each time was a fifth
    of reading a row on the take's path."""
    reader = model._default_manager.all().query.get_compiler(connection=database)
    table = model._meta.db_table
    return reader, reader.get_converters([f.get_col(table) for f in model._meta.concrete_fields])


def _by_pk_sql(model, *, pk: int) -> tuple[str, list]:
    rows = model._default_manager.filter(pk=pk).values_list(*fields_of(model))
    return rows.query.sql_with_params()


_BY_PK = Prepared(_by_pk_sql)


def by_pk_later(model, pk: int) -> Callable:
    """`model.objects.filter(pk=pk).first()` (the instance, or None) without building the
    query again each time, its row read when the returned function is called
    (`Prepared.later`): the order a taken unit belongs to, read with the take's COMMIT."""
    rows = _BY_PK.later(model, pk=pk)

    def read():
        found = instances(model, rows())
        return found[0] if found else None

    return read


def compile_update(queryset, **values) -> tuple[str, list]:
    """The SQL of `queryset.update(**values)`, without running it."""
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    compiler = query.get_compiler(queryset.db)
    compiler.pre_sql_setup()
    return compiler.as_sql()


def compile_insert(instance, *, returning: bool = False) -> tuple[str, list]:
    """The SQL of saving this new instance (every concrete field but the primary key), without
    running it; with `returning`, the statement reads back the new primary key."""
    model = type(instance)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    query = sql.InsertQuery(model)
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(connection.alias)
    if returning:
        compiler.returning_fields = [model._meta.pk]
    [(statement, params)] = compiler.as_sql()
    return statement, list(params)
