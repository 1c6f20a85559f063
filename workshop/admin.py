"""Django admin for managers and operators, scoped like every other page.

Who gets in: superusers (operators of the whole installation) and the managers of at least one
workshop. Plain staff, company members and participants have their own screens and no admin.
A manager sees, in every changelist and in every foreign-key choice, only what belongs to the
workshops they manage. Pipeline states (order and unit status, claims) are read-only here: they
change only through the transition functions, which write the event rows."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from companies.models import CompanyMembership
from participants.models import Participant
from workshop.adminsite import managed_workshop_ids, may_use_admin
from workshop.models import AuditLog, StaffMembership, User, Workshop


def scoped_choices(site: admin.AdminSite, model: type[Model], request: HttpRequest) -> QuerySet:
    """The rows of `model` this person may pick in a form: what its own admin would list."""
    related_admin = site._registry.get(model)
    if isinstance(related_admin, ScopedModelAdmin):
        return related_admin.get_queryset(request)
    queryset = model._default_manager.all()
    if request.user.is_superuser:
        return queryset
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(request.user)
    return queryset.none()


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by a related row that offers only rows this person may pick (`scoped_choices`)
    among those the list refers to. Django's own RelatedOnlyFieldListFilter offers every row
    the list refers to: a company shared with another workshop would name that workshop."""

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).distinct()
        listed = listed.values_list(f"{self.field_path}__pk", flat=True)
        allowed = scoped_choices(model_admin.admin_site, field.remote_field.model, request)
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(pk__in=listed) & Q(pk__in=allowed.values("pk")),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


def scoped_list_filter(model: type[Model], entries) -> list:
    """`list_filter` with every filter by a related row made a ScopedRelatedFilter."""
    scoped = []
    for entry in entries:
        path = entry[0] if isinstance(entry, tuple | list) else entry
        if isinstance(path, str):
            field = get_fields_from_path(model, path)[-1]
            if field.is_relation:
                entry = (path, ScopedRelatedFilter)
        scoped.append(entry)
    return scoped


class ScopedModelAdmin(admin.ModelAdmin):
    """Base for every model admin in Engawa.

    - Superusers see and may change everything: they operate the installation.
    - Managers see the rows the model's `visible_to(user)` allows *and* that belong to a
      workshop they manage (`workshop_lookup` is the path from the model to its workshop), so a
      manager of A who is plain staff of B or a member of a company cannot edit B's data here.
    - Everyone else has no permission at all.
    - Foreign-key and many-to-many choices, and list filters by a related row, are scoped the
      same way, through the related model's own admin, so
      a manager cannot attach a row to another tenant's object either.
    - Another tenant's object is simply not in the queryset, so its change page does not open.
    """

    workshop_lookup: str = "workshop"

    # --- scoping ----------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(super().get_queryset(request), request)

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        user = request.user
        if user.is_active and user.is_superuser:
            return queryset
        if not may_use_admin(request):
            return queryset.none()
        if not hasattr(queryset, "visible_to"):
            raise ImproperlyConfigured(
                f"{queryset.model.__name__} needs a visible_to(user) queryset method."
            )
        return self.limit_to_workshops(queryset.visible_to(user), managed_workshop_ids(request))

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        """Keep the rows of these workshops. Override where the path is many-valued."""
        return queryset.filter(**{f"{self.workshop_lookup}__in": workshop_ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(
                self.admin_site, db_field.remote_field.model, request
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(
                self.admin_site, db_field.remote_field.model, request
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest):
        return scoped_list_filter(self.model, super().get_list_filter(request))

    # --- permissions ------------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request)


class SuperuserWritesAdmin(ScopedModelAdmin):
    """Managers may read these rows; only superusers may write them (they are shared with
    another tenant, or they change through a function that records why)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class ReadOnlyAdmin(ScopedModelAdmin):
    """Records that are never edited, by anyone: event rows and append-only logs."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ScopedInline(admin.TabularInline):
    """An inline on a scoped admin: the parent row is already in scope, so the rows under it
    are too; permissions and foreign-key choices follow ScopedModelAdmin. Set `writable` to
    False for rows only an operator may change."""

    extra = 0
    writable = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(
                self.admin_site, db_field.remote_field.model, request
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_write(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or (self.writable and may_use_admin(request))

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_write(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_write(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_write(request)


class StaffMembershipInline(ScopedInline):
    model = StaffMembership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Workshop)
class WorkshopAdmin(ScopedModelAdmin):
    list_display = [
        "name",
        "slug",
        "operator",
        "pay_mode",
        "claim_timeout_hours",
        "hold_limit",
        "wage_share_percent",
    ]
    list_filter = ["pay_mode"]
    search_fields = ["name", "slug", "operator", "address"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StaffMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "operator", "address", "phone"]}),
        (_("Invoices"), {"fields": ["invoice_registration_number"]}),
        (_("Units and claims"), {"fields": ["claim_timeout_hours", "hold_limit"]}),
        (_("Wages"), {"fields": ["pay_mode", "wage_share_percent", "hourly_wage_yen"]}),
        (_("Orders"), {"fields": ["hourly_floor_yen"]}),
        (_("Support records"), {"fields": ["goal_review_months", "retention_years"]}),
    ]

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        return queryset.filter(pk__in=workshop_ids)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # The slug is in every address people have bookmarked; only operators rename it.
        if obj is not None and not request.user.is_superuser:
            return ["slug"]
        return []

    def get_prepopulated_fields(self, request: HttpRequest, obj=None) -> dict:
        return {} if obj is not None and not request.user.is_superuser else self.prepopulated_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(StaffMembership)
class StaffMembershipAdmin(ScopedModelAdmin):
    list_display = ["user", "workshop", "role", "created_at"]
    list_filter = ["role", ("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__display_name", "workshop__name"]
    list_select_related = ["user", "workshop"]


@admin.register(User)
class UserAdmin(SuperuserWritesAdmin, DjangoUserAdmin):
    """People. Managers may look people up; accounts are changed by the people themselves,
    by invitations, or by an operator, since one account can belong to several tenants."""

    list_display = ["email", "display_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "username", "display_name"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["email", "display_name", "first_name", "last_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "email", "password1", "password2"]}),
    ]
    filter_horizontal = []

    def limit_to_workshops(self, queryset: QuerySet, workshop_ids: frozenset[int]) -> QuerySet:
        return queryset.filter(
            Q(pk__in=StaffMembership.objects.filter(workshop__in=workshop_ids).values("user"))
            | Q(pk__in=Participant.objects.filter(workshop__in=workshop_ids).values("user"))
            | Q(
                pk__in=CompanyMembership.objects.filter(
                    company__partnerships__workshop__in=workshop_ids
                ).values("user")
            )
        )


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """Managers read their workshop's audit log here too; nobody can change it."""

    list_display = [
        "at",
        "actor_label",
        "action",
        "record_type",
        "record_id",
        "participant_id",
        "summary",
    ]
    list_filter = ["action", "record_type"]
    search_fields = ["actor_label", "record_type", "summary"]
    date_hierarchy = "at"
