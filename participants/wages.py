"""工賃 statements (工賃明細): drafting a participant's month from what staff approved in it
(jobs/money.py computes every figure), deductions with reasons, checking and issuing, the
adjustment statement that corrects an issued one, the background run that drafts a month for
everyone, the bank transfer list, and the participant's bank account (private: audited).

draft → checked → issued. A draft is recomputed whenever it is drafted again; checking freezes
its figures for someone to look at; issuing gives it its number (jobs/numbering.py) and it never
changes again. Each step writes a DocumentEvent."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import money, numbering
from jobs.models import Credit, DocumentEvent, MoneySettings, ProgressLog
from jobs.money_models import DocumentKind
from participants import pathway, zengin
from participants.attendance_models import Attendance
from participants.models import (
    BankAccount,
    Participant,
    WageDeduction,
    WageRun,
    WageStatement,
    WageStatementLine,
)
from workshop.models import AuditLog, Workshop
from workshop.rules import RuleError

Status = WageStatement.Status
MAX_REASON = 200
MAX_DEDUCTION = 10_000_000
# A run drafts this many people per transaction, so other writers get their turn between.
RUN_BATCH = 20
# Typed by staff as they like (ヤマダ ハナコ, やまだ はなこ), stored as the bank prints it.
KANA_FIELDS = {"bank_name_kana", "branch_name_kana", "holder_kana"}


class WageError(RuleError):
    """A rule about statements was not met; `code` is for machines, the message for people."""


def _event(statement: WageStatement, *, by, to: str, from_status: str = "", note: str = ""):
    DocumentEvent.objects.create(
        workshop_id=statement.workshop_id,
        document_type="wage_statement",
        document_id=statement.pk,
        actor=by,
        from_status=from_status,
        to_status=to,
        note=note,
    )


def _lock_draft(statement: WageStatement) -> WageStatement:
    locked = (
        WageStatement.objects.select_for_update()
        .select_related("participant__workshop")
        .filter(pk=statement.pk)
        .first()
    )
    if locked is None or locked.status != Status.DRAFT:
        raise WageError(
            _("Only a draft can be changed; this statement has been checked or issued."),
            code="wrong_state",
        )
    return locked


def _refresh_totals(statement: WageStatement) -> None:
    gross = statement.lines.aggregate(total=Sum("amount_yen"))["total"] or 0
    deductions = statement.deductions.aggregate(total=Sum("amount_yen"))["total"] or 0
    WageStatement.objects.filter(pk=statement.pk).update(
        gross_yen=gross, deductions_yen=deductions, total_yen=gross - deductions
    )


def _write_lines(statement: WageStatement, lines: list[money.WageLine]) -> None:
    statement.lines.all().delete()
    WageStatementLine.objects.bulk_create(
        WageStatementLine(
            statement=statement,
            position=index,
            order_id=line.order_id,
            description=line.description[:200],
            unit_label=line.unit_label,
            quantity=line.quantity,
            minutes=line.minutes,
            price_yen=line.price_yen,
            price_per=line.price_per,
            amount_yen=line.amount,
        )
        for index, line in enumerate(lines)
    )


def has_work_in(participant: Participant, month: datetime.date) -> bool:
    """Anything to state for the month: approved work, or days with logs or check-ins."""
    start, end = money.month_bounds(month)
    return (
        Credit.objects.filter(
            participant=participant, approved_at__gte=start, approved_at__lt=end
        ).exists()
        or ProgressLog.objects.filter(
            participant=participant, created_at__gte=start, created_at__lt=end
        ).exists()
        or Attendance.objects.filter(
            participant=participant, day__gte=month, day__lt=money.next_month(month)
        ).exists()
    )


def draft_statement(*, participant: Participant, month: datetime.date, by) -> WageStatement | None:
    """The participant's statement for the month as a draft, computed now from what staff
    approved in the month. Drafting again recomputes a draft (its deductions stay); a
    statement already checked or issued is left as it is and returned. None when there is
    nothing to state."""
    month = money.first_of_month(month)
    with transaction.atomic():
        # One drafting at a time per person: two runs cannot make two statements.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        current = WageStatement.objects.filter(
            participant=participant, month=month, kind=WageStatement.Kind.REGULAR
        ).first()
        if current is not None and current.status != Status.DRAFT:
            return current
        if current is None and not has_work_in(participant, month):
            return None
        work = money.month_work(participant, month)
        fields = {
            "pay_mode": work.pay_mode,
            "wage_share_percent": work.wage_share_percent,
            "hourly_wage_yen": work.hourly_wage_yen,
            "days_worked": work.days_worked,
            "minutes_worked": work.minutes_worked,
            "pay_date": money.wage_pay_date(participant.workshop, month),
        }
        if current is None:
            current = WageStatement.objects.create(
                workshop_id=participant.workshop_id,
                participant=participant,
                month=month,
                created_by=by,
                **fields,
            )
            _event(current, by=by, to=Status.DRAFT)
        else:
            WageStatement.objects.filter(pk=current.pk).update(**fields)
        _write_lines(current, work.lines)
        _refresh_totals(current)
    current.refresh_from_db()
    return current


def add_deduction(*, statement: WageStatement, by, amount_yen: int, reason: str) -> WageDeduction:
    """Something to take off the total (a lunch fee, say), always with the reason the
    participant will read. The total can never go below zero."""
    reason = (reason or "").strip()
    if not reason:
        raise WageError(_("Please give the reason; the participant reads it."), code="invalid")
    if len(reason) > MAX_REASON:
        raise WageError(_("Please keep the reason shorter."), code="invalid")
    if amount_yen is None or not 1 <= amount_yen <= MAX_DEDUCTION:
        raise WageError(_("Enter an amount of at least ¥1."), code="invalid")
    with transaction.atomic():
        locked = _lock_draft(statement)
        if locked.total_yen - amount_yen < 0:
            raise WageError(_("A deduction cannot make the total less than zero."), code="too_much")
        deduction = WageDeduction.objects.create(
            statement=locked, amount_yen=amount_yen, reason=reason, entered_by=by
        )
        _refresh_totals(locked)
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.DRAFT, note=reason)
    return deduction


def remove_deduction(*, deduction: WageDeduction, by) -> None:
    with transaction.atomic():
        locked = _lock_draft(deduction.statement)
        WageDeduction.objects.filter(pk=deduction.pk, statement=locked).delete()
        _refresh_totals(locked)
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.DRAFT, note=deduction.reason)


def add_adjustment_line(
    *, statement: WageStatement, by, description: str, amount_yen: int
) -> WageStatementLine:
    """A line of an adjustment statement that is not a recomputed order: a correction staff
    state themselves (an amount more or less), with what it is for."""
    description = (description or "").strip()
    if not description or len(description) > MAX_REASON:
        raise WageError(_("Please say what the correction is for."), code="invalid")
    if not amount_yen or abs(amount_yen) > MAX_DEDUCTION:
        raise WageError(
            _("Enter the amount to add, or a negative amount to take off."), code="invalid"
        )
    with transaction.atomic():
        locked = _lock_draft(statement)
        if not locked.is_adjustment:
            raise WageError(
                _("Only an adjustment statement takes lines of its own."), code="wrong_kind"
            )
        position = locked.lines.count()
        line = WageStatementLine.objects.create(
            statement=locked, position=position, description=description, amount_yen=amount_yen
        )
        _refresh_totals(locked)
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.DRAFT, note=description)
    return line


def check_statement(*, statement: WageStatement, by) -> WageStatement:
    """Someone has looked at the draft's lines and deductions: it is ready to issue."""
    with transaction.atomic():
        locked = _lock_draft(statement)
        if locked.total_yen < 0 and not locked.is_adjustment:
            raise WageError(_("The total cannot be below zero."), code="invalid")
        WageStatement.objects.filter(pk=locked.pk).update(
            status=Status.CHECKED, checked_by=by, checked_at=timezone.now()
        )
        _event(locked, by=by, from_status=Status.DRAFT, to=Status.CHECKED)
    statement.refresh_from_db()
    return statement


