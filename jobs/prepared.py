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

import datetime
from collections.abc import Callable

from django.db import connection
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


def fields_of(model, prefix: str = "") -> list[str]:
    """A model's columns by name for `values_list`, in the order `instances` reads them;
    `prefix` ("workshop__") reads a related model's through a join."""
    return [prefix + field.attname for field in model._meta.concrete_fields]


def instances(model, rows, *, start: int = 0) -> list:
    """Model instances from rows that hold every concrete column of `model` (as `fields_of`
    lists them) from position `start`, converted as Django converts what it reads."""
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    rows = [row[start : start + len(fields)] for row in rows]
    reader = model._default_manager.all().query.get_compiler(connection.alias)
    converters = reader.get_converters([field.get_col(table) for field in fields])
    if converters:
        rows = reader.apply_converters(rows, converters)
    names = [field.attname for field in fields]
    return [model.from_db(connection.alias, names, list(row)) for row in rows]


def _by_pk_sql(model, *, pk: int) -> tuple[str, list]:
    rows = model._default_manager.filter(pk=pk).values_list(*fields_of(model))
    return rows.query.sql_with_params()


_BY_PK = Prepared(_by_pk_sql)


def by_pk(model, pk: int):
    """`model.objects.filter(pk=pk).first()` without building the query again each time, or
    None. For the few reads on the take's path (the order a taken unit belongs to)."""
    found = instances(model, _BY_PK.execute(model, pk=pk))
    return found[0] if found else None


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
