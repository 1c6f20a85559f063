"""Demo openings for `manage.py seed_demo`: a workplace trial from 丘の上印刷 with a proposal
sent to the company, and a job from まちかど商店 that ended in hiring. Built through the rules in
companies/openings.py, so the history reads as it would in real use. Running it again changes
nothing: openings are found by workshop and title, proposals by opening and participant."""

import datetime

from django.db import transaction
from django.utils import timezone

from companies import openings
from companies.models import Company, Opening, OpeningProposal
from participants.models import Participant, TaskKind
from workshop.models import User, Workshop

TRIAL = {
    "kind": Opening.Kind.TRIAL,
    "title": "印刷工場での職場体験（封入・検品）",
    "description": "DMの封入と、刷り上がりの検品を体験していただきます。"
    "まずは見学だけでも大丈夫です。",
    "work_kinds": [TaskKind.STUFFING, TaskKind.CHECKING],
    "hours": "週2日・10時〜12時",
    "hours_per_week": 4,
    "place": "丘の上印刷 本社工場（坂ノ上市丘の上町3-8-1）",
    "remote": Opening.Remote.NO,
    "support": "初日と2日目は支援員が同行します。休憩室を使えます。",
}
JOB = {
    "kind": Opening.Kind.JOB,
    "title": "商品データ入力（在宅・短時間パート）",
    "description": "新商品のカードを見て、商品名・規格・価格を入力するお仕事です。",
    "work_kinds": [TaskKind.DATA_ENTRY, TaskKind.CHECKING],
    "hours": "週3日・1日3時間、時間帯は相談できます",
    "hours_per_week": 9,
    "place": "在宅（月に一度、駅前通の店舗で打ち合わせ）",
    "remote": Opening.Remote.PARTLY,
    "support": "最初の3か月はジョブコーチが月2回訪問します。",
}


def seed_demo_openings(*, now: datetime.datetime | None = None) -> None:
    """Create whatever of the demo openings is missing."""
    now = now or timezone.now()
    workshop = Workshop.objects.get(slug="hidamari")
    staff = User.objects.get(username="staff@hidamari.example")
    with transaction.atomic():
        trial = _opening(workshop, "okanoue-print", "admin@okanoue-print.example", TRIAL, now)
        job = _opening(workshop, "machikado", "member@machikado.example", JOB, now)
        aoi = Participant.objects.get(workshop=workshop, nickname="あおい")
        if not OpeningProposal.objects.filter(opening=trial, participant=aoi).exists():
            proposal = openings.propose(opening=trial, participant=aoi, by=staff)
            openings.record_agreement(
                proposal=proposal,
                by=staff,
                shared=openings.SharedProfile(
                    name="あおい",
                    work_kinds=[TaskKind.LABELLING, TaskKind.COUNTING, "hands_on"],
                    hours_per_week=4,
                    introduction="ラベル貼りと数を数える作業が得意です。"
                    "最初は午前中だけだと安心です。",
                ),
            )
            openings.send_to_company(proposal=proposal, by=staff)
        nagi = Participant.objects.get(workshop=workshop, nickname="なぎ")
        if not OpeningProposal.objects.filter(opening=job, participant=nagi).exists():
            company_member = User.objects.get(username="member@machikado.example")
            proposal = openings.propose(opening=job, participant=nagi, by=staff)
            openings.record_agreement(
                proposal=proposal,
                by=staff,
                shared=openings.SharedProfile(
                    name="渚（なぎ）",
                    work_kinds=[TaskKind.DATA_ENTRY, "digital"],
                    hours_per_week=9,
                    introduction="作業所で商品データの入力を半年続けてきました。",
                ),
            )
            openings.send_to_company(proposal=proposal, by=staff)
            openings.record_hired(
                proposal=proposal, by=company_member, note="来月1日からお願いします。"
            )


def _opening(workshop: Workshop, company_slug: str, poster: str, fields: dict, now) -> Opening:
    company = Company.objects.get(slug=company_slug)
    existing = Opening.objects.filter(workshop=workshop, title=fields["title"]).first()
    if existing is not None:
        return existing
    today = timezone.localdate(now)
    dated = fields | {
        "starts_on": today + datetime.timedelta(days=14),
        "ends_on": today + datetime.timedelta(days=42) if fields["kind"] == "trial" else None,
    }
    return openings.post_opening(
        workshop=workshop,
        company=company,
        by=User.objects.get(username=poster),
        fields=dated,
    )
