"""Forms of the staff's money pages: they parse and keep what was typed; the rules
(participants/wages.py, jobs/invoicing.py, jobs/books.py) decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import ProductionCost
from jobs.money_models import AccountType
from workshop import limits

MAX_YEN = 100_000_000


def month_choices(count: int = 13) -> list[tuple[str, str]]:
    """This month and the twelve before it, newest first, as "2026-11"."""
    month = timezone.localdate().replace(day=1)
    choices = []
    for _i in range(count):
        choices.append((month.strftime("%Y-%m"), month.strftime("%Y-%m")))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return choices


def parse_month(text: str | None) -> datetime.date:
    """ "2026-11" → 2026-11-01; anything else (or nothing) is this month."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


class YenField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_YEN)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class DeductionForm(forms.Form):
    amount_yen = YenField(label=_("Amount (yen)"))
    reason = forms.CharField(
        label=_("Reason (the participant reads it)"), max_length=200, strip=True
    )


class AdjustmentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the statement is corrected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdjustmentLineForm(forms.Form):
    description = forms.CharField(label=_("What the correction is for"), max_length=200)
    amount_yen = forms.IntegerField(
        label=_("Amount (yen; negative to take off)"),
        min_value=-MAX_YEN,
        max_value=MAX_YEN,
        widget=forms.NumberInput(attrs={"autocomplete": "off"}),
    )


class InvoiceLineForm(forms.Form):
    description = forms.CharField(label=_("What was done"), max_length=200)
    quantity = forms.IntegerField(
        max_value=limits.MAX_ORDER_QUANTITY,
        label=_("Quantity (optional)"),
        min_value=1,
        required=False,
    )
    unit_label = forms.CharField(label=_("Counted in"), max_length=10, required=False)
    unit_price_yen = YenField(label=_("Unit price (optional)"), required=False)
    amount_yen = YenField(label=_("Amount before tax (yen)"))
    tax_rate = forms.TypedChoiceField(
        label=_("Tax rate"),
        coerce=int,
        choices=[(10, _("10% (standard)")), (8, _("8% (reduced rate)"))],
        initial=10,
    )


class MonthInvoiceForm(forms.Form):
    company = forms.IntegerField(max_value=limits.MAX_ID, widget=forms.HiddenInput)
    month = forms.CharField(max_length=limits.LABEL_LENGTH, widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        validators=[limits.validate_date],
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    amount_yen = forms.IntegerField(
        label=_("Amount paid (leave empty for the amount due)"),
        min_value=0,
        max_value=10**11,
        required=False,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class ReturnInvoiceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why part is returned (a discount, items sent back, a mistake)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CostForm(forms.Form):
    spent_on = forms.DateField(
        validators=[limits.validate_date],
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    category = forms.ChoiceField(label=_("Kind"), choices=ProductionCost.Category.choices)
    description = forms.CharField(label=_("What it was"), max_length=200)
    amount_yen = YenField(label=_("Amount paid (yen)"))
    receipt = forms.FileField(
        label=_("Receipt (PDF or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


def _digits(label, length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=length,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _kana(label, length: int, *, required: bool = True) -> forms.CharField:
    # Typed in any katakana or hiragana; the rule stores it as the bank prints it (half-width),
    # so the form allows a little more than the stored length.
    return forms.CharField(label=label, max_length=length * 2, required=required)


class BankAccountForm(forms.Form):
    """Staff type the account from the bankbook (participants.wages.set_bank_account checks it)."""

    bank_code = _digits(_("Bank code (4 digits)"), 4)
    bank_name_kana = _kana(_("Bank name in katakana (optional)"), 15, required=False)
    branch_code = _digits(_("Branch code (3 digits)"), 3)
    branch_name_kana = _kana(_("Branch name in katakana (optional)"), 15, required=False)
    account_type = forms.ChoiceField(label=_("Account type"), choices=AccountType.choices)
    account_number = _digits(_("Account number (7 digits)"), 7)
    holder_kana = _kana(_("Account holder in katakana, as in the bankbook"), 30)


class MoneySettingsForm(forms.Form):
    fiscal_year_start_month = forms.IntegerField(
        label=_("First month of the fiscal year"), min_value=1, max_value=12, initial=4
    )
    wage_payday = forms.IntegerField(
        label=_("Day of the next month 工賃 are paid"), min_value=1, max_value=28, initial=10
    )
    consignor_code = forms.CharField(
        label=_("Consignor code (委託者コード, 10 digits)"), max_length=10, required=False
    )
    consignor_name_kana = _kana(_("Consignor name in katakana"), 40, required=False)
    bank_code = forms.CharField(label=_("Bank code (4 digits)"), max_length=4, required=False)
    bank_name_kana = _kana(_("Bank name in katakana (optional)"), 15, required=False)
    branch_code = forms.CharField(label=_("Branch code (3 digits)"), max_length=3, required=False)
    branch_name_kana = _kana(_("Branch name in katakana (optional)"), 15, required=False)
    account_type = forms.ChoiceField(label=_("Account type"), choices=AccountType.choices)
    account_number = forms.CharField(
        label=_("Account number (7 digits)"), max_length=7, required=False
    )
