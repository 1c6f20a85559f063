"""Who may open a network's pages: its coordinators. Anyone else gets 404, never 403."""

from django.shortcuts import get_object_or_404

from network.models import Network


def get_network_for_coordinator(user, slug: str) -> Network:
    return get_object_or_404(Network.objects.coordinated_by(user), slug=slug)
