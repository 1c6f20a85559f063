"""The staff's 工賃 pages, under /w/<workshop>/money/statements/: a month's statements for
everyone (drafted by a background run with a progress bar), each statement with its deductions,
check and issue, adjustments, the PDF, the transfer list as CSV and as the 全銀 file, and the
participants' bank accounts (shown masked). The rules are in participants/wages.py."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import money, pdf
from jobs.documents import statement_paper
from jobs.money_access import (
    bank_account_of,
    get_participant_for_staff,
    get_statement_for_staff,
)
from participants import wages, zengin
from participants.models import BankAccount, WageDeduction, WageRun, WageStatement
from workshop.models import Workshop
from workshop.money_forms import (
    AdjustmentForm,
    AdjustmentLineForm,
    BankAccountForm,
    DeductionForm,
    month_choices,
    parse_month,
)
from workshop.roles import is_manager_of
from workshop.spreadsheets import csv_download
from workshop.views import get_workshop_for_staff


def month_url(workshop: Workshop, month: datetime.date) -> str:
    return reverse("console_money:statements", args=[workshop.slug]) + f"?month={month:%Y-%m}"


def statement_url(statement: WageStatement) -> str:
    return reverse("console_money:statement", args=[statement.workshop.slug, statement.pk])


def refused(request: HttpRequest, error: wages.WageError, url: str) -> HttpResponse:
    messages.info(request, error.message)
    return redirect(url)


def statements_context(request: HttpRequest, workshop: Workshop, month: datetime.date) -> dict:
    statements = wages.statements_of(workshop, month)
    counts = statements.aggregate(
        draft=Count("pk", filter=Q(status=WageStatement.Status.DRAFT)),
        checked=Count("pk", filter=Q(status=WageStatement.Status.CHECKED)),
        issued=Count("pk", filter=Q(status=WageStatement.Status.ISSUED)),
        total=Sum("total_yen", filter=Q(status=WageStatement.Status.ISSUED)),
    )
    with_account = set(
        BankAccount.objects.visible_to(request.user)
        .filter(participant__workshop=workshop)
        .values_list("participant", flat=True)
    )
    return {
        "workshop": workshop,
        "month": month,
        "months": month_choices(),
        "statements": statements,
        "counts": counts,
        "with_account": with_account,
        "run": WageRun.objects.visible_to(request.user)
        .filter(workshop=workshop, month=month)
        .first(),
        "pay_date": money.wage_pay_date(workshop, month),
        "is_manager": is_manager_of(request.user, workshop),
    }


@require_GET
@login_required
def statements(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.GET.get("month"))
    context = statements_context(request, workshop, month)
    return render(request, "workshop/money/statements.html", context)


@require_POST
@login_required
def start_run(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """Draft the month's statements for everyone, in the background."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.POST.get("month"))
    try:
        run = wages.start_month_run(workshop=workshop, month=month, by=request.user)
    except wages.WageError as error:
        return refused(request, error, month_url(workshop, month))
    messages.success(
        request,
        _("Drafting the statements of %(count)s people.") % {"count": run.total},
    )
    return redirect(month_url(workshop, month))