def back_to_draft(*, statement: WageStatement, by) -> WageStatement:
    with transaction.atomic():
        updated = WageStatement.objects.filter(pk=statement.pk, status=Status.CHECKED).update(
            status=Status.DRAFT, checked_by=None, checked_at=None
        )
        if updated != 1:
            raise WageError(_("Only a checked statement can go back to draft."), code="wrong_state")
        _event(statement, by=by, from_status=Status.CHECKED, to=Status.DRAFT)
    statement.refresh_from_db()
    return statement


def issue_statement(*, statement: WageStatement, by) -> WageStatement:
    """Issue a checked statement: it gets its number and never changes again. The participant
    sees it from now on."""
    with transaction.atomic():
        locked = (
            WageStatement.objects.select_for_update()
            .select_related("workshop")
            .get(pk=statement.pk)
        )
        if locked.status != Status.CHECKED:
            raise WageError(
                _("Only a checked statement can be issued; this one is %(status)s.")
                % {"status": locked.get_status_display()},
                code="wrong_state",
            )
        number, fiscal_year = numbering.take_number(
            workshop=locked.workshop, kind=DocumentKind.WAGE_STATEMENT, on=timezone.localdate()
        )
        WageStatement.objects.filter(pk=locked.pk).update(
            status=Status.ISSUED,
            number=number,
            fiscal_year=fiscal_year,
            issued_by=by,
            issued_at=timezone.now(),
        )
        _event(locked, by=by, from_status=Status.CHECKED, to=Status.ISSUED, note=number)
    statement.refresh_from_db()
    from participants.reminders import Reminder, remind

    remind(participant=statement.participant, kind=Reminder.STATEMENT, url="/statements/")
    return statement


