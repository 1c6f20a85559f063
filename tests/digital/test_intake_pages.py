"""The digital order's pages (issue 9): staff make the answer form in the editor (no
JavaScript), upload items and see a refusal naming the row, choose how items are checked; the
company proposes a form and uploads items; another workshop's staff and another company get 404."""

import pytest
from django.urls import reverse

from jobs import items
from jobs.digital_models import AnswerForm, DigitalWork, Item
from tests.digital.intake_factories import (
    PRODUCT_FORM,
    csv_bytes,
    digital_order,
    product_rows,
    upload,
)
from tests.i18n import ja, ja_html


@pytest.fixture
def order(order_a):
    return digital_order(order_a.workshop, order_a.company)


def staff_url(name, order, *args):
    return reverse(f"console_digital:{name}", args=[order.workshop.slug, order.pk, *args])


def portal_url(name, order):
    return reverse(f"portal_digital:{name}", args=[order.company.slug, order.pk])


def editor_post(rows: list[dict], **extra) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", **extra}
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                value = "on"
            data[f"form-{index}-{name}"] = value
    return data


def test_staff_make_the_form_in_the_editor(client, staff_a, order):
    client.force_login(staff_a)
    page = client.get(staff_url("form", order))
    assert page.status_code == 200
    assert ja_html("Add a field") in page.content.decode()
    rows = [
        {
            "key": "name",
            "type": "short_text",
            "label": "商品名",
            "required": True,
            "max_length": "60",
        },
        {"key": "kind", "type": "choice", "label": "分類", "choices": "食品\n飲料\n"},
        {"key": "", "type": "short_text", "label": ""},  # the blank row to add a field
    ]
    response = client.post(staff_url("form_save", order), editor_post(rows))
    assert response.status_code == 302
    form = AnswerForm.objects.get(order=order)
    assert [f["key"] for f in form.fields] == ["name", "kind"]
    assert form.fields[1]["choices"] == ["食品", "飲料"]
    assert form.fields[0]["max_length"] == 60
    page = client.get(staff_url("order", order)).content.decode()
    assert "商品名" in page and "食品 / 飲料" in page


def test_a_wrong_field_is_named_on_its_row(client, staff_a, order):
    client.force_login(staff_a)
    rows = [{"key": "price", "type": "number", "label": "価格", "min": "10", "max": "1"}]
    response = client.post(staff_url("form_save", order), editor_post(rows))
    assert response.status_code == 400
    problem = ja("its smallest value is above its largest.")
    assert ja_html("Field %(position)s: %(problem)s", position=1, problem=problem) in (
        response.content.decode()
    )
    assert not AnswerForm.objects.filter(order=order).exists()


def test_staff_upload_items_and_a_refusal_names_the_row(client, staff_a, order):
    client.force_login(staff_a)
    response = client.post(
        staff_url("upload", order),
        {"file": upload(csv_bytes(product_rows(3), encoding="cp932")), "shown_columns": "商品名"},
    )
    assert response.status_code == 302
    assert Item.objects.filter(order=order).count() == 3
    assert DigitalWork.objects.get(order=order).shown_columns == ["商品名"]
    rows = product_rows(3)
    rows[1] = rows[1][:1]
    client.post(staff_url("upload", order), {"file": upload(csv_bytes(rows))})
    page = client.get(staff_url("order", order)).content.decode()
    assert "りんごジュース 1本入り" in page
    problem = ja("this row has %(got)s columns, the header %(want)s.", got=1, want=3)
    assert (
        ja_html("Row %(row)s, %(column)s: %(problem)s", row=3, column="商品名", problem=problem)
        in page
    )
    assert Item.objects.filter(order=order).count() == 3


def test_staff_choose_checking_and_shown_columns(client, staff_a, order):
    items.start_import(order=order, by=staff_a, upload=upload(csv_bytes(product_rows(2))))
    client.force_login(staff_a)
    response = client.post(
        staff_url("checking", order),
        {"checking": "spot", "spot_check_size": "4", "shown_columns": ["商品名", "価格"]},
    )
    assert response.status_code == 302
    work = DigitalWork.objects.get(order=order)
    assert (work.checking, work.spot_check_size, work.shown_columns) == (
        "spot",
        4,
        ["商品名", "価格"],
    )


def test_the_progress_partial_is_for_htmx(client, staff_a, order):
    client.force_login(staff_a)
    items.start_import(order=order, by=staff_a, upload=upload(csv_bytes(product_rows(2))))
    response = client.get(staff_url("import_progress", order), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="imports"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_company_proposes_a_form_and_staff_accept_it(client, member_a, staff_a, order):
    client.force_login(member_a)
    rows = [{"key": "jan", "type": "short_text", "label": "JANコード", "pattern": "[0-9]{13}"}]
    response = client.post(portal_url("propose_form", order), editor_post(rows))
    assert response.status_code == 302
    proposal = AnswerForm.objects.get(order=order)
    assert proposal.status == AnswerForm.Status.PROPOSED
    client.force_login(staff_a)
    page = client.get(staff_url("order", order)).content.decode()
    assert "JANコード" in page
    response = client.post(staff_url("accept_proposal", order, proposal.pk))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == AnswerForm.Status.CURRENT


def test_company_uploads_items(client, member_a, order):
    client.force_login(member_a)
    response = client.post(
        portal_url("upload", order), {"file": upload(csv_bytes(product_rows(4)))}
    )
    assert response.status_code == 302
    assert Item.objects.filter(order=order).count() == 4
    assert "4" in client.get(portal_url("order", order)).content.decode()


def test_another_workshop_and_another_company_get_404(client, staff_b, member_b, staff_a, order):
    items.define_form(order=order, by=staff_a, fields=PRODUCT_FORM)
    client.force_login(staff_b)
    for name in ("order", "form", "import_progress"):
        assert client.get(staff_url(name, order)).status_code == 404
    assert client.post(staff_url("upload", order), {"file": upload(b"a\n1\n")}).status_code == 404
    url = reverse("console_digital:order", args=["minato", order.pk])
    assert client.get(url).status_code == 404
    client.force_login(member_b)
    assert client.get(portal_url("order", order)).status_code == 404
    assert client.post(portal_url("upload", order), {"file": upload(b"a\n1\n")}).status_code == 404
    assert not Item.objects.filter(order=order).exists()


def test_a_hands_on_order_has_no_digital_page(client, staff_a, order_a):
    client.force_login(staff_a)
    assert client.get(staff_url("order", order_a)).status_code == 404
