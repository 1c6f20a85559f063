"""Demo data for `manage.py seed_demo`: ひだまり作業所, a workshop modelled on a real one, with
orders from two companies, a dozen participants at different steps and a month of history;
and みなと作業所 next door, so that the separation between tenants can be seen.

Running it again changes nothing: every row is found by a stable key (slug, e-mail, nickname,
title) and history is generated, from a fixed seed, only for orders that have none yet.
Dates are relative to the day of the first run."""

import datetime
import random
import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from companies.models import AccountRequest, Company, CompanyMembership, Partnership
from jobs import counters
from jobs.models import Order, OrderEvent, ProgressLog, WorkUnit
from participants.models import Participant, Stage, TaskKind
from workshop.models import StaffMembership, User, Workshop
from workshop.roles import roles_of

DEMO_PASSWORD = "engawa-demo-2026"
SEED = 2026
# Log UUIDs are derived from this namespace and the log's place in the demo, so a second run
# finds the same UUIDs instead of making new ones.
LOG_NAMESPACE = uuid.UUID("6d1f8a52-3c7e-5b0a-9e4d-2a6c0b8f1e37")

S = Order.Status
U = WorkUnit.Status


# --- tenants -------------------------------------------------------------------------------

WORKSHOPS = {
    "hidamari": {
        "name": "ひだまり作業所",
        "operator": "坂ノ上市社会福祉協議会",
        "address": "坂ノ上市本町2-14-3",
        "phone": "0123-45-6780",
        "invoice_registration_number": "T4010005018372",
        "claim_timeout_hours": 48,
        "hold_limit": 3,
        "pay_mode": Workshop.PayMode.PIECE_RATE,
        "wage_share_percent": 70,
    },
    "minato": {
        "name": "みなと作業所",
        "operator": "社会福祉法人 みなと福祉会",
        "address": "坂ノ上市港町5-2-10",
        "phone": "0123-48-2210",
        "invoice_registration_number": "T7010405009921",
        "claim_timeout_hours": 72,
        "hold_limit": 2,
        "pay_mode": Workshop.PayMode.HOURLY,
        "wage_share_percent": 70,
        "hourly_wage_yen": 300,
    },
}

COMPANIES = {
    "okanoue-print": {
        "name": "丘の上印刷株式会社",
        "address": "坂ノ上市丘の上町3-8-1",
        "contact_name": "岡野 修",
        "contact_email": "admin@okanoue-print.example",
        "phone": "0123-45-3321",
        "invoice_registration_number": "T8010001034567",
        "workshops": ["hidamari"],
    },
    "machikado": {
        "name": "まちかど商店",
        "address": "坂ノ上市駅前通1-5",
        "contact_name": "町田 由美",
        "contact_email": "member@machikado.example",
        "phone": "0123-44-0815",
        "invoice_registration_number": "",
        "workshops": ["hidamari", "minato"],
    },
}

# e-mail: (name shown, [(kind, slug, role)])
LOGINS = {
    "manager@hidamari.example": ("山口 恵子", [("staff", "hidamari", "manager")]),
    "staff@hidamari.example": ("佐藤 健太", [("staff", "hidamari", "staff")]),
    "staff@minato.example": ("小林 美咲", [("staff", "minato", "staff")]),
    "admin@okanoue-print.example": ("岡野 修", [("company", "okanoue-print", "admin")]),
    "member@machikado.example": ("町田 由美", [("company", "machikado", "member")]),
    "sora@hidamari.example": ("そら", [("participant", "hidamari", "そら")]),
    "both@hidamari.example": (
        "中村 葵",
        [("staff", "hidamari", "staff"), ("company", "machikado", "member")],
    ),
}


@dataclass(frozen=True)
class ParticipantSpec:
    workshop: str
    nickname: str
    stage: str
    status: str
    home: bool
    on_site: bool
    likes: tuple[str, ...]
    hours: int | None
    started_days_ago: int
    ended_days_ago: int | None = None