def issue_all_checked(*, workshop: Workshop, month: datetime.date, by) -> int:
    """Issue every checked statement of the month, each in its own transaction."""
    issued = 0
    for statement in WageStatement.objects.filter(
        workshop=workshop, month=month, status=Status.CHECKED
    ).order_by("participant__nickname", "pk"):
        issue_statement(statement=statement, by=by)
        issued += 1
    return issued


def next_pay_date(workshop: Workshop, today: datetime.date | None = None) -> datetime.date:
    """The next pay day on or after today: when an adjustment issued now is paid."""
    today = today or timezone.localdate()
    payday = money.settings_for(workshop).wage_payday
    this_month = today.replace(day=payday)
    return this_month if today <= this_month else money.next_month(today).replace(day=payday)


def draft_adjustment(*, original: WageStatement, by, reason: str) -> WageStatement:
    """An adjustment statement for an issued one: the month is computed again now, and each
    order whose amount differs from what the original (and adjustments issued since) stated
    becomes a line with the difference. Staff may add lines of their own. It is paid on the
    next pay day."""
    reason = (reason or "").strip()
    if not reason:
        raise WageError(_("Please give the reason for the adjustment."), code="reason_required")
    with transaction.atomic():
        locked = WageStatement.objects.select_for_update().get(pk=original.pk)
        if not locked.is_issued or locked.is_adjustment:
            raise WageError(
                _("An adjustment corrects an issued monthly statement."), code="wrong_state"
            )
        participant = locked.participant
        work = money.month_work(participant, locked.month)
        stated: dict[int | None, int] = {}
        for order_id, amount in WageStatementLine.objects.filter(
            Q(statement=locked) | Q(statement__adjusts=locked, statement__status=Status.ISSUED)
        ).values_list("order_id", "amount_yen"):
            stated[order_id] = stated.get(order_id, 0) + amount
        differences = []
        for line in work.lines:
            difference = line.amount - stated.pop(line.order_id, 0)
            if difference:
                differences.append((line, difference))
        adjustment = WageStatement.objects.create(
            workshop_id=locked.workshop_id,
            participant=participant,
            month=locked.month,
            kind=WageStatement.Kind.ADJUSTMENT,
            adjusts=locked,
            pay_mode=locked.pay_mode,
            wage_share_percent=locked.wage_share_percent,
            hourly_wage_yen=locked.hourly_wage_yen,
            days_worked=work.days_worked,
            minutes_worked=work.minutes_worked,
            pay_date=next_pay_date(locked.workshop),
            reason=reason[:2000],
            created_by=by,
        )
        rows = [
            WageStatementLine(
                statement=adjustment,
                position=index,
                order_id=line.order_id,
                description=line.description[:200],
                unit_label=line.unit_label,
                quantity=line.quantity,
                minutes=line.minutes,
                price_yen=line.price_yen,
                price_per=line.price_per,
                amount_yen=difference,
            )
            for index, (line, difference) in enumerate(differences)
        ]
        # Orders stated before and no longer credited at all (rare) are taken back too.
        for order_id, amount in stated.items():
            if order_id is not None and amount:
                rows.append(
                    WageStatementLine(
                        statement=adjustment,
                        position=len(rows),
                        order_id=order_id,
                        description=_("No longer approved in this month"),
                        amount_yen=-amount,
                    )
                )
        WageStatementLine.objects.bulk_create(rows)
        _refresh_totals(adjustment)
        _event(adjustment, by=by, to=Status.DRAFT, note=locked.number)
    adjustment.refresh_from_db()
    return adjustment


