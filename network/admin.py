"""Networks, their workshops and coordinators are set up by the site's operator (a
superuser): a workshop manager never makes someone a coordinator."""

from django.contrib import admin
from django.http import HttpRequest

from network.models import Coordinator, Network, NetworkMembership, PublicBuyer


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