P = Participant.Status
K = TaskKind
PARTICIPANTS = [
    ParticipantSpec("hidamari", "そら", Stage.REGULAR_WORK, P.ACTIVE, True, True,
                    (K.STUFFING, K.LABELLING), 15, 430),
    ParticipantSpec("hidamari", "はる", Stage.TRYING_WORK, P.ACTIVE, False, True,
                    (K.FOLDING, K.STUFFING), 6, 120),
    ParticipantSpec("hidamari", "こはく", Stage.REGULAR_WORK, P.ACTIVE, True, False,
                    (K.DATA_ENTRY, K.CHECKING), 20, 540),
    ParticipantSpec("hidamari", "つき", Stage.PLACE, P.ACTIVE, False, True, (), None, 45),
    ParticipantSpec("hidamari", "みどり", Stage.CONNECTION, P.ACTIVE, True, False, (), None, 10),
    ParticipantSpec("hidamari", "あおい", Stage.WORKPLACE_TRIAL, P.ACTIVE, True, True,
                    (K.LABELLING, K.COUNTING), 24, 650),
    ParticipantSpec("hidamari", "ゆき", Stage.REGULAR_WORK, P.PAUSED, True, False,
                    (K.SEALING, K.STUFFING), 10, 300),
    ParticipantSpec("hidamari", "なぎ", Stage.JOB_SEARCH, P.ACTIVE, True, False,
                    (K.DATA_ENTRY, K.TRANSCRIPTION), 20, 700),
    ParticipantSpec("hidamari", "ひかり", Stage.SETTLED, P.ENDED, True, True,
                    (K.DATA_ENTRY,), 30, 720, ended_days_ago=60),
    ParticipantSpec("hidamari", "もも", Stage.TRYING_WORK, P.ACTIVE, True, False,
                    (K.SEALING, K.STUFFING), 4, 90),
    ParticipantSpec("hidamari", "りん", Stage.REGULAR_WORK, P.ACTIVE, True, False,
                    (K.DATA_ENTRY, K.CHECKING), 12, 250),
    ParticipantSpec("hidamari", "かえで", Stage.PLACE, P.PAUSED, False, True, (), None, 200),
    ParticipantSpec("minato", "うみ", Stage.REGULAR_WORK, P.ACTIVE, True, False,
                    (K.DATA_ENTRY,), 15, 380),
    ParticipantSpec("minato", "なみ", Stage.TRYING_WORK, P.ACTIVE, False, True,
                    (K.COUNTING, K.FOLDING), 6, 150),
    ParticipantSpec("minato", "しお", Stage.CONNECTION, P.ACTIVE, True, False, (), None, 20),
]  # fmt: skip


# --- orders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSpec:
    """One order and its story. `path` pairs each status reached with how many days ago."""

    workshop: str
    company: str
    title: str
    kind: str
    quantity: int
    unit_label: str
    unit_price_yen: int
    minutes_per_item: int
    delivery_in_days: int  # desired delivery, relative to today (negative: in the past)
    path: tuple[tuple[str, int], ...]
    description: str
    instructions: str = ""
    delivery_method: str = Order.DeliveryMethod.PICKUP
    unit_size: int = 0  # 0: not split into units
    home_ok: bool = True
    # How the units stand, in number order: counts per state; the rest stay open.
    approved: int = 0
    submitted: tuple[str, ...] = ()  # holders, one unit each
    redo: tuple[str, ...] = ()
    claimed: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()
    workers: tuple[str, ...] = ()  # who did the approved units
    notes: dict | None = None  # status -> event note