# --- the month for everyone (a background task with a progress bar) --------------------------


def people_to_state(workshop: Workshop, month: datetime.date) -> list[int]:
    """Everyone with something to state for the month, whatever their status now (someone who
    paused or ended support is still paid for what they did)."""
    start, end = money.month_bounds(month)
    ids = (
        set(
            Credit.objects.filter(
                workshop=workshop, approved_at__gte=start, approved_at__lt=end
            ).values_list("participant", flat=True)
        )
        | set(
            ProgressLog.objects.filter(
                unit__workshop=workshop, created_at__gte=start, created_at__lt=end
            ).values_list("participant", flat=True)
        )
        | set(
            Attendance.objects.filter(
                participant__workshop=workshop, day__gte=month, day__lt=money.next_month(month)
            ).values_list("participant", flat=True)
        )
    )
    return sorted(ids)


def start_month_run(*, workshop: Workshop, month: datetime.date, by) -> WageRun:
    """Draft the month's statements for everyone, in the background; the money page shows its
    progress. Statements already checked or issued are left alone."""
    month = money.first_of_month(month)
    if month > money.first_of_month(timezone.localdate()):
        raise WageError(_("That month has not started yet."), code="invalid")
    with transaction.atomic():
        Workshop.objects.select_for_update().filter(pk=workshop.pk).values("pk").first()
        if WageRun.objects.unfinished().filter(workshop=workshop, month=month).exists():
            raise WageError(
                _("The statements of this month are being drafted already."), code="run_running"
            )
        people = people_to_state(workshop, month)
        run = WageRun.objects.create(
            workshop=workshop,
            month=month,
            created_by=by,
            participant_ids=people,
            total=len(people),
        )
        # With the database backend the task row is part of this transaction.
        run_month.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


@task()
def run_month(run_id: int) -> None:
    draft_run(run_id=run_id)


