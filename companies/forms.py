"""Forms of the company portal. They only turn what was typed into Python values; whether an
order makes sense is decided by jobs/orders.py, whose per-field errors the views put back here.
`PendingUploads` keeps files chosen on a form that had to be shown again, so nothing uploaded
is lost while the company fixes what was typed."""

import datetime
import secrets
import unicodedata
import uuid
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.attachments import Kind
from jobs.models import Order
from workshop import limits

# Counters a company may pick from; any other short word can be typed too.
UNIT_SUGGESTIONS = ("個", "枚", "件", "部", "冊", "袋", "箱", "セット", "行", "ページ")


class FlexibleIntegerField(forms.IntegerField):
    """A whole number as people type it in Japan: full-width digits, thousands separators, and
    a trailing 円 or unit are all fine."""

    strip_characters = ",，、 　円¥￥"
    # A text box, not type=number: browsers refuse "1,000" and full-width digits there.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
            for character in self.strip_characters:
                value = value.replace(unicodedata.normalize("NFKC", character), "")
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content in jobs/attachments.py."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


FILES_HELP = _(
    "Specifications or samples: PDF, images (JPEG, PNG, GIF, WebP) or CSV, up to 20 MB each. "
    "You can choose several."
)


class OrderForm(forms.Form):
    """The terms of an order, with the same field names as jobs.orders.TERM_FIELDS."""

    workshop = forms.ModelChoiceField(
        label=_("Send to"), queryset=None, empty_label=_("Choose a workshop")
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("A short name you will recognise, e.g. “Direct mail for March, folding”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of work"),
        choices=Order.Kind.choices,
        initial=Order.Kind.HANDS_ON,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=_("What the work is"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is made or checked, and what it is for."),
    )
    instructions = forms.CharField(
        max_length=limits.DESCRIPTION_LENGTH,
        label=_("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How to do it, step by step, and what a finished item looks like."),
    )
    quantity = FlexibleIntegerField(
        label=_("Quantity"), required=False, min_value=0, max_value=10_000_000
    )
    unit_label = forms.CharField(
        label=_("Counted in"),
        max_length=10,
        initial="個",
        error_messages={"required": _("Say what the quantity is counted in, e.g. 枚, 個 or 件.")},
        widget=forms.TextInput(attrs={"list": "unit-suggestions", "size": 6}),
    )
    unit_price_yen = FlexibleIntegerField(
        label=_("Unit price (yen, before tax)"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        help_text=_("Give the unit price or the total; the other is worked out."),
    )
    total_price_yen = FlexibleIntegerField(
        label=_("Total price (yen, before tax)"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
    )
    desired_delivery_date = forms.DateField(
        validators=[limits.validate_date],
        label=_("Desired delivery date"),
        required=False,
        widget=DateInput(),
    )
    payment_date = forms.DateField(
        validators=[limits.validate_date],
        label=_("Payment date"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave it empty for the end of the month after delivery. "
            "It can be at most 60 days after the delivery date."
        ),
    )
    delivery_method = forms.ChoiceField(
        label=_("Delivery method"),
        choices=Order.DeliveryMethod.choices,
        initial=Order.DeliveryMethod.PICKUP,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(label=_("Files"), help_text=FILES_HELP)
    notes = forms.CharField(
        max_length=limits.REASON_LENGTH,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything else the workshop should know, e.g. who to call on delivery."),
    )

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshops is None:
            # Editing a draft: it already has its workshop.
            del self.fields["workshop"]
        else:
            self.fields["workshop"].queryset = workshops
            if len(workshops) == 1:
                self.fields["workshop"].initial = workshops[0]

    def terms(self) -> dict:
        """The parsed values under the names the order rules use."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"workshop", "files"}
        }


class OrderFilesForm(forms.Form):
    """More files for an order that already exists."""

    files = MultipleFileField(label=_("Add files"), help_text=FILES_HELP)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the workshop"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The workshop reads it in the order's history."),
    )


class RefuseChangesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrderFilter(django_filters.FilterSet):
    """The order list's filters, shared by the page and its CSV export."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Order.Status.choices, empty_label=_("Any status")
    )
    created_from = django_filters.DateFilter(
        label=_("Ordered from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    created_to = django_filters.DateFilter(
        label=_("Ordered until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    delivery_from = django_filters.DateFilter(
        label=_("Delivery from"),
        field_name="desired_delivery_date",
        lookup_expr="gte",
        widget=DateInput(),
    )
    delivery_to = django_filters.DateFilter(
        label=_("Delivery until"),
        field_name="desired_delivery_date",
        lookup_expr="lte",
        widget=DateInput(),
    )

    class Meta:
        model = Order
        fields = []


@dataclass(frozen=True)
class PendingUpload:
    id: str
    name: str
    size: int
    path: str


class PendingUploads:
    """Files that passed the content check on a form that was sent back for corrections.

    They wait in the default storage under a random token that travels with the form, listed in
    the session, so any app server can pick them up; they are attached when the form is saved.
    Files left behind by an abandoned form stay under `pending/<date>/`, where a clean-up job can
    remove old days."""

    session_key = "pending_order_uploads"

    def __init__(self, request: HttpRequest, token: str | None):
        self.session = request.session
        known = self.session.get(self.session_key, {})
        self.token = token if token and token in known else secrets.token_urlsafe(16)

    def _entries(self) -> list[dict]:
        return self.session.get(self.session_key, {}).get(self.token, [])

    def _save(self, entries: list[dict]) -> None:
        stash = dict(self.session.get(self.session_key, {}))
        if entries:
            stash[self.token] = entries
        else:
            stash.pop(self.token, None)
        self.session[self.session_key] = stash

    def all(self) -> list[PendingUpload]:
        return [PendingUpload(**entry) for entry in self._entries()]

    def add(self, upload: UploadedFile, kind: Kind) -> None:
        day = timezone.localdate().isoformat()
        path = default_storage.save(
            f"pending/{day}/{self.token}/{uuid.uuid4().hex}.{kind.extension}", upload
        )
        entry = {"id": uuid.uuid4().hex[:12], "name": upload.name or "file", "size": upload.size}
        self._save([*self._entries(), {**entry, "path": path}])

    def keep_only(self, ids: list[str]) -> None:
        """Forget the files the person unticked."""
        kept, dropped = [], []
        for entry in self._entries():
            (kept if entry["id"] in ids else dropped).append(entry)
        for entry in dropped:
            default_storage.delete(entry["path"])
        self._save(kept)

    def open(self, pending: PendingUpload) -> File:
        stored = default_storage.open(pending.path)
        return File(stored, name=pending.name)

    def clear(self) -> None:
        for entry in self._entries():
            default_storage.delete(entry["path"])
        self._save([])


class ResultsSinceForm(forms.Form):
    """Which results of a digital order to download: all, or those approved since a day."""

    since = forms.DateField(
        label=_("Approved on or after"),
        required=False,
        validators=[limits.validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "results_%s")
        super().__init__(*args, **kwargs)

    def moment(self) -> datetime.datetime | None:
        """The start of the chosen day in the site's time zone."""
        day = self.cleaned_data.get("since")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