ORDERS = [
    OrderSpec(
        "hidamari", "okanoue-print", "坂ノ上市 市民だより 封入（前月号）", Order.Kind.HANDS_ON,
        1500, "枚", 4, 1, -20,
        ((S.DRAFT, 33), (S.SUBMITTED, 32), (S.ACCEPTED, 31), (S.IN_PROGRESS, 30),
         (S.DELIVERED, 20), (S.ACCEPTED_BY_COMPANY, 19)),
        "市民だより（A4三つ折り）を長3封筒に封入します。",
        "三つ折りの山が封筒の底に来るように入れてください。封はしません。",
        unit_size=100, approved=15, workers=("そら", "はる", "あおい", "もも"),
        notes={S.ACCEPTED_BY_COMPANY: "検収しました。"},
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "坂ノ上市 市民だより 封入", Order.Kind.HANDS_ON,
        3000, "枚", 4, 1, -15,
        ((S.DRAFT, 33), (S.SUBMITTED, 32), (S.ACCEPTED, 31), (S.IN_PROGRESS, 29),
         (S.DELIVERED, 16), (S.ACCEPTED_BY_COMPANY, 14)),
        "市民だより（A4三つ折り）と行事チラシ1枚を長3封筒に封入します。",
        "三つ折りの山が封筒の底に来るように入れてください。封はしません。",
        unit_size=100, approved=30, workers=("そら", "はる", "あおい", "もも"),
        notes={
            S.DELIVERED: "30箱に分けてお渡ししました。",
            S.ACCEPTED_BY_COMPANY: "検収しました。",
        },
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "展示会 案内状DM 封入・封かん", Order.Kind.HANDS_ON,
        2000, "枚", 5, 1, -3,
        ((S.DRAFT, 23), (S.SUBMITTED, 22), (S.ACCEPTED, 21), (S.IN_PROGRESS, 20),
         (S.DELIVERED, 3)),
        "案内状と返信はがきを洋2封筒に入れ、のり付けで封をします。",
        "返信はがきは宛名面を表に。のりは封筒のふちから2mm内側に。",
        delivery_method=Order.DeliveryMethod.DROPOFF,
        unit_size=100, approved=20, workers=("そら", "あおい", "もも", "はる"),
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "地ビール瓶 ラベル貼り", Order.Kind.HANDS_ON,
        1200, "個", 8, 2, 10,
        ((S.DRAFT, 13), (S.SUBMITTED, 12), (S.ACCEPTED, 11), (S.IN_PROGRESS, 10)),
        "330ml瓶に表ラベルと裏ラベルを貼ります。瓶とラベルは作業所に届けます。",
        "ラベルは瓶の継ぎ目を裏側にして、下から15mmの位置に。気泡が入ったら貼り直してください。",
        unit_size=50, home_ok=False, approved=8, workers=("そら", "あおい", "はる"),
        submitted=("あおい", "はる", "あおい"), redo=("はる",), claimed=("そら", "あおい"),
        expired=("はる",),
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "名刺台紙 ラベル貼り", Order.Kind.HANDS_ON,
        500, "枚", 6, 1, 30,
        ((S.DRAFT, 2),),
        "名刺の台紙に社名ラベルを貼ります。",
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "商工会 会報 封入", Order.Kind.HANDS_ON,
        1500, "枚", 4, 1, 21,
        ((S.DRAFT, 2), (S.SUBMITTED, 1)),
        "会報（A4二つ折り）を角2封筒に封入します。宛名ラベルは貼付済みです。",
    ),
    OrderSpec(
        "hidamari", "okanoue-print", "商店街まつり チラシ三つ折り", Order.Kind.HANDS_ON,
        2500, "枚", 2, 1, -10,
        ((S.DRAFT, 26), (S.SUBMITTED, 25), (S.CANCELLED, 23)),
        "A4チラシを三つ折りにします。",
        notes={S.CANCELLED: "商店街まつりが中止になったため、取り消します。申し訳ありません。"},
    ),
    OrderSpec(
        "hidamari", "machikado", "商品データ入力（新商品カタログ）", Order.Kind.DIGITAL,
        600, "件", 30, 3, 7,
        ((S.DRAFT, 17), (S.SUBMITTED, 16), (S.ACCEPTED, 15), (S.IN_PROGRESS, 14)),
        "手書きの商品カードの写真から、商品名・規格・価格を入力します。",
        "価格は税込みの数字だけを。読めない文字は「？」と入れて先へ進んでください。",
        delivery_method=Order.DeliveryMethod.DIGITAL,
        unit_size=20, approved=12, workers=("こはく", "なぎ", "りん"),
        submitted=("こはく", "りん", "なぎ"), redo=("りん",), claimed=("こはく", "なぎ"),
        expired=("りん",),
    ),
    OrderSpec(
        "hidamari", "machikado", "仕入れレシート入力", Order.Kind.DIGITAL,
        300, "件", 25, 2, 14,
        ((S.DRAFT, 5), (S.SUBMITTED, 4), (S.ACCEPTED, 1)),
        "仕入れレシートの日付・店名・金額を入力します。",
        "金額は税込み。日付は 2026-01-31 の形で。",
        delivery_method=Order.DeliveryMethod.DIGITAL,
        unit_size=20,
    ),
    OrderSpec(
        "hidamari", "machikado", "手書きアンケート 文字起こし", Order.Kind.DIGITAL,
        800, "件", 40, 6, 5,
        ((S.DRAFT, 10), (S.SUBMITTED, 9), (S.DECLINED, 8)),
        "店頭アンケートの自由記述欄を文字に起こします。",
        delivery_method=Order.DeliveryMethod.DIGITAL,
        notes={
            S.DECLINED: "ご希望の納期では、利用者さんに無理のない量でお受けできません。"
            "納期を3週間延ばしていただければお受けできます。"
        },
    ),
    OrderSpec(
        "minato", "machikado", "商品データ入力（定番商品カタログ）", Order.Kind.DIGITAL,
        400, "件", 30, 3, 12,
        ((S.DRAFT, 11), (S.SUBMITTED, 10), (S.ACCEPTED, 9), (S.IN_PROGRESS, 8)),
        "手書きの商品カードの写真から、商品名・規格・価格を入力します。",
        delivery_method=Order.DeliveryMethod.DIGITAL,
        unit_size=20, approved=6, workers=("うみ", "なみ"),
        submitted=("うみ", "なみ"), claimed=("うみ",),
    ),
    OrderSpec(
        "minato", "machikado", "値札シール貼り", Order.Kind.HANDS_ON,
        800, "個", 6, 1, 18,
        ((S.DRAFT, 3), (S.SUBMITTED, 2)),
        "衣料品のタグに値札シールを貼ります。",
        delivery_method=Order.DeliveryMethod.DROPOFF,
    ),
]  # fmt: skip

