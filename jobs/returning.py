"""`UPDATE … RETURNING` for a queryset: one statement both decides (its WHERE is the rule) and
reads back the row it changed. Django's `update()` returns only a count, which would cost a
second query to read the unit back. PostgreSQL and SQLite (3.35+) both support RETURNING."""

from django.db import connections
from django.db.models import sql


def update_returning(queryset, **values) -> list:
    """Run `queryset.update(**values)` and return the updated rows as model instances."""
    model = queryset.model
    db = queryset.db
    connection = connections[db]
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    compiler = query.get_compiler(db)
    compiler.pre_sql_setup()
    statement, params = compiler.as_sql()
    if not statement:
        return []
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} RETURNING {columns}", params)
        rows = cursor.fetchall()
    reader = model._default_manager.all().query.get_compiler(db)
    converters = reader.get_converters([field.get_col(table) for field in fields])
    if converters:
        rows = reader.apply_converters(rows, converters)
    names = [field.attname for field in fields]
    return [model.from_db(db, names, list(row)) for row in rows]
