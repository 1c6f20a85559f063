"""What the documents to companies (order sheet 発注書, delivery slip 納品書, and later the
invoice) compute alike: consumption tax on a tax-exclusive amount, and a delivery's amounts."""

from dataclasses import dataclass

from jobs.models import Delivery

# Prices are written before tax; the documents add consumption tax at this rate.
CONSUMPTION_TAX_PERCENT = 10


def consumption_tax_yen(amount: int) -> int:
    """Consumption tax on a tax-exclusive amount, rounded down as is usual on invoices."""
    return amount * CONSUMPTION_TAX_PERCENT // 100


@dataclass(frozen=True)
class SlipAmounts:
    """The money on a delivery slip: the delivered quantity at the order's unit price."""

    unit_price_yen: int | None
    amount_yen: int | None
    tax_yen: int | None
    total_yen: int | None
    tax_percent: int = CONSUMPTION_TAX_PERCENT


def slip_amounts(delivery: Delivery) -> SlipAmounts:
    """Unit price × delivered quantity, and the tax on it. An order priced as a whole (no unit
    price) has no amount per delivery: the slip then shows quantities only, and the invoice
    bills the total."""
    unit_price = delivery.order.unit_price_yen
    if unit_price is None:
        return SlipAmounts(unit_price_yen=None, amount_yen=None, tax_yen=None, total_yen=None)
    amount = unit_price * delivery.quantity
    tax = consumption_tax_yen(amount)
    return SlipAmounts(
        unit_price_yen=unit_price, amount_yen=amount, tax_yen=tax, total_yen=amount + tax
    )
