from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    name = "workshop"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        # Marks staff sessions at sign-in (user_logged_in), before any request has loaded
        # the middleware that enforces their limits.
        from workshop import session_limits  # noqa: F401


class EngawaAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Engawa's site: entry by membership (a workshop manager) rather than
    by the `is_staff` flag. Listed in INSTALLED_APPS in place of "django.contrib.admin"."""

    default = False  # "workshop" itself still means WorkshopConfig
    default_site = "workshop.adminsite.EngawaAdminSite"
