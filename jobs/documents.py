"""The document machinery: every document Engawa issues (delivery slip 納品書, order
confirmation 注文請書, invoice 請求書, return invoice 返還インボイス, wage statement 工賃明細) is
first built here as one `Paper`, from figures that jobs/money.py computed and the rules stored.
The HTML page (templates/jobs/paper.html) and the PDF (jobs/pdf.py) both draw that same Paper,
so the two can never disagree. Papers are built in the active language."""

import datetime
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobs import money
from jobs.models import Delivery, Invoice, Order, OrderConfirmation
from workshop.models import Workshop
from workshop.templatetags.engawa import yen

# Kept for the pages that import them from here (the order sheet, the slip).
CONSUMPTION_TAX_PERCENT = money.STANDARD_TAX_RATE
consumption_tax_yen = money.consumption_tax_yen
slip_amounts = money.slip_amounts
SlipAmounts = money.SlipAmounts


@dataclass(frozen=True)
class Party:
    heading: str
    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    width: int = 2  # relative width in the PDF's table


@dataclass(frozen=True)
class Paper:
    """A document as it is printed: everything already formatted as text."""

    kind: str
    title: str
    number: str
    facts: tuple[tuple[str, str], ...]
    addressee: Party
    issuer: Party
    lede: str = ""
    headline: tuple[str, str] | None = None
    columns: tuple[Column, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    totals: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    mark: str = ""  # "DRAFT" across a document that is not issued yet
    seal: bool = True
    filename: str = "document.pdf"

    @property
    def table(self) -> list[list[tuple[str, bool]]]:
        """The rows with each cell's "numeric" flag, for right-aligning amounts."""
        flags = [column.numeric for column in self.columns]
        return [list(zip(row, flags, strict=True)) for row in self.rows]


def day(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def count(quantity: int, label: str) -> str:
    return f"{intcomma(quantity, use_l10n=False)} {label}".strip()


def signed_yen(amount: int) -> str:
    """+¥300 / −¥300, for what an adjustment changes."""
    if amount < 0:
        return "−" + yen(-amount)
    return "+" + yen(amount)


def workshop_party(workshop: Workshop, heading: str) -> Party:
    lines = [workshop.operator, workshop.address]
    if workshop.phone:
        lines.append(_("Phone") + ": " + workshop.phone)
    if workshop.invoice_registration_number:
        lines.append(_("Registration No.") + ": " + workshop.invoice_registration_number)
    return Party(heading=heading, name=workshop.name, lines=tuple(line for line in lines if line))


def company_party(company, heading: str) -> Party:
    lines = [company.address]
    if company.phone:
        lines.append(_("Phone") + ": " + company.phone)
    if company.contact_name:
        lines.append(_("Contact person") + ": " + company.contact_name)
    if company.invoice_registration_number:
        lines.append(_("Registration No.") + ": " + company.invoice_registration_number)
    name = pgettext("addressee of an order sheet", "%(name)s") % {"name": company.name}
    return Party(heading=heading, name=name, lines=tuple(line for line in lines if line))


# --- delivery slip (納品書) -----------------------------------------------------------------


def slip_paper(delivery: Delivery) -> Paper:
    order = delivery.order
    amounts = money.slip_amounts(delivery)
    details = [
        (_("Title"), order.title),
        (
            _("Quantity delivered"),
            count(delivery.quantity, order.unit_label)
            + (f" ({_('final delivery')})" if delivery.is_final else ""),
        ),
        (_("Quantity ordered"), count(order.quantity, order.unit_label)),
    ]
    totals: list[tuple[str, str]] = []
    if amounts.unit_price_yen is not None:
        details.append((_("Unit price"), yen(amounts.unit_price_yen)))
        totals = [
            (_("Amount (before tax)"), yen(amounts.amount_yen)),
            (
                _("Consumption tax (%(tax_percent)s%%)") % {"tax_percent": amounts.tax_percent},
                yen(amounts.tax_yen),
            ),
            (_("Total including tax"), yen(amounts.total_yen)),
        ]
    else:
        details.append(
            (_("Amount (before tax)"), _("The order is priced as a whole; the invoice bills it."))
        )
    details += [
        (_("Delivery method"), delivery.get_method_display()),
        (_("Notes"), delivery.note or "—"),
    ]
    return Paper(
        kind="slip",
        title=_("Delivery slip"),
        number=delivery.slip_number,
        facts=(
            (_("Delivery slip No."), delivery.slip_number),
            (_("Order No."), order.number),
            (_("Date of delivery"), day(delivery.delivered_on)),
        ),
        addressee=company_party(order.company, _("To (the ordering company)")),
        issuer=workshop_party(order.workshop, _("From (the contractor)")),
        lede=_("We deliver the following."),
        details=tuple(details),
        totals=tuple(totals),
        notes=(
            _(
                "Prices are in Japanese yen. Consumption tax is calculated on the amount "
                "before tax and rounded down."
            ),
            _("This slip is not changed once issued; a correction is issued as a new document."),
        ),
        filename=f"slip-{delivery.slip_number}.pdf",
    )


# --- order confirmation (注文請書) ----------------------------------------------------------


def confirmation_paper(confirmation: OrderConfirmation) -> Paper:
    amounts = money.order_amounts(
        total_price_yen=confirmation.total_price_yen, rate=confirmation.tax_rate
    )
    method = dict(Order.DeliveryMethod.choices).get(
        confirmation.delivery_method, confirmation.delivery_method
    )
    details = [
        (_("Title"), confirmation.title),
        (_("Work to be delivered"), confirmation.description or confirmation.title),
        (_("Quantity"), count(confirmation.quantity, confirmation.unit_label)),
        (
            _("Unit price"),
            yen(confirmation.unit_price_yen) if confirmation.unit_price_yen is not None else "—",
        ),
        (_("Delivery date"), day(confirmation.delivery_date)),
        (_("Delivery method"), str(method)),
        (_("Payment date"), day(confirmation.payment_date)),
    ]
    return Paper(
        kind="confirmation",
        title=_("Order confirmation"),
        number=confirmation.number,
        facts=(
            (_("No."), confirmation.number),
            (_("Order No."), confirmation.order.number),
            (_("Date of order"), day(confirmation.ordered_on)),
            (_("Accepted on"), day(confirmation.issued_on)),
        ),
        addressee=company_party(confirmation.company, _("To (the ordering company)")),
        issuer=workshop_party(confirmation.workshop, _("From (the contractor)")),
        lede=_("We accept your order on the following terms."),
        headline=(_("Total including tax"), yen(amounts.amount + amounts.tax)),
        details=tuple(details),
        totals=(
            (_("Amount (before tax)"), yen(amounts.amount)),
            (
                _("Consumption tax (%(tax_percent)s%%)") % {"tax_percent": amounts.rate},
                yen(amounts.tax),
            ),
            (_("Total including tax"), yen(amounts.amount + amounts.tax)),
        ),
        notes=(
            _(
                "Payment is due on the payment date above, which is no later than 60 days "
                "after delivery, as the subcontracting law requires."
            ),
            _(
                "Prices are in Japanese yen. Consumption tax is calculated on the amount "
                "before tax and rounded down."
            ),
            _("This document is not changed once issued; a correction is issued as a new one."),
        ),
        filename=f"{confirmation.number}.pdf",
    )


# --- invoices (適格請求書) and return invoices (返還インボイス) ---------------------------------


def invoice_paper(invoice: Invoice) -> Paper:
    """A qualified invoice carries the six items the invoice system asks for: the issuer's
    name and registration number, the date or period of the transactions, what was done (with
    reduced-rate items marked), the amount per tax rate with the rate, the tax per rate, and
    the addressee's name."""
    lines = list(invoice.lines.all())
    totals = money.invoice_totals((line.amount_yen, line.tax_rate) for line in lines)
    by_rate = invoice.tax_summary if invoice.is_issued else _summary(totals)
    reduced = any(line.is_reduced_rate for line in lines)
    rows = tuple(
        (
            day(line.delivered_on) if line.delivered_on else "",
            line.description + (" ※" if line.is_reduced_rate else ""),
            count(line.quantity, line.unit_label) if line.quantity is not None else "",
            yen(line.unit_price_yen) if line.unit_price_yen is not None else "",
            yen(line.amount_yen),
            f"{line.tax_rate}%",
        )
        for line in lines
    )
    rate_rows = []
    for part in by_rate:
        rate_rows.append(
            (
                _("Subject to %(rate)s%%") % {"rate": part["rate"]}
                + (" ※" if part["rate"] == money.REDUCED_TAX_RATE else ""),
                yen(part["amount"]),
            )
        )
        rate_rows.append(
            (_("Consumption tax (%(rate)s%%)") % {"rate": part["rate"]}, yen(part["tax"]))
        )
    subtotal = sum(part["amount"] for part in by_rate)
    tax = sum(part["tax"] for part in by_rate)
    notes = [
        _(
            "Consumption tax is computed once for each tax rate on the total of that rate's "
            "lines, and rounded down to the yen."
        )
    ]
    if reduced:
        notes.append(_("※ marks items at the reduced tax rate (8%)."))
    if invoice.is_return:
        title = _("Return invoice")
        lede = _("We return the following amounts on the invoice named below.")
        headline = (_("Amount returned (including tax)"), yen(subtotal + tax))
        facts_extra = ((_("Corrects invoice"), invoice.original.number),)
        if invoice.reason:
            notes.insert(0, _("Reason") + ": " + invoice.reason)
    else:
        title = _("Invoice")
        lede = _("We invoice you for the following.")
        headline = (_("Amount due (including tax)"), yen(subtotal + tax))
        facts_extra = ((_("Payment due"), day(invoice.due_date)),)
    return Paper(
        kind="return_invoice" if invoice.is_return else "invoice",
        title=title,
        number=invoice.number or _("(not issued yet)"),
        facts=(
            (_("No."), invoice.number or "—"),
            (_("Date of issue"), day(invoice.issued_on)),
            (
                _("Transactions"),
                day(invoice.period_start)
                if invoice.period_start == invoice.period_end
                else f"{day(invoice.period_start)} – {day(invoice.period_end)}",
            ),
            *facts_extra,
        ),
        addressee=company_party(invoice.company, _("To")),
        issuer=workshop_party(invoice.workshop, _("From (qualified invoice issuer)")),
        lede=lede,
        headline=headline,
        columns=(
            Column(_("Date"), width=3),
            Column(_("What was done"), width=5),
            Column(_("Quantity"), numeric=True, width=2),
            Column(_("Unit price"), numeric=True, width=2),
            Column(_("Amount (before tax)"), numeric=True, width=2),
            Column(_("Tax rate"), numeric=True, width=1),
        ),
        rows=rows,
        totals=(
            *rate_rows,
            (_("Amount (before tax)"), yen(subtotal)),
            (_("Consumption tax"), yen(tax)),
            (_("Total including tax"), yen(subtotal + tax)),
        ),
        notes=tuple(notes),
        mark="" if invoice.is_issued else _("DRAFT: not issued"),
        filename=f"{invoice.number or f'draft-{invoice.pk}'}.pdf",
    )


def _summary(totals: money.InvoiceTotals) -> list[dict]:
    return [{"rate": p.rate, "amount": p.amount, "tax": p.tax} for p in totals.by_rate]


# --- wage statements (工賃明細) ---------------------------------------------------------------


def statement_paper(statement) -> Paper:
    """A participant's statement: each line states how it was computed and is rounded down to
    the yen once; deductions give their reasons; an adjustment names the statement it adjusts."""
    hourly = statement.pay_mode == Workshop.PayMode.HOURLY
    rows = []
    for line in statement.lines.all():
        if statement.is_adjustment and not line.order_id:
            how = "—"
        elif hourly:
            how = _("%(minutes)s min × %(rate)s an hour") % {
                "minutes": intcomma(line.minutes, use_l10n=False),
                "rate": yen(statement.hourly_wage_yen),
            }
        else:
            how = _("%(quantity)s × %(price)s × %(share)s%%") % {
                "quantity": count(line.quantity, line.unit_label),
                "price": price_text(line.price_yen, line.price_per),
                "share": statement.wage_share_percent,
            }
        rows.append(
            (
                line.description,
                how,
                signed_yen(line.amount_yen) if statement.is_adjustment else yen(line.amount_yen),
            )
        )
    for deduction in statement.deductions.all():
        rows.append(
            (
                _("Deduction: %(reason)s") % {"reason": deduction.reason},
                "",
                "−" + yen(deduction.amount_yen),
            )
        )
    month_name = date_format(statement.month, "YEAR_MONTH_FORMAT")
    facts = [
        (_("No."), statement.number or "—"),
        (_("Month"), month_name),
        (_("Paid on"), day(statement.pay_date)),
    ]
    notes = [
        _(
            "Each line is rounded down to the yen once; the total adds the rounded lines and "
            "takes off the deductions."
        )
    ]
    if statement.is_adjustment:
        facts.append((_("Adjusts statement"), statement.adjusts.number))
        title = _("Wage statement: adjustment")
        lede = _("This corrects the statement named above; the amount below is the difference.")
        headline = (_("Difference"), signed_yen(statement.total_yen))
        if statement.reason:
            notes.insert(0, _("Reason") + ": " + statement.reason)
        totals = ((_("Difference"), signed_yen(statement.total_yen)),)
    else:
        title = _("Wage statement")
        lede = _("Your 工賃 for the month, from the work staff approved in it.")
        headline = (_("Total paid"), yen(statement.total_yen))
        totals = (
            (_("工賃 before deductions"), yen(statement.gross_yen)),
            (_("Deductions"), yen(statement.deductions_yen)),
            (_("Total paid"), yen(statement.total_yen)),
        )
    hours, minutes = divmod(statement.minutes_worked, 60)
    return Paper(
        kind="adjustment" if statement.is_adjustment else "statement",
        title=title,
        number=statement.number or _("(not issued yet)"),
        facts=tuple(facts),
        addressee=Party(
            heading=_("To"),
            name=pgettext("addressee of a wage statement", "%(name)s")
            % {"name": statement.participant.nickname},
        ),
        issuer=workshop_party(statement.workshop, _("From (the workshop)")),
        lede=lede,
        headline=headline,
        columns=(
            Column(_("Work"), width=4),
            Column(_("How it is computed"), width=5),
            Column(_("Amount"), numeric=True, width=2),
        ),
        rows=tuple(rows),
        details=(
            (_("Days worked"), _("%(days)s days") % {"days": statement.days_worked}),
            (
                _("Time recorded"),
                _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes},
            ),
        ),
        totals=totals,
        notes=tuple(notes),
        mark="" if statement.is_issued else _("DRAFT: not issued"),
        filename=f"{statement.number or f'draft-{statement.pk}'}.pdf",
    )


def price_text(price_yen: int, price_per: int) -> str:
    """A price per item as stored on a statement line: "¥25", or "¥100,000 ÷ 3,000" when the
    order was priced as a whole (the exact fraction, never a rounded decimal)."""
    if price_per == 1:
        return yen(price_yen)
    return f"{yen(price_yen)} ÷ {intcomma(price_per, use_l10n=False)}"
