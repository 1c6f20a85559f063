from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from workshop import views

# Each area has its own URL module, owned by the app that owns the area.
console = "w/<slug:workshop_slug>/"
portal = "c/<slug:company_slug>/"
network = "n/<slug:network_slug>/"

urlpatterns = [
    path("", views.root, name="root"),
    path("home/", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("workshop.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # the staff console of one workshop
    path(console, include("workshop.console_urls")),
    path(console + "orders/", include("workshop.order_urls")),
    path(console + "work/", include("workshop.work_urls")),
    path(console + "digital/", include("workshop.digital_urls")),
    path(console + "checking/", include("workshop.digital_review_urls")),
    path(console + "people/", include("participants.support_urls")),
    path(console + "openings/", include("companies.opening_console_urls")),
    path(console + "picture/", include("participants.picture_urls")),
    path(console + "money/", include("workshop.money_urls")),
    path(console + "home-work/", include("participants.homework_urls")),
    path(console + "introductions/", include("network.introduction_urls")),
    path(console + "shares/", include("network.share_urls")),
    # the portal of one company
    path(portal, include("companies.urls")),
    path(portal + "api-tokens/", include("companies.token_urls")),
    path(portal + "openings/", include("companies.opening_urls")),
    path(portal + "digital/", include("companies.digital_urls")),
    path(portal + "network-orders/", include("network.joint_order_urls")),
    path(portal, include("companies.invoice_urls")),
    path("companies/", include("companies.public_urls")),
    # the coordinator's area of one network: aggregates only
    path(network, include("network.urls")),
    # participants' own pages
    path("", include("participants.urls")),
    path("", include("participants.phone_urls")),
    path("", include("participants.unsent_urls")),
    path("statements/", include("participants.statement_urls")),
    path("my-day/", include("participants.day_urls")),
    path("admin/", admin.site.urls),
    # the REST API
    path("api/v1/", include("companies.api_urls")),
    path("api/v1/", include("companies.invoice_api_urls")),
    path("api/v1/", include("companies.results_api_urls")),
    path("api/v1/network-orders/", include("network.api_urls")),
    path("api/v1/me/", include("participants.phone_api_urls")),
    path("api/v1/me/statements/", include("participants.statement_api_urls")),
    path("api/v1/staff/", include("workshop.staff_api_urls")),
    path("api/v1/staff/", include("workshop.money_api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its script as a file, not inline (Content-Security-Policy). No ReDoc: it
    # loads fonts from Google and injects unsigned styles.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Engawa's own error pages (calm, in the person's language) and JSON under /api/.
handler400 = "workshop.error_views.bad_request"
handler403 = "workshop.error_views.permission_denied"
handler404 = "workshop.error_views.page_not_found"
handler500 = "workshop.error_views.server_error"
# allauth looks this one up for its rate limits.
handler429 = "workshop.error_views.too_many_requests"
