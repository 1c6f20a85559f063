"""The coordinator's area at /n/<network_slug>/: the network's anonymous picture, and each of
its tables as CSV. Coordinators of the network only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from network import picture as network_picture
from network.access import get_network_for_coordinator
from participants import picture
from workshop.roles import remember_role
from workshop.spreadsheets import csv_download


@require_GET
@login_required
def home(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_network_for_coordinator(request.user, network_slug)
    remember_role(request, f"coordinator:{network.slug}")
    today = timezone.localdate()
    context = {
        "network": network,
        "workshops": network_picture.workshops_of(network),
        "tables": network_picture.build_tables(network, today),
        "today": today,
    }
    return render(request, "network/home.html", context)


@require_GET
@login_required
def export(request: HttpRequest, network_slug: str, table: str) -> HttpResponse:
    """One table as CSV, exactly as the page shows it ("<5" and "×" included). Each workshop
    of the network finds the export in its audit log."""
    network = get_network_for_coordinator(request.user, network_slug)
    today = timezone.localdate()
    found = [t for t in network_picture.build_tables(network, today) if t.key == table]
    if not found:
        raise Http404
    for workshop in network_picture.workshops_of(network):
        picture.record_export(workshop=workshop, by=request.user, table=f"network:{table}")
    rows = [found[0].headers, *found[0].rows]
    return csv_download(f"{network.slug}-{table}-{today:%Y%m%d}.csv", rows)
