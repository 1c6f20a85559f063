"""Admin for participants and their invitations, seen only by managers of their workshop.
Steps and status change on the console, where each change is recorded with its context."""

from django.contrib import admin
from django.http import HttpRequest

from participants.homework_models import DailyReport
from participants.models import Invitation, Participant
from workshop.admin import ReadOnlyAdmin, ScopedModelAdmin


@admin.register(Participant)
class ParticipantAdmin(ScopedModelAdmin):
    list_display = [
        "nickname",
        "workshop",
        "stage",
        "status",
        "works_from_home",
        "works_on_site",
        "hours_per_week_wished",
        "start_date",
    ]
    list_filter = [
        ("workshop", admin.RelatedOnlyFieldListFilter),
        "status",
        "stage",
        "works_from_home",
        "works_on_site",
    ]
    search_fields = ["nickname", "user__email"]
    list_select_related = ["workshop"]
    raw_id_fields = ["user"]
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return []
        return ["workshop", "stage", "status", "ended_on"]


@admin.register(Invitation)
class InvitationAdmin(ScopedModelAdmin):
    """Invitations are made on the console (the link is shown only once); here they can be
    looked up and deleted."""

    workshop_lookup = "participant__workshop"
    list_display = ["participant", "email", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = [("participant__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["participant__nickname", "email"]
    list_select_related = ["participant"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    """Daily reports are built and confirmed on the console; a confirmed report never changes
    (corrections are added notes), so here they are only looked up. The mood is not here: it is
    a sensitive record, read on the console with the audit log."""

    workshop_lookup = "participant__workshop"
    list_display = ["participant", "day", "confirmed_at", "confirmed_by"]
    list_filter = [("participant__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["participant__nickname"]
    list_select_related = ["participant", "confirmed_by"]
    date_hierarchy = "day"
