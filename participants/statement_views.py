"""The participant's own pay statements on the phone, under /statements/: each issued month in
plain words ("11月の工賃 ¥4,320 — 12月10日に振り込み予定"), its lines, and the PDF. Only their
own, only once issued, and still after their support ended (the last month is paid after it);
anyone else's answers 404. Figures come from the issued statement."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobs import pdf
from jobs.documents import statement_paper
from jobs.money_access import get_statement_for_participant
from participants.models import WageStatement
from participants.views import get_participant_for

MAX_LISTED = 36  # three years of months


@require_GET
@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    participant = get_participant_for(request.user, ended_too=True)
    statements = (
        WageStatement.objects.visible_to(request.user)
        .filter(participant=participant, status=WageStatement.Status.ISSUED)
        .select_related("adjusts")
        .order_by("-month", "kind", "-pk")[:MAX_LISTED]
    )
    context = {
        "participant": participant,
        "statements": statements,
        "today": timezone.localdate(),
    }
    return render(request, "participants/phone/statements.html", context)


@require_GET
@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, ended_too=True)
    statement = get_statement_for_participant(request.user, participant, pk)
    context = {
        "participant": participant,
        "statement": statement,
        "paper": statement_paper(statement),
        "today": timezone.localdate(),
        "hours": statement.minutes_worked // 60,
        "minutes": statement.minutes_worked % 60,
    }
    return render(request, "participants/phone/statement.html", context)


@require_GET
@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, ended_too=True)
    statement = get_statement_for_participant(request.user, participant, pk)
    return pdf.pdf_response(statement_paper(statement))
