"""Set the orders' unit counters (0009) from the units they have. One UPDATE per counter for
all orders, each a correlated count the database does in one pass."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

COUNTED = {
    "units_total": (Count, "pk", None),
    "units_claimed": (Count, "pk", "claimed"),
    "units_submitted": (Count, "pk", "submitted"),
    "units_redo": (Count, "pk", "redo"),
    "units_approved": (Count, "pk", "approved"),
    "items_in_units": (Sum, "quantity", None),
    "items_approved": (Sum, "approved_quantity", None),
}


def backfill(apps, schema_editor):
    Order = apps.get_model("jobs", "Order")
    WorkUnit = apps.get_model("jobs", "WorkUnit")
    for name, (aggregate, field, status) in COUNTED.items():
        units = WorkUnit.objects.filter(order=OuterRef("pk"))
        if status:
            units = units.filter(status=status)
        figure = units.order_by().values("order").annotate(figure=aggregate(field)).values("figure")
        Order.objects.update(
            **{name: Coalesce(Subquery(figure, output_field=IntegerField()), Value(0))}
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0009_counters_and_offer_indexes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
