"""The month's books, under /w/<workshop>/money/books/: production revenue by company, costs
with receipts, 工賃 issued and the check that 工賃 stay within revenue less costs; the CSV for
the accountant; and the money settings (managers). Rules: jobs/books.py, participants/wages.py;
figures: jobs/money.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import books, money
from jobs.models import ProductionCost
from jobs.money_access import get_cost_for_staff
from participants import wages
from workshop.money_forms import CostForm, MoneySettingsForm, month_choices, parse_month
from workshop.roles import is_manager_of
from workshop.spreadsheets import csv_download
from workshop.views import get_workshop_for_staff


def books_url(workshop, month) -> str:
    return reverse("console_money:books", args=[workshop.slug]) + f"?month={month:%Y-%m}"


def books_page(request, workshop, month, *, status: int = 200, form=None) -> HttpResponse:
    context = {
        "workshop": workshop,
        "month": month,
        "months": month_choices(),
        "books": money.month_books(workshop, month),
        "costs": ProductionCost.objects.visible_to(request.user)
        .filter(workshop=workshop, spent_on__gte=month, spent_on__lt=money.next_month(month))
        .order_by("spent_on", "pk"),
        "form": form or CostForm(),
        "is_manager": is_manager_of(request.user, workshop),
    }
    return render(request, "workshop/money/books.html", context, status=status)


@require_GET
@login_required
def month_books(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    return books_page(request, workshop, parse_month(request.GET.get("month")))


@require_GET
@login_required
def books_csv(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    month = parse_month(request.GET.get("month"))
    return csv_download(
        f"books-{workshop.slug}-{month:%Y-%m}.csv", books.books_rows(workshop, month)
    )


@require_POST
@login_required
def add_cost(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    form = CostForm(request.POST, request.FILES)
    month = parse_month(request.POST.get("month"))
    if form.is_valid():
        try:
            cost = books.add_cost(workshop=workshop, by=request.user, **form.cleaned_data)
        except books.BooksError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The cost was added."))
            return redirect(books_url(workshop, money.first_of_month(cost.spent_on)))
    return books_page(request, workshop, month, status=400, form=form)


@require_POST
@login_required
def remove_cost(request: HttpRequest, workshop_slug: str, pk: int) -> HttpResponse:
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    cost = get_cost_for_staff(request.user, workshop, pk)
    books.remove_cost(cost=cost, by=request.user)
    messages.success(request, _("The cost was removed."))
    return redirect(books_url(workshop, money.first_of_month(cost.spent_on)))


@require_GET
@login_required
def receipt(request: HttpRequest, workshop_slug: str, pk: int) -> FileResponse:
    """A cost's receipt, to its workshop's staff only, as an attachment of the type its content
    showed."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    cost = get_cost_for_staff(request.user, workshop, pk)
    if not cost.receipt:
        raise Http404
    return FileResponse(
        cost.receipt.open("rb"),
        as_attachment=True,
        filename=f"receipt-{cost.pk}.{cost.receipt_extension}",
        content_type=cost.receipt_content_type,
    )


@require_http_methods(["GET", "POST"])
@login_required
def money_settings(request: HttpRequest, workshop_slug: str) -> HttpResponse:
    """Managers set the fiscal year, the pay day and the account 工賃 are paid from."""
    workshop = get_workshop_for_staff(request.user, workshop_slug)
    if not is_manager_of(request.user, workshop):
        raise Http404
    current = money.settings_for(workshop)
    initial = {name: getattr(current, name) for name in MoneySettingsForm.base_fields}
    form = MoneySettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                wages.update_money_settings(workshop=workshop, by=request.user, **form.cleaned_data)
            except wages.BankAccountInvalid as error:
                for field, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Saved."))
                return redirect("console_money:settings", workshop.slug)
        status = 400
    context = {"workshop": workshop, "form": form}
    return render(request, "workshop/money/settings.html", context, status=status)