STAFF_SIDE = {S.ACCEPTED, S.IN_PROGRESS, S.DELIVERED, S.DECLINED}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    lands: str


# --- the seeding ---------------------------------------------------------------------------


def seed_demo(*, now: datetime.datetime | None = None) -> list[DemoLogin]:
    """Create whatever of the demo is missing, and return the demo logins."""
    now = now or timezone.now()
    with transaction.atomic():
        workshops = {slug: _workshop(slug, fields) for slug, fields in WORKSHOPS.items()}
        companies = {slug: _company(slug, fields, workshops) for slug, fields in COMPANIES.items()}
        participants = {
            (spec.workshop, spec.nickname): _participant(spec, workshops, now)
            for spec in PARTICIPANTS
        }
        users = _logins(workshops, companies, participants)
        AccountRequest.objects.get_or_create(
            workshop=workshops["hidamari"],
            company_name="さかのうえ青果",
            defaults={
                "contact_name": "坂上 進",
                "email": "info@sakanoue-seika.example",
                "message": "野菜の袋詰めとシール貼りをお願いできればと思っています。",
            },
        )
        for spec in ORDERS:
            _order(spec, workshops, companies, participants, users, now)
        # The other areas' demo data, each idempotent and built through that area's own rules.
        from companies.demo_openings import seed_demo_openings
        from companies.tokens import seed_demo_token
        from participants.demo_support import seed_demo_support

        seed_demo_support(workshops["hidamari"])
        from participants.demo_homework import seed_demo_homework

        seed_demo_homework(workshops["hidamari"])
        seed_demo_openings(now=now)
        seed_demo_token()
        from jobs.demo_deliveries import seed_demo_deliveries

        seed_demo_deliveries()
        from jobs.demo_digital import seed_demo_digital

        seed_demo_digital(
            workshops["hidamari"],
            companies["machikado"],
            member=users["member@machikado.example"],
            staff=users["staff@hidamari.example"],
        )
        from jobs.demo_money import seed_demo_money

        for workshop in workshops.values():
            seed_demo_money(workshop, now=now)
        from network.demo import COORDINATOR_EMAIL, seed_demo_network

        users[COORDINATOR_EMAIL] = seed_demo_network(workshops, password=DEMO_PASSWORD)
    return [_login_row(email, users[email]) for email in [*LOGINS, COORDINATOR_EMAIL]]


