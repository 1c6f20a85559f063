"""`UPDATE … RETURNING` for a queryset: one statement both decides (its WHERE is the rule) and
reads back the row it changed. Django's `update()` returns only a count, which would cost a
second query to read the unit back. PostgreSQL and SQLite (3.35+) both support RETURNING."""

from collections.abc import Callable

from django.db import connection

from jobs.prepared import compile_update, instances, rows_later


def update_returning(queryset, **values) -> list:
    """Run `queryset.update(**values)` and return the updated rows as model instances."""
    statement, params = compile_update(queryset, **values)
    if not statement:
        return []
    return returning(queryset.model, statement, params)


def returning(model, statement: str, params) -> list:
    """Run an UPDATE of `model`'s table with RETURNING every column; the rows as instances."""
    return returning_later(model, statement, params)()


def returning_later(model, statement: str, params) -> Callable[[], list]:
    """`returning`, its rows read when the returned function is called: within `pipelined()`
    on PostgreSQL the statement is on its way while the caller sends or reads another."""
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in model._meta.concrete_fields
    )
    cursor = connection.cursor()
    cursor.execute(f"{statement} RETURNING {columns}", params)
    return rows_later(cursor, lambda rows: instances(model, rows))
