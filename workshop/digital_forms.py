"""The forms of a digital order's pages (staff console and company portal): the answer form
editor (one row per field, a blank row to add one, no JavaScript needed), the upload of items
and how items are shown and checked. They parse; the rules are in jobs/items.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs import answer_forms, items
from jobs.answer_forms import FieldType
from jobs.digital_models import CheckingMode
from workshop import limits

KEY_HELP = _("Letters a-z, digits and _; the column's name in the results.")


class FieldForm(forms.Form):
    """One field of an answer form. Empty rows are left out."""

    key = forms.CharField(
        label=_("Name in the results"), max_length=40, required=False, help_text=KEY_HELP
    )
    type = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=[(kind, FieldType.LABELS[kind]) for kind in FieldType.ALL],
        required=False,
    )
    label = forms.CharField(label=_("Label"), max_length=answer_forms.LABEL_LENGTH, required=False)
    help = forms.CharField(
        label=_("Help"),
        max_length=answer_forms.HELP_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    cant_read = forms.BooleanField(label=_("Offer “I can't read this”"), required=False)
    min_length = forms.IntegerField(
        label=_("Fewest characters"),
        min_value=0,
        max_value=answer_forms.LONG_TEXT_LENGTH,
        required=False,
    )
    max_length = forms.IntegerField(
        label=_("Most characters"),
        min_value=0,
        max_value=answer_forms.LONG_TEXT_LENGTH,
        required=False,
    )
    min = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=19, decimal_places=6
    )
    max = forms.DecimalField(
        label=_("Largest number"), required=False, max_digits=19, decimal_places=6
    )
    pattern = forms.CharField(
        label=_("Pattern (regular expression)"),
        max_length=answer_forms.PATTERN_LENGTH,
        required=False,
        help_text=_("Short text only; for example [0-9]{13} for a JAN code."),
    )
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        max_length=answer_forms.MAX_CHOICES * (answer_forms.CHOICE_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("key") or data.get("label"))

    def spec(self) -> dict:
        """The field spec for answer_forms.check_fields (which says what is wrong with it)."""
        data = self.cleaned_data
        spec = {
            "key": data["key"].strip(),
            "type": data["type"],
            "label": data["label"],
            "help": data["help"],
            "required": data["required"],
            "cant_read": data["cant_read"],
        }
        if data["type"] in (FieldType.SHORT_TEXT, FieldType.LONG_TEXT):
            for name in ("min_length", "max_length"):
                if data[name] is not None:
                    spec[name] = data[name]
            if data["pattern"]:
                spec["pattern"] = data["pattern"]
        if data["type"] == FieldType.NUMBER:
            for name in ("min", "max"):
                if data[name] is not None:
                    spec[name] = str(data[name])
        if data["type"] in (FieldType.CHOICE, FieldType.CHOICES):
            spec["choices"] = [
                line.strip() for line in data["choices"].splitlines() if line.strip()
            ]
        return spec


def initial_rows(fields: list[dict]) -> list[dict]:
    """A form version's specs as the editor's rows."""
    return [{**spec, "choices": "\n".join(spec.get("choices", []))} for spec in fields]


FieldFormSet = forms.formset_factory(
    FieldForm,
    extra=1,
    max_num=answer_forms.MAX_FIELDS,
    absolute_max=answer_forms.MAX_FIELDS + 1,
    can_delete=True,
    validate_max=True,
)


def read_fields(formset) -> list[dict] | None:
    """The specs of a valid editor, in order, without blank or deleted rows; None (with the
    errors on the rows) when a row is wrong."""
    if not formset.is_valid():
        return None
    rows = [
        form
        for form in formset.forms
        if not form.is_blank() and not form.cleaned_data.get("DELETE")
    ]
    specs = [form.spec() for form in rows]
    try:
        return answer_forms.check_fields(specs)
    except answer_forms.FormSpecError as refused:
        if refused.field and refused.field <= len(rows):
            rows[refused.field - 1].add_error(None, refused.message)
        else:
            formset._non_form_errors = formset.error_class([refused.message])
        return None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or ZIP of images"),
        help_text=_(
            "CSV: the first row names the columns; UTF-8 or Shift_JIS (Excel's CSV) are both "
            "read. ZIP: images (JPEG, PNG) at the top level, not in folders."
        ),
    )
    shown_columns = forms.CharField(
        label=_("Columns the participant sees (optional)"),
        required=False,
        max_length=limits.REASON_LENGTH,
        help_text=_("Column names separated by commas. Empty: every column."),
        validators=[limits.validate_text],
    )

    def columns(self) -> list[str]:
        text = self.cleaned_data.get("shown_columns") or ""
        return [name.strip() for name in text.replace("、", ",").split(",") if name.strip()]


class CheckingForm(forms.Form):
    checking = forms.ChoiceField(
        label=_("How the answers are checked"),
        choices=CheckingMode.choices,
        widget=forms.RadioSelect,
    )
    spot_check_size = forms.IntegerField(
        label=_("Items checked per unit (spot checks)"), min_value=1, max_value=items.MAX_SPOT_CHECK
    )
    shown_columns = forms.MultipleChoiceField(
        label=_("Columns the participant sees"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown_columns"].choices = [(name, name) for name in columns]
        if not columns:
            del self.fields["shown_columns"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the company reads this)"),
        required=False,
        max_length=limits.REASON_LENGTH,
        validators=[limits.validate_text],
    )