def _workshop(slug: str, fields: dict) -> Workshop:
    workshop, _ = Workshop.objects.get_or_create(slug=slug, defaults=fields)
    return workshop


def _company(slug: str, fields: dict, workshops: dict[str, Workshop]) -> Company:
    fields = dict(fields)
    partner_slugs = fields.pop("workshops")
    company, _ = Company.objects.get_or_create(slug=slug, defaults=fields)
    for workshop_slug in partner_slugs:
        Partnership.objects.get_or_create(company=company, workshop=workshops[workshop_slug])
    return company


def _participant(spec: ParticipantSpec, workshops: dict, now: datetime.datetime) -> Participant:
    today = timezone.localdate(now)
    participant, _ = Participant.objects.get_or_create(
        workshop=workshops[spec.workshop],
        nickname=spec.nickname,
        defaults={
            "stage": spec.stage,
            "status": spec.status,
            "works_from_home": spec.home,
            "works_on_site": spec.on_site,
            "liked_task_kinds": [str(kind) for kind in spec.likes],
            "hours_per_week_wished": spec.hours,
            "start_date": today - datetime.timedelta(days=spec.started_days_ago),
            "ended_on": (
                today - datetime.timedelta(days=spec.ended_days_ago)
                if spec.ended_days_ago
                else None
            ),
        },
    )
    return participant


def _logins(workshops: dict, companies: dict, participants: dict) -> dict[str, User]:
    password_hash = None  # hashed once, and only if someone is new
    users = {}
    for email, (name, roles) in LOGINS.items():
        user = User.objects.filter(username=email).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=email, email=email, display_name=name, password=password_hash
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for kind, slug, role in roles:
            if kind == "staff":
                StaffMembership.objects.get_or_create(
                    user=user, workshop=workshops[slug], defaults={"role": role}
                )
            elif kind == "company":
                CompanyMembership.objects.get_or_create(
                    user=user, company=companies[slug], defaults={"role": role}
                )
            else:
                participant = participants[(slug, role)]
                if participant.user_id is None:
                    participant.user = user
                    participant.save(update_fields=["user"])
        users[email] = user
    return users


def _login_row(email: str, user: User) -> DemoLogin:
    roles = roles_of(user)
    labels = []
    for membership in user.staff_memberships.select_related("workshop"):
        labels.append(f"{membership.role} of {membership.workshop.slug}")
    for membership in user.company_memberships.select_related("company"):
        labels.append(f"company {membership.role} of {membership.company.slug}")
    for participant in user.participations.select_related("workshop"):
        labels.append(f"participant {participant.nickname} of {participant.workshop.slug}")
    for coordination in user.coordinations.select_related("network"):
        labels.append(f"coordinator of network {coordination.network.slug}")
    if len(roles) == 1:
        lands = roles[0].url
    else:
        lands = f"{reverse('home')} (chooses: {', '.join(role.url for role in roles)})"
    if user.staff_memberships.filter(role=StaffMembership.Role.MANAGER).exists():
        lands += f", also {reverse('admin:index')}"
    return DemoLogin(role=" + ".join(labels), email=email, password=DEMO_PASSWORD, lands=lands)


# --- orders and their history ----------------------------------------------------------------


