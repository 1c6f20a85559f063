"""The demo network: ひだまり and みなと around the council of 坂ノ上市, with a coordinator who
signs in with the demo password, one introduction to ひだまり, and one joint order of 丘の上印刷
split across ひだまり (accepted: an order of its own) and みなと (waiting for its answer).
Idempotent, like the rest of the demo."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from network.models import Coordinator, Introduction, JointOrder, Network, NetworkMembership
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
    seed_demo_joint_order(network, workshops, user)
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


JOINT_ORDER_TITLE = "坂ノ上市 市制70周年記念誌 封入・発送準備"


def seed_demo_joint_order(network: Network, workshops: dict[str, Workshop], coordinator: User):
    """丘の上印刷 sends 12,000 envelopes to the desk; the coordinator gives ひだまり 7,000 and
    みなと 5,000; ひだまり has taken its share on (an accepted order), みなと has not answered."""
    from companies.models import Company
    from network import desk

    company = Company.objects.filter(slug="okanoue-print").first()
    if company is None:
        return
    if JointOrder.objects.filter(company=company, title=JOINT_ORDER_TITLE).exists():
        return
    sender = company.memberships.order_by("pk").first().user
    joint_order = desk.send_to_network(
        company=company,
        network=network,
        by=sender,
        terms={
            "title": JOINT_ORDER_TITLE,
            "kind": "hands_on",
            "description": "記念誌と挨拶状を角形2号封筒に封入し、宛名ラベルを貼ります。",
            "instructions": "記念誌→挨拶状の順に入れ、のり付けして封をしてください。",
            "quantity": 12_000,
            "unit_label": "件",
            "unit_price_yen": 9,
            "desired_delivery_date": timezone.localdate() + datetime.timedelta(days=45),
        },
    )
    hidamari, _minato = desk.route(
        joint_order=joint_order,
        by=coordinator,
        parts=[desk.Part(workshops["hidamari"], 7_000), desk.Part(workshops["minato"], 5_000)],
    )
    staff = User.objects.filter(username="staff@hidamari.example").first() or coordinator
    desk.accept_share(share=hidamari, by=staff, minutes_per_item=1)
