"""Forms of the joint order desk. They turn what was typed into values; network/desk.py and
jobs/orders.py decide whether it makes sense."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.forms import OrderForm
from workshop import limits
from workshop.limits import validate_text


class JointOrderForm(OrderForm):
    """The order form of the portal, sent to a network's desk instead of one workshop (files
    are attached to each workshop's order once it has taken its share on)."""

    network = forms.ModelChoiceField(
        label=_("Send to the network"), queryset=None, empty_label=_("Choose a network")
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, workshops=None, **kwargs)
        del self.fields["files"]
        self.fields["network"].queryset = networks
        if len(networks) == 1:
            self.fields["network"].initial = networks[0]
        self.order_fields(["network"])

    def terms(self) -> dict:
        return {name: v for name, v in self.cleaned_data.items() if name != "network"}


class RouteForm(forms.Form):
    """A quantity for each workshop of the network: one workshop, or several shares."""

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = list(workshops)
        for workshop in self.workshops:
            self.fields[f"w{workshop.pk}"] = forms.IntegerField(
                label=workshop.name,
                required=False,
                min_value=0,
                max_value=limits.MAX_ORDER_QUANTITY,
            )

    def parts(self) -> list[tuple]:
        """(workshop, quantity) for every workshop given a quantity above 0."""
        return [
            (workshop, self.cleaned_data[f"w{workshop.pk}"])
            for workshop in self.workshops
            if self.cleaned_data.get(f"w{workshop.pk}")
        ]


class AcceptShareForm(forms.Form):
    minutes_per_item = forms.IntegerField(
        label=_("Estimated minutes per item"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Optional: shows the hourly equivalent on the order."),
    )


class DeclineShareForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you cannot take it (the coordinator reads this)"),
        max_length=limits.REASON_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
