"""Admin for companies. A company can order from several workshops, so its own records are
read-only to workshop managers: only an operator (superuser) changes them here."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from companies.models import (
    AccountRequest,
    ApiToken,
    Company,
    CompanyMembership,
    Opening,
    OpeningProposal,
    Partnership,
)
from workshop.admin import ReadOnlyAdmin, ScopedInline, ScopedModelAdmin, SuperuserWritesAdmin


class CompanyMembershipInline(ScopedInline):
    model = CompanyMembership
    writable = False
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(SuperuserWritesAdmin):
    list_display = ["name", "slug", "contact_name", "contact_email", "phone"]
    search_fields = ["name", "slug", "contact_name", "contact_email"]
    list_filter = [("workshops", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompanyMembershipInline]

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        return queryset.filter(
            pk__in=Partnership.objects.filter(workshop__in=workshop_ids).values("company")
        )


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(SuperuserWritesAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "company__name"]
    list_select_related = ["user", "company"]
    raw_id_fields = ["user"]

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        return queryset.filter(
            company__in=Partnership.objects.filter(workshop__in=workshop_ids).values("company")
        )


@admin.register(Partnership)
class PartnershipAdmin(ScopedModelAdmin):
    list_display = ["company", "workshop", "since"]
    list_filter = [("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["company__name", "workshop__name"]
    list_select_related = ["company", "workshop"]


@admin.register(AccountRequest)
class AccountRequestAdmin(ScopedModelAdmin):
    """Requests are decided on the console, which creates the company and its first member;
    here they can be read and, when they are spam, deleted."""

    list_display = ["company_name", "workshop", "contact_name", "email", "status", "created_at"]
    list_filter = ["status", ("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["company_name", "contact_name", "email"]
    list_select_related = ["workshop"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made and revoked by the company's administrators in the portal. Operators
    can see which exist and when they were used; the hash is never shown."""

    list_display = [
        "name",
        "company",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "company__name"]
    list_select_related = ["company", "created_by"]
    fields = ["name", "company", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        # A company's keys are its own business, not its workshops': managers see none.
        return queryset.none()


@admin.register(Opening)
class OpeningAdmin(ScopedModelAdmin):
    list_display = ["title", "kind", "workshop", "company", "employer_name", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "employer_name"]
    # Opened and closed through companies/openings.py, which records who and when.
    readonly_fields = ["status", "closed_at", "created_by"]


@admin.register(OpeningProposal)
class OpeningProposalAdmin(ReadOnlyAdmin):
    """Proposals move through companies/openings.py only; here they are read."""

    workshop_lookup = "opening__workshop"
    list_display = ["opening", "participant", "status", "proposed_at", "sent_at"]
    list_filter = ["status"]