def draft_run(*, run_id: int) -> WageRun:
    """Draft the run's people batch by batch; resumable from `done_count` if retried."""
    run = WageRun.objects.select_related("workshop", "created_by").get(pk=run_id)
    if run.finished:
        return run
    WageRun.objects.filter(pk=run_id, status=WageRun.Status.QUEUED).update(
        status=WageRun.Status.RUNNING
    )
    try:
        while True:
            current = WageRun.objects.get(pk=run_id)
            batch = current.participant_ids[current.done_count : current.done_count + RUN_BATCH]
            if not batch:
                WageRun.objects.filter(pk=run_id).update(
                    status=WageRun.Status.DONE, finished_at=timezone.now()
                )
                break
            with transaction.atomic():
                for participant in Participant.objects.filter(pk__in=batch).select_related(
                    "workshop"
                ):
                    draft_statement(participant=participant, month=run.month, by=run.created_by)
                WageRun.objects.filter(pk=run_id).update(done_count=current.done_count + len(batch))
    except WageError as refused:
        WageRun.objects.filter(pk=run_id).update(
            status=WageRun.Status.FAILED, error=refused.message, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


# --- paying: the transfer list and the bank account ------------------------------------------


@dataclass(frozen=True)
class Transfer:
    participant: Participant
    account: BankAccount | None
    amount: int
    numbers: tuple[str, ...]


def transfers_for(workshop: Workshop, month: datetime.date) -> list[Transfer]:
    """One row per person paid on the month's pay day: the issued statements (the month's own
    and adjustments due that day) added up. People whose total is not above zero are left out."""
    pay_date = money.wage_pay_date(workshop, month)
    statements = (
        WageStatement.objects.filter(workshop=workshop, status=Status.ISSUED, pay_date=pay_date)
        .select_related("participant")
        .order_by("participant__nickname", "participant", "pk")
    )
    accounts = {
        account.participant_id: account
        for account in BankAccount.objects.filter(participant__in=statements.values("participant"))
    }
    rows: dict[int, Transfer] = {}
    for statement in statements:
        before = rows.get(statement.participant_id)
        rows[statement.participant_id] = Transfer(
            participant=statement.participant,
            account=accounts.get(statement.participant_id),
            amount=(before.amount if before else 0) + statement.total_yen,
            numbers=(*(before.numbers if before else ()), statement.number),
        )
    return [row for row in rows.values() if row.amount > 0]


def audit_transfer_export(*, workshop: Workshop, by, transfers: list[Transfer], what: str) -> None:
    """The transfer CSV and the 全銀 file hold bank accounts in full: one audit row per person."""
    label = pathway.actor_label(by)
    AuditLog.objects.bulk_create(
        AuditLog(
            actor=by,
            actor_label=label,
            workshop=workshop,
            action=AuditLog.Action.EXPORT,
            record_type="bank_account",
            record_id=row.account.pk if row.account else None,
            participant_id=row.participant.pk,
            summary=what[:200],
        )
        for row in transfers
    )


class BankAccountInvalid(WageError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(
            " ".join(m for messages in errors.values() for m in messages), code="invalid"
        )
        self.errors = errors


def set_bank_account(*, participant: Participant, by, **fields) -> BankAccount:
    """Staff enter or correct the account 工賃 are paid to (from the bankbook). Validated as the
    transfer format needs it; written to the audit log (never the number itself)."""
    account = BankAccount.objects.filter(participant=participant).first()
    is_new = account is None
    account = account or BankAccount(participant=participant)
    for name, value in fields.items():
        if name in KANA_FIELDS:
            value = zengin.to_half_width_kana(value.strip())
        setattr(account, name, value.strip() if isinstance(value, str) else value)
    account.updated_by = by
    account.updated_at = timezone.now()
    try:
        account.full_clean(exclude=["participant", "updated_by"])
    except ValidationError as error:
        raise BankAccountInvalid(error.message_dict) from None
    with transaction.atomic():
        account.save()
        pathway.audit(
            actor=by,
            action=AuditLog.Action.CREATE if is_new else AuditLog.Action.UPDATE,
            participant=participant,
            record_type="bank_account",
            summary=_("Bank account for 工賃"),
        )
    return account


def statements_of(workshop: Workshop, month: datetime.date) -> QuerySet[WageStatement]:
    return (
        WageStatement.objects.filter(workshop=workshop, month=month)
        .select_related("participant", "adjusts")
        .order_by("participant__nickname", "kind", "pk")
    )


def update_money_settings(*, workshop: Workshop, by, **fields) -> MoneySettings:
    """A manager sets the fiscal year's first month, the pay day and the paying account (for
    the 全銀 file's header). Names are stored as the bank prints them (half-width kana)."""
    settings = money.settings_for(workshop)
    for name, value in fields.items():
        if name in {"consignor_name_kana", "bank_name_kana", "branch_name_kana"}:
            value = zengin.to_half_width_kana((value or "").strip())
        setattr(settings, name, value.strip() if isinstance(value, str) else value)
    try:
        settings.full_clean(exclude=["workshop"])
    except ValidationError as error:
        raise BankAccountInvalid(error.message_dict) from None
    settings.save()
    return settings
