"""Files, messages and proposals in the admin: a manager reads their own workshop's, edits none."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jobs import orders
from jobs.models import OrderFile
from tests.console.conftest import submitted


@pytest.fixture
def rows(workshop_a, workshop_b, company_a, company_b, member_a, member_b, staff_a, staff_b):
    made = {}
    for key, workshop, company, member, staff in [
        ("a", workshop_a, company_a, member_a, staff_a),
        ("b", workshop_b, company_b, member_b, staff_b),
    ]:
        order = submitted(workshop, company)
        made[key] = {
            "orderfile": OrderFile.objects.create(
                order=order,
                file=ContentFile(b"%PDF-1.4", name="spec.pdf"),
                original_name="spec.pdf",
                content_type="application/pdf",
                extension="pdf",
                size=8,
                uploaded_by=member,
            ).pk,
            "ordermessage": orders.post_message(
                order=order, by=member, side="company", body="質問です"
            ).pk,
            "changeproposal": orders.propose_changes(
                order=order,
                by=staff,
                total_price_yen=6000,
                unit_price_yen=None,
                desired_delivery_date=order.desired_delivery_date,
                payment_date=order.payment_date,
            ).pk,
        }
    return made


@pytest.mark.parametrize("model", ["orderfile", "ordermessage", "changeproposal"])
def test_a_manager_reads_only_their_workshops_rows_and_changes_none(client, manager_a, rows, model):
    client.force_login(manager_a)

    response = client.get(reverse(f"admin:jobs_{model}_changelist"))

    assert response.status_code == 200
    assert {obj.pk for obj in response.context["cl"].result_list} == {rows["a"][model]}
    change = client.get(reverse(f"admin:jobs_{model}_change", args=[rows["a"][model]]))
    assert change.status_code == 200
    assert 'type="submit" value="Save"' not in change.content.decode()
    other = client.get(reverse(f"admin:jobs_{model}_change", args=[rows["b"][model]]))
    assert other.status_code == 302  # the admin's "does not exist" answer, back to the index
    assert client.get(reverse(f"admin:jobs_{model}_add")).status_code == 403
