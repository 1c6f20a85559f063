"""Networks, their workshops and coordinators are set up by the site's operator (a
superuser): a workshop manager never makes someone a coordinator. Joint orders change only
through the desk's rules (network/desk.py): the operator reads them here, and a workshop's
managers read their workshop's shares."""

from django.contrib import admin
from django.http import HttpRequest

from network.models import (
    Coordinator,
    JointOrder,
    JointOrderEvent,
    Network,
    NetworkMembership,
    PublicBuyer,
    Share,
)
from workshop.admin import ReadOnlyAdmin


class OperatorOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(OperatorOnly):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, CoordinatorInline]


@admin.register(PublicBuyer)
class PublicBuyerAdmin(OperatorOnly):
    list_display = ["company", "note"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ShareInline(ReadOnlyInline):
    model = Share
    fields = ["workshop", "quantity", "price_yen", "status", "decided_at", "reason", "order"]
    readonly_fields = fields


class JointOrderEventInline(ReadOnlyInline):
    model = JointOrderEvent
    fields = ["at", "what", "share", "actor", "note"]
    readonly_fields = fields


@admin.register(JointOrder)
class JointOrderAdmin(OperatorOnly):
    """Read only, for the operator: routing, accepting and declining are the desk's rules."""

    list_display = ["number", "title", "network", "company", "quantity", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in JointOrder._meta.fields]
    inlines = [ShareInline, JointOrderEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin):
    """A workshop's managers read their workshop's shares (scoped like every admin)."""

    list_display = ["__str__", "workshop", "quantity", "price_yen", "status", "decided_at"]
    list_filter = ["status"]