@require_GET
@login_required
def run_progress(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """The run's progress bar, polled by htmx every 2 seconds until it is done."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.GET.get("month"))
    if not request.htmx:
        return redirect(month_url(workshop, month))
    context = statements_context(request, workshop, month)
    return render(request, "workshop/money/statements.html#progress", context)


@require_POST
@login_required
def issue_checked(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.POST.get("month"))
    try:
        issued = wages.issue_all_checked(workshop=workshop, month=month, by=request.user)
    except wages.WageError as error:
        return refused(request, error, month_url(workshop, month))
    messages.success(request, _("%(count)s statements issued.") % {"count": issued})
    return redirect(month_url(workshop, month))


@require_GET
@login_required
def transfers_csv(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """One row per person paid on the month's pay day, with the account in full, for the bank
    transfer. Holds bank accounts, so it is written to the audit log."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.GET.get("month"))
    transfers = wages.transfers_for(workshop, month)
    wages.audit_transfer_export(
        workshop=workshop, by=request.user, transfers=transfers, what=f"transfers {month:%Y-%m}"
    )
    header = [
        _("Name"),
        _("Bank code"),
        _("Branch code"),
        _("Account type"),
        _("Account number"),
        _("Account holder"),
        _("Amount"),
        _("Statements"),
    ]
    rows = [
        [
            row.participant.nickname,
            row.account.bank_code if row.account else "",
            row.account.branch_code if row.account else "",
            row.account.account_type if row.account else "",
            row.account.account_number if row.account else "",
            row.account.holder_kana if row.account else "",
            row.amount,
            " ".join(row.numbers),
        ]
        for row in transfers
    ]
    return csv_download(f"transfers-{workshop.slug}-{month:%Y-%m}.csv", [header, *rows])


@require_GET
@login_required
def transfers_zengin(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """The 全銀 file for internet banking. Refused (with what is missing) while the paying
    account is not set or someone to be paid has no account entered."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.GET.get("month"))
    settings = money.settings_for(workshop)
    transfers = wages.transfers_for(workshop, month)
    if not settings.can_make_transfer_file:
        messages.info(
            request,
            _("A manager needs to enter the account 工賃 are paid from (money settings) first."),
        )
        return redirect(month_url(workshop, month))
    missing = [row.participant.nickname for row in transfers if row.account is None]
    if missing:
        messages.info(
            request,
            _("Please enter the bank account of: %(names)s.") % {"names": "、".join(missing)},
        )
        return redirect(month_url(workshop, month))
    payer = zengin.Payer(
        consignor_code=settings.consignor_code,
        consignor_name=settings.consignor_name_kana,
        bank_code=settings.bank_code,
        bank_name=settings.bank_name_kana,
        branch_code=settings.branch_code,
        branch_name=settings.branch_name_kana,
        account_type=settings.account_type,
        account_number=settings.account_number,
    )
    payees = [
        zengin.Payee(
            bank_code=row.account.bank_code,
            bank_name=row.account.bank_name_kana,
            branch_code=row.account.branch_code,
            branch_name=row.account.branch_name_kana,
            account_type=row.account.account_type,
            account_number=row.account.account_number,
            holder=row.account.holder_kana,
            amount=row.amount,
        )
        for row in transfers
    ]
    try:
        data = zengin.transfer_file(payer, payees, money.wage_pay_date(workshop, month))
    except zengin.TransferFileError as error:
        messages.info(request, error.message)
        return redirect(month_url(workshop, month))
    wages.audit_transfer_export(
        workshop=workshop, by=request.user, transfers=transfers, what=f"zengin {month:%Y-%m}"
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="zengin-{workshop.slug}-{month:%Y%m}.txt"'
    )
    return response


# --- one statement ---------------------------------------------------------------------------


def statement_page(
    request, statement: WageStatement, *, status: int = 200, **forms
) -> HttpResponse:
    context = {
        "workshop": statement.workshop,
        "statement": statement,
        "paper": statement_paper(statement),
        "deductions": list(statement.deductions.all()),
        "adjustments": statement.adjustments.all(),
        "deduction_form": forms.get("deduction_form") or DeductionForm(),
        "adjustment_form": forms.get("adjustment_form") or AdjustmentForm(),
        "adjustment_line_form": forms.get("adjustment_line_form") or AdjustmentLineForm(),
        "pdf_url": reverse(
            "console_money:statement_pdf", args=[statement.workshop.slug, statement.pk]
        ),
        "back_url": month_url(statement.workshop, statement.month),
    }
    return render(request, "workshop/money/statement.html", context, status=status)


@require_GET
@login_required
def statement_detail(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return statement_page(request, get_statement_for_staff(request.user, workshop, pk))


@require_GET
@login_required
def statement_pdf(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    return pdf.pdf_response(statement_paper(statement))


def _act(request, workshop_slug: str, pk: int, action, success: str) -> HttpResponse:
    """Run one rule on the statement and come back to it with a calm note either way."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    try:
        action(statement=statement, by=request.user)
    except wages.WageError as error:
        return refused(request, error, statement_url(statement))
    messages.success(request, success)
    return redirect(statement_url(statement))


@require_POST
@login_required
def redraft(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    if statement.status != WageStatement.Status.DRAFT or statement.is_adjustment:
        messages.info(request, _("Only a monthly statement that is still a draft is recomputed."))
        return redirect(statement_url(statement))
    wages.draft_statement(participant=statement.participant, month=statement.month, by=request.user)
    messages.success(request, _("Computed again from what staff approved this month."))
    return redirect(statement_url(statement))


@require_POST
@login_required
def check(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(request, workshop_slug, pk, wages.check_statement, _("Marked as checked."))


@require_POST
@login_required
def back_to_draft(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(request, workshop_slug, pk, wages.back_to_draft, _("Back to draft."))


@require_POST
@login_required
def issue(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    return _act(
        request,
        workshop_slug,
        pk,
        wages.issue_statement,
        _("Issued. The participant can see it now."),
    )


@require_POST
@login_required
def add_deduction(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    form = DeductionForm(request.POST)
    if form.is_valid():
        try:
            wages.add_deduction(statement=statement, by=request.user, **form.cleaned_data)
        except wages.WageError as error:
            form.add_error("amount_yen" if error.code == "too_much" else None, error.message)
        else:
            messages.success(request, _("Deduction added."))
            return redirect(statement_url(statement))
    return statement_page(request, statement, status=400, deduction_form=form)


@require_POST
@login_required
def remove_deduction(request: HttpRequest, workshop_slug: str, pk: int, deduction_pk: int):
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    deduction = WageDeduction.objects.filter(statement=statement, pk=deduction_pk).first()
    if deduction is not None:
        try:
            wages.remove_deduction(deduction=deduction, by=request.user)
        except wages.WageError as error:
            return refused(request, error, statement_url(statement))
    return redirect(statement_url(statement))


@require_POST
@login_required
def adjust(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    """Start an adjustment statement for an issued one."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            adjustment = wages.draft_adjustment(
                original=statement, by=request.user, reason=form.cleaned_data["reason"]
            )
        except wages.WageError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("An adjustment statement was drafted."))
            return redirect(statement_url(adjustment))
    return statement_page(request, statement, status=400, adjustment_form=form)


@require_POST
@login_required
def add_adjustment_line(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    statement = get_statement_for_staff(request.user, workshop, pk)
    form = AdjustmentLineForm(request.POST)
    if form.is_valid():
        try:
            wages.add_adjustment_line(statement=statement, by=request.user, **form.cleaned_data)
        except wages.WageError as error:
            form.add_error(None, error.message)
        else:
            return redirect(statement_url(statement))
    return statement_page(request, statement, status=400, adjustment_line_form=form)


# --- bank accounts ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def bank_account(request: HttpRequest, workshop_slug: str, participant_pk: int) -> HttpResponse:
    """Enter or correct where a participant's 工賃 go. The saved account is only ever shown
    masked; the form starts empty, so a full number is never sent back to a browser."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    participant = get_participant_for_staff(request.user, workshop, participant_pk)
    account = bank_account_of(request.user, participant)
    form = BankAccountForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                wages.set_bank_account(
                    participant=participant, by=request.user, **form.cleaned_data
                )
            except wages.BankAccountInvalid as error:
                for field, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("The bank account was saved."))
                return redirect("console_money:bank_account", workshop.slug, participant.pk)
        status = 400
    context = {"workshop": workshop, "participant": participant, "account": account, "form": form}
    return render(request, "workshop/money/bank_account.html", context, status=status)
