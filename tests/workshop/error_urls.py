"""The site's URLs plus a few that fail on purpose, for the error-page tests. The handlers come
with the star import, as Django looks them up on the root URL module."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from workshop.urls import *  # noqa: F403
from workshop.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def denied(request):
    raise PermissionDenied


@require_POST
def form(request):
    return HttpResponse("sent")


urlpatterns = [
    path("boom/", boom),
    path("denied/", denied),
    path("form/", form),
    path("api/boom/", boom),
    path("api/form/", form),
    *site_urlpatterns,
]
