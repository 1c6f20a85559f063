"""Template filters for how Engawa shows money and dates, the same on every page."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def yen(amount: int | None) -> str:
    """Integer yen with thousands separators: "12,345円" in Japanese, "¥12,345" in English."""
    if amount is None or amount == "":
        return ""
    return _("¥%(amount)s") % {"amount": intcomma(int(amount), use_l10n=False)}


@register.filter
def days_from_today(day: datetime.date | None) -> int | None:
    """Whole days from today (in the site's time zone) to `day`; negative once it has passed."""
    if day is None:
        return None
    return (day - timezone.localdate()).days


@register.filter
def due_in(day: datetime.date | None) -> str:
    """A calm phrase for a due date, for staff and companies: "in 3 days", "today", "2 days ago"."""
    days = days_from_today(day)
    if days is None:
        return ""
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    return ngettext("%(days)d day ago", "%(days)d days ago", -days) % {"days": -days}