def _at(now: datetime.datetime, days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time of day, `days_ago` days before today."""
    day = timezone.localdate(now) - datetime.timedelta(days=days_ago)
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(naive)


def _payment_date(delivery: datetime.date) -> datetime.date:
    """End of the month after delivery, never later than the legal 60 days."""
    first_of_next = (delivery.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    end_of_next = (first_of_next + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )
    return min(end_of_next, delivery + datetime.timedelta(days=60))


def _order(
    spec: OrderSpec,
    workshops: dict,
    companies: dict,
    participants: dict,
    users: dict,
    now: datetime.datetime,
) -> Order:
    workshop = workshops[spec.workshop]
    company = companies[spec.company]
    company_user = users[
        "admin@okanoue-print.example"
        if spec.company == "okanoue-print"
        else "member@machikado.example"
    ]
    staff_users = (
        [users["manager@hidamari.example"], users["staff@hidamari.example"]]
        if spec.workshop == "hidamari"
        else [users["staff@minato.example"]]
    )
    delivery = timezone.localdate(now) + datetime.timedelta(days=spec.delivery_in_days)
    order, created = Order.objects.get_or_create(
        workshop=workshop,
        company=company,
        title=spec.title,
        defaults={
            "kind": spec.kind,
            "description": spec.description,
            "instructions": spec.instructions,
            "quantity": spec.quantity,
            "unit_label": spec.unit_label,
            "unit_price_yen": spec.unit_price_yen,
            "total_price_yen": spec.quantity * spec.unit_price_yen,
            "desired_delivery_date": delivery,
            "payment_date": _payment_date(delivery),
            "delivery_method": spec.delivery_method,
            "minutes_per_item": spec.minutes_per_item,
            "status": spec.path[-1][0],
            "created_by": company_user,
        },
    )
    if created:
        Order.objects.filter(pk=order.pk).update(created_at=_at(now, spec.path[0][1], 9, 40))
    if not order.events.exists():
        _events(order, spec, company_user, staff_users, now)
    if spec.unit_size and not order.units.exists():
        _units_and_logs(order, spec, participants, now)
    return order


def _events(order: Order, spec: OrderSpec, company_user, staff_users, now) -> None:
    notes = spec.notes or {}
    events = []
    previous = ""
    for index, (status, days_ago) in enumerate(spec.path):
        actor = staff_users[index % len(staff_users)] if status in STAFF_SIDE else company_user
        events.append(
            OrderEvent(
                order=order,
                actor=actor,
                at=_at(now, days_ago, 10 + index % 6, 15 * (index % 4)),
                from_status=previous,
                to_status=status,
                note=notes.get(status, ""),
            )
        )
        previous = status
    OrderEvent.objects.bulk_create(events)


def _work_days(now: datetime.datetime, first: int, last: int, rng: random.Random) -> list[int]:
    """Days ago, oldest first, on which work was done between `first` and `last` days ago:
    weekdays, and now and then a Saturday morning."""
    today = timezone.localdate(now)
    days = []
    for days_ago in range(first, last - 1, -1):
        weekday = (today - datetime.timedelta(days=days_ago)).weekday()
        if weekday < 5 or (weekday == 5 and rng.random() < 0.2):
            days.append(days_ago)
    return days or [last]


def _units_and_logs(order: Order, spec: OrderSpec, participants: dict, now) -> None:
    """Split the order and replay its history: who took which unit, when, and what they
    logged. Logs add up to the unit for work handed in, and to part of it for work held."""
    rng = random.Random(f"{SEED}:{spec.workshop}:{spec.title}")
    workshop = order.workshop
    timeout = datetime.timedelta(hours=workshop.claim_timeout_hours)
    people = {nickname: participants[(spec.workshop, nickname)] for nickname in spec.workers}
    for nickname in spec.submitted + spec.redo + spec.claimed + spec.expired:
        people[nickname] = participants[(spec.workshop, nickname)]

    quantities = [spec.unit_size] * (spec.quantity // spec.unit_size)
    if spec.quantity % spec.unit_size:
        quantities.append(spec.quantity % spec.unit_size)
    plan = (
        [(U.APPROVED, rng.choice(spec.workers)) for _ in range(spec.approved)]
        + [(U.SUBMITTED, name) for name in spec.submitted]
        + [(U.REDO, name) for name in spec.redo]
        + [("active", name) for name in spec.claimed]
        + [("expired", name) for name in spec.expired]
    )
    started = dict(spec.path).get(S.IN_PROGRESS)
    finished = dict(spec.path).get(S.DELIVERED, 1) + 1
    days = _work_days(now, started, finished, rng) if started else []

    units, logs = [], []
    done = [step for step in plan if step[0] in (U.APPROVED, U.SUBMITTED, U.REDO)]
    for index, quantity in enumerate(quantities):
        unit = WorkUnit(
            order=order,
            workshop=workshop,
            number=index + 1,
            quantity=quantity,
            instructions=spec.instructions,
            estimated_minutes=quantity * spec.minutes_per_item,
            home_ok=spec.home_ok,
            status=U.OPEN,
        )
        units.append(unit)
        if index >= len(plan):
            continue
        state, nickname = plan[index]
        holder = people[nickname]
        if state in ("active", "expired"):
            # Taken recently and partly done; the expired one was left alone past the timeout.
            days_ago = 1 if state == "active" else 4
            claimed_at = _at(now, days_ago, 10, 30)
            sessions = [(days_ago, max(1, quantity * rng.randint(25, 45) // 100))]
            status = U.CLAIMED
        else:
            # Work handed in: spread over the order's work days, in number order.
            first = days[min(len(days) - 1, index * len(days) // max(1, len(done)))]
            later = [d for d in days if d < first][: rng.randint(0, 2)]
            session_days = [first, *later]
            sessions = _split(quantity, session_days, rng)
            claimed_at = _at(now, first, 9, 50)
            status = state
        last_activity = claimed_at
        for number, (days_ago, logged) in enumerate(sessions):
            at = _at(now, days_ago, rng.choice([10, 11, 13, 14, 15]), rng.choice([0, 15, 30, 45]))
            at = max(at, claimed_at + datetime.timedelta(minutes=20))
            last_activity = max(last_activity, at)
            minutes = max(5, round(logged * spec.minutes_per_item * rng.uniform(0.8, 1.4)))
            logs.append(
                ProgressLog(
                    unit=unit,
                    participant=holder,
                    client_uuid=uuid.uuid5(
                        LOG_NAMESPACE, f"{spec.workshop}/{spec.title}/{index + 1}/{number}"
                    ),
                    quantity=logged,
                    minutes=minutes,
                    # Hands-on work that cannot go home is done at the workshop.
                    place="home" if unit.home_ok else "on_site",
                    created_at=at,
                )
            )
        unit.status = status
        unit.approved_quantity = unit.quantity if status == U.APPROVED else 0
        unit.holder = holder
        unit.claimed_at = claimed_at
        unit.last_activity_at = last_activity
        unit.expires_at = last_activity + timeout if status == U.CLAIMED else None

    WorkUnit.objects.bulk_create(units)
    counters.reset([order.pk])
    accepted_at = _at(now, dict(spec.path)[S.ACCEPTED], 13)
    WorkUnit.objects.filter(order=order).update(created_at=accepted_at)
    known = set(
        ProgressLog.objects.filter(client_uuid__in=[log.client_uuid for log in logs]).values_list(
            "client_uuid", flat=True
        )
    )
    for log in logs:
        log.unit_id = log.unit.pk
    ProgressLog.objects.bulk_create([log for log in logs if log.client_uuid not in known])


def _split(quantity: int, days: list[int], rng: random.Random) -> list[tuple[int, int]]:
    """Divide a unit's quantity over a few sessions, none of them empty."""
    if len(days) == 1 or quantity < len(days):
        return [(days[0], quantity)]
    cuts = sorted(rng.sample(range(1, quantity), len(days) - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, quantity], strict=True)]
    return list(zip(days, sizes, strict=True))
