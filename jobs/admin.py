"""Admin for the work pipeline. States are read-only here: orders and units move only through
the functions in jobs/, which check the starting state and write the event rows."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jobs.models import (
    ChangeProposal,
    Delivery,
    Order,
    OrderEvent,
    OrderFile,
    OrderMessage,
    ProgressLog,
    RedoPhrase,
    SkillTraining,
    SplitJob,
    Suggestion,
    UnitEvent,
    WorkUnit,
)
from workshop.admin import ReadOnlyAdmin, ScopedInline, ScopedModelAdmin
from workshop.adminsite import managed_workshop_ids, may_use_admin


class OrderEventInline(ScopedInline):
    model = OrderEvent
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ScopedModelAdmin):
    list_display = [
        "number",
        "title",
        "company",
        "workshop",
        "kind",
        "status",
        "quantity",
        "unit_label",
        "total_price_yen",
        "desired_delivery_date",
        "payment_date",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "status",
        "kind",
        ("workshop", admin.RelatedOnlyFieldListFilter),
        ("company", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "description", "company__name"]
    list_select_related = ["company", "workshop"]
    date_hierarchy = "desired_delivery_date"
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [OrderEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "workshop", "company"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Orders come from companies (portal or API), with their first event row.
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    workshop_lookup = "order__workshop"
    list_display = ["order", "at", "actor", "from_status", "to_status"]
    list_filter = ["to_status", ("order__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["order__title", "note"]
    list_select_related = ["order", "actor"]
    date_hierarchy = "at"


@admin.register(WorkUnit)
class WorkUnitAdmin(ScopedModelAdmin):
    list_display = [
        "__str__",
        "workshop",
        "quantity",
        "status",
        "holder",
        "home_ok",
        "skill_tag",
        "expires_at",
    ]
    list_filter = ["status", "home_ok", ("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["order__title", "holder__nickname", "skill_tag"]
    list_select_related = ["order", "workshop", "holder"]
    raw_id_fields = ["order"]
    readonly_fields = ["status", "holder", "claimed_at", "last_activity_at", "expires_at"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "order", "workshop", "number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Units are made by splitting an order, in one bulk insert.
        return request.user.is_superuser


@admin.register(ProgressLog)
class ProgressLogAdmin(ReadOnlyAdmin):
    workshop_lookup = "unit__workshop"
    list_display = ["unit", "participant", "quantity", "minutes", "created_at"]
    list_filter = [("unit__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["participant__nickname", "unit__order__title", "note"]
    list_select_related = ["unit__order", "participant"]
    date_hierarchy = "created_at"


@admin.register(OrderFile)
class OrderFileAdmin(ReadOnlyAdmin):
    """Files were checked by content when attached; nobody swaps them afterwards."""

    workshop_lookup = "order__workshop"
    list_display = ["original_name", "order", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type", ("order__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["original_name", "order__title"]
    list_select_related = ["order", "uploaded_by"]
    date_hierarchy = "uploaded_at"


@admin.register(OrderMessage)
class OrderMessageAdmin(ReadOnlyAdmin):
    """What each side wrote stays as it was written."""

    workshop_lookup = "order__workshop"
    list_display = ["order", "side", "author", "created_at"]
    list_filter = ["side", ("order__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["order__title", "body"]
    list_select_related = ["order", "author"]
    date_hierarchy = "created_at"


@admin.register(ChangeProposal)
class ChangeProposalAdmin(ReadOnlyAdmin):
    """Proposals are answered by the company in the portal (jobs/orders.py), not here."""

    workshop_lookup = "order__workshop"
    list_display = [
        "order",
        "status",
        "total_price_yen",
        "desired_delivery_date",
        "payment_date",
        "proposed_by",
        "proposed_at",
        "decided_at",
    ]
    list_filter = ["status", ("order__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["order__title", "note"]
    list_select_related = ["order", "proposed_by"]
    date_hierarchy = "proposed_at"

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        # A proposal has no visible_to of its own: whoever may see its order may see it.
        user = request.user
        if user.is_active and user.is_superuser:
            return queryset
        if not may_use_admin(request):
            return queryset.none()
        visible = queryset.filter(order__in=Order.objects.visible_to(user).values("pk"))
        return self.limit_to_workshops(visible, managed_workshop_ids(request))


# Records of what happened to units and deliveries: read here, changed only through the rules
# in jobs/work.py, jobs/review.py and jobs/deliveries.py, which record who and why.


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    workshop_lookup = "unit__workshop"
    list_display = ["at", "unit", "kind", "actor", "quantity"]
    list_filter = ["kind"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    workshop_lookup = "order__workshop"
    list_display = ["order", "number", "quantity", "delivered_on", "status"]
    list_filter = ["status"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    workshop_lookup = "unit__workshop"
    list_display = ["unit", "participant", "status"]


@admin.register(SplitJob)
class SplitJobAdmin(ReadOnlyAdmin):
    workshop_lookup = "order__workshop"
    list_display = ["order", "status"]


@admin.register(SkillTraining)
class SkillTrainingAdmin(ReadOnlyAdmin):
    workshop_lookup = "participant__workshop"
    list_display = ["participant", "skill_tag", "marked_at"]


@admin.register(RedoPhrase)
class RedoPhraseAdmin(ScopedModelAdmin):
    list_display = ["text", "workshop"]


from jobs import money_admin  # noqa: E402,F401 (the money documents, read only)
