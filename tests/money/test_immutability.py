"""An issued document never changes (DESIGN.md invariant 4): every money page and API endpoint
that writes, found from the URL resolver, is tried against an issued statement and an issued
invoice, and so is the admin; the documents, their lines and deductions stay exactly as issued."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jobs.models import Invoice, InvoiceLine
from participants.models import WageDeduction, WageStatement, WageStatementLine
from tests import factories

# The URL namespaces that hold money documents.
NAMESPACES = {
    "console_money",
    "money_api",
    "portal_money",
    "invoice_api",
    "statements",
    "statement_api",
}


def money_routes() -> list[tuple[str, set[str]]]:
    """(name with namespace, its URL arguments) of every route in the money namespaces."""
    found = []

    def walk(patterns, namespace: str, outer: set[str]):
        for entry in patterns:
            arguments = outer | set(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace, arguments)
            elif isinstance(entry, URLPattern) and namespace in NAMESPACES and entry.name:
                found.append((f"{namespace}:{entry.name}", arguments))

    walk(get_resolver().url_patterns, "", set())
    return found


ROUTES = money_routes()


def snapshot(statement: WageStatement, invoice: Invoice) -> tuple:
    return (
        WageStatement.objects.filter(pk=statement.pk).values().get(),
        list(WageStatementLine.objects.filter(statement=statement).values()),
        list(WageDeduction.objects.filter(statement=statement).values()),
        Invoice.objects.filter(pk=invoice.pk).values().get(),
        list(InvoiceLine.objects.filter(invoice=invoice).values()),
    )


@pytest.fixture
def issued(statement_a, invoice_a, staff_a):
    from participants import wages

    # A deduction on the issued statement, so that removing one can be tried too.
    draft = WageStatement.objects.get(pk=statement_a.pk)
    WageDeduction.objects.create(statement=draft, amount_yen=1, reason="test", entered_by=staff_a)
    assert wages  # the rules are the only way in; this row exists to be attacked
    return statement_a, invoice_a


def url_for(name: str, arguments: set[str], statement, invoice) -> str | None:
    line = invoice.lines.first()
    deduction = statement.deductions.first()
    target = invoice if "invoice" in name else statement
    values = {
        "workshop_slug": "hidamari",
        "company_slug": "okanoue-print",
        "pk": target.pk,
        "line_pk": line.pk,
        "deduction_pk": deduction.pk,
        "participant_pk": statement.participant_id,
        "order_pk": line.order_id,
        "number": 1,
    }
    if not arguments <= set(values):
        return None
    return reverse(name, kwargs={key: values[key] for key in arguments})


PAYLOAD = {
    "amount_yen": "100",
    "reason": "書き換え",
    "description": "書き換え",
    "tax_rate": "10",
    "quantity": "1",
    "paid_on": "2026-01-01",
    "month": "2026-01",
    "order": "1",
}


@pytest.mark.parametrize(("name", "arguments"), ROUTES, ids=[name for name, _a in ROUTES])
def test_no_route_changes_an_issued_document(client, staff_a, manager_a, issued, name, arguments):
    statement, invoice = issued
    url = url_for(name, arguments, statement, invoice)
    if url is None:
        pytest.fail(f"{name} takes arguments this test does not know: {arguments}")
    before = snapshot(statement, invoice)

    for who in (manager_a,):  # a manager may do everything staff may, and more
        client.force_login(who)
        client.post(url, PAYLOAD)
        client.post(url, PAYLOAD, content_type="application/json")
        for method in (client.put, client.patch, client.delete):
            method(url, PAYLOAD, content_type="application/json")

    assert snapshot(statement, invoice) == before


def test_the_admin_cannot_change_or_delete_an_issued_document(client, issued):
    statement, invoice = issued
    operator = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    before = snapshot(statement, invoice)

    for model, obj in (("participants/wagestatement", statement), ("jobs/invoice", invoice)):
        change = f"/admin/{model}/{obj.pk}/change/"
        assert client.get(change).status_code == 200  # readable
        response = client.post(change, {"total_yen": "1", "number": "X", "status": "draft"})
        assert response.status_code == 403
        assert client.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/jobs/invoiceline/add/", {}).status_code in {403, 404}

    assert snapshot(statement, invoice) == before


def test_every_money_namespace_has_routes():
    assert {name.split(":")[0] for name, _a in ROUTES} == NAMESPACES
    assert timezone  # the payload's dates are fixed on purpose: they must not matter
