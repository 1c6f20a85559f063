"""The site's routes plus a minimal view, measured by the bench as the floor: what any Django
request through the same middleware costs on this machine at this moment."""

from django.http import HttpResponse
from django.urls import path

from workshop.urls import urlpatterns as site


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/floor/", floor), *site]
