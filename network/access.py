"""Who may open a network's pages (its coordinators), a joint order (its company, the
network's coordinators) and a share of one (its workshop's staff). Anyone else gets 404."""

from django.shortcuts import get_object_or_404

from network.models import JointOrder, Network, Share


def get_network_for_coordinator(user, slug: str) -> Network:
    return get_object_or_404(Network.objects.coordinated_by(user), slug=slug)


def get_joint_order_for_coordinator(user, network: Network, pk: int) -> JointOrder:
    """A joint order sent to this network, for one of its coordinators."""
    return get_object_or_404(
        JointOrder.objects.visible_to(user).filter(network=network).select_related("company"),
        pk=pk,
    )


def get_joint_order_for_company(user, company, pk: int) -> JointOrder:
    """One of this company's joint orders, for its members."""
    return get_object_or_404(
        JointOrder.objects.visible_to(user).filter(company=company).select_related("network"),
        pk=pk,
    )


def get_share_for_staff(user, workshop, pk: int) -> Share:
    """A share sent to this workshop, for its staff; another workshop's is a 404."""
    return get_object_or_404(
        Share.objects.visible_to(user)
        .filter(workshop=workshop)
        .select_related("joint_order", "joint_order__company", "order"),
        pk=pk,
    )
