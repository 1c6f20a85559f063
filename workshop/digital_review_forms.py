"""The forms of the staff's checking of digital work (workshop/digital_review_views.py): a
decision on one answer (approve, send back to fix, do not accept, with a kind phrase and a
note), and the settling of an item whose two entries differ. They hold no rule: the answer
itself is checked by jobs/answer_forms.py through jobs/checking.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs import answer_forms
from jobs.answer_forms import FieldType
from jobs.models import Answer, RedoPhrase

NOTE_LENGTH = 1000
APPROVE, SEND_BACK, REJECT = "approve", "send_back", "reject"
TYPED = "typed"


class AnswerDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Good")),
            (SEND_BACK, _("Ask to fix")),
            (REJECT, _("Do not accept (not paid)")),
        ],
        initial=APPROVE,
        widget=forms.RadioSelect,
    )
    phrase = forms.TypedChoiceField(
        label=_("Start from a phrase"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("What to change, in your own words"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("They read this beside their answer. Keep it short, kind and specific."),
    )

    def __init__(self, *args, phrases: list[RedoPhrase], **kwargs):
        super().__init__(*args, **kwargs)
        self.phrases = {phrase.pk: phrase.text for phrase in phrases}
        self.fields["phrase"].choices = [("", "—"), *self.phrases.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (SEND_BACK, REJECT) and not self.note_text():
            self.add_error(
                "note", _("Please write what to change, or choose a phrase, so they know.")
            )
        return cleaned

    def note_text(self) -> str:
        phrase = self.phrases.get(self.cleaned_data.get("phrase"), "")
        own_words = (self.cleaned_data.get("note") or "").strip()
        return "\n".join(part for part in [phrase, own_words] if part)


def _value_field(spec: dict) -> forms.Field:
    """A field for staff to type the right answer to one form field."""
    label, kind = spec["label"], spec["type"]
    if kind == FieldType.LONG_TEXT:
        return forms.CharField(
            label=label,
            required=False,
            max_length=answer_forms.LONG_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    if kind == FieldType.CHOICE:
        choices = [("", "—"), *((c, c) for c in spec["choices"])]
        return forms.ChoiceField(label=label, required=False, choices=choices)
    if kind == FieldType.CHOICES:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=[(c, c) for c in spec["choices"]],
            widget=forms.CheckboxSelectMultiple,
        )
    if kind == FieldType.YES_NO:
        choices = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(label=label, required=False, choices=choices)
    if kind == FieldType.DATE:
        return forms.CharField(
            label=label,
            required=False,
            max_length=10,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    return forms.CharField(label=label, required=False, max_length=answer_forms.SHORT_TEXT_LENGTH)


class ResolveForm(forms.Form):
    """Pick one of the two entries or type the right answer; optionally, do not accept one."""

    choice = forms.ChoiceField(label=_("The right answer"), widget=forms.RadioSelect)
    cant_read = forms.BooleanField(label=_("The input cannot be read"), required=False)
    reject = forms.ChoiceField(label=_("Do not accept an entry (not paid)"), required=False)
    reject_note = forms.CharField(
        label=_("What to change, for that person"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when an entry is clearly careless: both did the work otherwise."),
    )

    def __init__(self, *args, specs: list[dict], entries: list[Answer], **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = specs
        names = [_("Entry %(n)s") % {"n": n} for n in (1, 2)]
        self.fields["choice"].choices = [
            *((str(a.pk), name) for a, name in zip(entries, names, strict=True)),
            (TYPED, _("Write it below")),
        ]
        self.fields["reject"].choices = [
            ("", _("Both are accepted")),
            *((str(a.pk), name) for a, name in zip(entries, names, strict=True)),
        ]
        for spec in specs:
            self.fields[f"v_{spec['key']}"] = _value_field(spec)
        if not any(spec.get("cant_read") for spec in specs):
            del self.fields["cant_read"]

    def value_fields(self):
        return [self[f"v_{spec['key']}"] for spec in self.specs]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reject") and not (cleaned.get("reject_note") or "").strip():
            self.add_error("reject_note", _("Please write what to change, so they know."))
        return cleaned

    def typed_values(self) -> dict:
        return {spec["key"]: self.cleaned_data.get(f"v_{spec['key']}") for spec in self.specs}
