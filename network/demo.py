"""The demo network: ひだまり and みなと around the council of 坂ノ上市, with a coordinator who
signs in with the demo password, and one introduction to ひだまり. Idempotent, like the rest
of the demo."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from network.models import Coordinator, Introduction, Network, NetworkMembership
from workshop.models import User, Workshop

COORDINATOR_EMAIL = "coordinator@sakanoue-shakyo.example"


def seed_demo_network(workshops: dict[str, Workshop], *, password: str) -> User:
    """The network, its two workshops and its coordinator; returns the coordinator."""
    network, _ = Network.objects.get_or_create(
        slug="sakanoue", defaults={"name": "坂ノ上市 しごとネットワーク"}
    )
    for slug in ("hidamari", "minato"):
        NetworkMembership.objects.get_or_create(workshop=workshops[slug], network=network)
    user = User.objects.filter(username=COORDINATOR_EMAIL).first()
    if user is None:
        user = User.objects.create(
            username=COORDINATOR_EMAIL,
            email=COORDINATOR_EMAIL,
            display_name="坂ノ上市社協 高橋 望",
            password=make_password(password),
        )
    EmailAddress.objects.get_or_create(
        user=user, email=COORDINATOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    Coordinator.objects.get_or_create(network=network, user=user)
    seed_demo_introduction(network, workshops["hidamari"], user)
    return user


def seed_demo_introduction(network: Network, workshop: Workshop, coordinator: User) -> None:
    """One introduction waiting for ひだまり's answer (sent), found again by its nickname."""
    from network.introductions import introduce

    if Introduction.objects.filter(network=network, workshop=workshop, nickname="れん").exists():
        return
    introduce(
        network=network,
        workshop=workshop,
        by=coordinator,
        nickname="れん",
        contact_by="まずはお母さんに電話で。平日の午後がいいそうです",
        hopes="人と話すのは少し苦手。家でできる、手を動かす作業からやってみたい",
    )
