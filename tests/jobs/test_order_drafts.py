"""The order's first steps, rule by rule: what `clean_terms` takes and refuses (every limit at
its boundary, every refusal with its field and its message), what a draft stores and who it
names, the idempotent create and its fingerprint, submitting, files and messages, and the
hourly estimate's yen. Messages are compared with the Japanese the site shows (`ja()`), never
with English."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from jobs import orders
from jobs.models import IdempotencyKey, Order, OrderEvent, OrderFile, OrderMessage
from tests import factories
from tests.i18n import in_japanese, ja
from workshop import limits

PDF = b"%PDF-1.7\n%%EOF\n"
TOO_LONG = "Please keep this to %(max)s characters (it has %(length)s)."
OUT_OF_RANGE = "Please choose a date between %(earliest)s and %(latest)s."
NOT_A_DRAFT = "Only a draft can be submitted; this order is %(status)s."


def out_of_range() -> str:
    return ja(OUT_OF_RANGE, earliest="2000-01-01", latest="2100-12-31")


def terms(**overrides) -> dict:
    """Valid terms for delivery three weeks from today (read when called)."""
    return {
        "title": "DM封入 4月号",
        "kind": Order.Kind.HANDS_ON,
        "quantity": 2000,
        "unit_label": "枚",
        "unit_price_yen": 5,
        "desired_delivery_date": timezone.localdate() + datetime.timedelta(days=21),
        "delivery_method": Order.DeliveryMethod.PICKUP,
        **overrides,
    }


def refused_terms(values: dict, *, for_submission: bool) -> orders.OrderInvalid:
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.clean_terms(values, for_submission=for_submission)
    return refused.value


# --- OrderInvalid ----------------------------------------------------------------------------


def test_an_invalid_orders_message_is_every_fields_messages_in_turn():
    error = orders.OrderInvalid({"title": ["一つ目", "二つ目"], "quantity": ["三つ目"]})

    assert str(error) == error.message == "一つ目 二つ目 三つ目"
    assert error.errors == {"title": ["一つ目", "二つ目"], "quantity": ["三つ目"]}
    assert error.code == "invalid"


# --- clean_terms: text lengths ---------------------------------------------------------------

TEXT_FIELDS = sorted(orders.TEXT_LIMITS.items())


def test_the_length_message_writes_both_numbers_with_thousands_separators():
    assert orders.too_long(10_000, 10_001) == ja(TOO_LONG, max="10,000", length="10,001")


@pytest.mark.parametrize(("field", "longest"), TEXT_FIELDS)
def test_each_text_is_taken_at_its_limit(field, longest):
    text = "あ" * longest

    clean = orders.clean_terms(terms(**{field: text}), for_submission=True)

    assert clean[field] == text


@pytest.mark.parametrize(("field", "longest"), TEXT_FIELDS)
def test_each_text_one_character_over_its_limit_is_refused_on_that_field(field, longest):
    error = refused_terms(terms(**{field: "あ" * (longest + 1)}), for_submission=False)

    expected = ja(TOO_LONG, max=f"{longest:,}", length=f"{longest + 1:,}")
    assert error.errors == {field: [expected]}
    assert error.message == expected


def test_texts_left_out_are_not_checked_and_not_added():
    values = {key: value for key, value in terms().items() if key not in orders.TEXT_LIMITS}
    values["title"] = "封入"

    clean = orders.clean_terms(values, for_submission=False)

    assert set(orders.TEXT_LIMITS) & set(clean) == {"title"}


# --- clean_terms: every refusal, with its field and its message --------------------------------

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


# (what is sent, for submission?, field refused, the message as (msgid, params) or a callable)
REFUSALS = {
    "no title": (lambda: {"title": " "}, False, "title", ("Please give the order a title.", {})),
    "a title of invisible characters": (
        lambda: {"title": "\u200b\u200b"},
        False,
        "title",
        ("Please give the order a title.", {}),
    ),
    "a note turning the text around": (
        lambda: {"notes": "よろしく\u202eお願いします"},
        False,
        "notes",
        ("This text contains characters that change its reading direction.", {}),
    ),
    "no quantity": (
        lambda: {"quantity": None},
        False,
        "quantity",
        ("The quantity must be at least 1.", {}),
    ),
    "a quantity of 0": (
        lambda: {"quantity": 0},
        False,
        "quantity",
        ("The quantity must be at least 1.", {}),
    ),
    "a quantity over the largest": (
        lambda: {"quantity": limits.MAX_ORDER_QUANTITY + 1, "unit_price_yen": 1},
        False,
        "quantity",
        ("The quantity can be at most %(max)s.", {"max": "10,000,000"}),
    ),
    "a unit price of 0": (
        lambda: {"unit_price_yen": 0},
        False,
        "unit_price_yen",
        ("The unit price must be at least 1 yen.", {}),
    ),
    "no price at all": (
        lambda: {"unit_price_yen": None},
        False,
        "unit_price_yen",
        ("Give a unit price or a total price.", {}),
    ),
    "a total that is not unit price × quantity": (
        lambda: {"total_price_yen": 9000},
        False,
        "total_price_yen",
        (
            "The total (%(total)s yen) is not the unit price × quantity (%(expected)s yen).",
            {"total": "9,000", "expected": "10,000"},
        ),
    ),
    "a total over the largest": (
        lambda: {
            "quantity": 1,
            "unit_price_yen": None,
            "total_price_yen": limits.MAX_ORDER_TOTAL_YEN + 1,
        },
        False,
        "total_price_yen",
        (
            "The total must be between %(min)s and %(max)s yen.",
            {"min": "1", "max": "1,000,000,000"},
        ),
    ),
    "a total of 0": (
        lambda: {"quantity": 1, "unit_price_yen": None, "total_price_yen": 0},
        False,
        "total_price_yen",
        (
            "The total must be between %(min)s and %(max)s yen.",
            {"min": "1", "max": "1,000,000,000"},
        ),
    ),
    "no delivery date": (
        lambda: {"desired_delivery_date": None},
        False,
        "desired_delivery_date",
        ("Please choose a delivery date.", {}),
    ),
    "a delivery date after 2100, in a draft": (
        lambda: {"desired_delivery_date": datetime.date(2101, 1, 1)},
        False,
        "desired_delivery_date",
        out_of_range,
    ),
    "a delivery date after 2100, with a payment date": (
        lambda: {
            "desired_delivery_date": datetime.date(2101, 1, 1),
            "payment_date": datetime.date(2100, 12, 31),
        },
        False,
        "desired_delivery_date",
        out_of_range,
    ),
    "a delivery date before 2000, sent": (
        lambda: {"desired_delivery_date": datetime.date(1999, 12, 31)},
        True,
        "desired_delivery_date",
        out_of_range,
    ),
    "a delivery date in the past, sent": (
        lambda: {"desired_delivery_date": _today() - DAY},
        True,
        "desired_delivery_date",
        ("The delivery date is in the past.", {}),
    ),
    "a payment date after 2100": (
        lambda: {"payment_date": datetime.date(2101, 1, 1)},
        False,
        "payment_date",
        out_of_range,
    ),
    "a payment date before the delivery": (
        lambda: {"payment_date": _today() + 20 * DAY},
        True,
        "payment_date",
        ("The payment date cannot be before the delivery date.", {}),
    ),
    "a payment date 61 days after the delivery": (
        lambda: {"payment_date": _today() + (21 + 61) * DAY},
        True,
        "payment_date",
        lambda: ja(
            "The payment date must be within %(days)s days after the delivery date "
            "(by %(latest)s at the latest).",
            days=60,
            latest=_today() + (21 + 60) * DAY,
        ),
    ),
}


@pytest.mark.parametrize(
    "case", list(REFUSALS), ids=[re.sub(r"[^a-z0-9]+", "-", case) for case in REFUSALS]
)
def test_each_refusal_names_its_field_and_says_what_to_fix(case):
    overrides, for_submission, field, message = REFUSALS[case]
    if callable(message):
        expected = message()
    else:
        msgid, params = message
        expected = ja(msgid, **params)

    error = refused_terms(terms(**overrides()), for_submission=for_submission)

    assert error.errors == {field: [expected]}
    assert error.message == expected


# --- clean_terms: the boundaries that are taken -----------------------------------------------


def test_a_quantity_of_one_at_a_unit_price_of_one_yen_is_the_smallest_order():
    clean = orders.clean_terms(terms(quantity=1, unit_price_yen=1), for_submission=True)

    assert (clean["quantity"], clean["unit_price_yen"], clean["total_price_yen"]) == (1, 1, 1)


def test_the_largest_quantity_and_the_largest_total_are_taken():
    most = orders.clean_terms(
        terms(quantity=limits.MAX_ORDER_QUANTITY, unit_price_yen=1), for_submission=True
    )
    dearest = orders.clean_terms(
        terms(quantity=1, unit_price_yen=None, total_price_yen=limits.MAX_ORDER_TOTAL_YEN),
        for_submission=True,
    )

    assert most["total_price_yen"] == 10_000_000
    assert dearest["total_price_yen"] == 1_000_000_000


def test_a_delivery_today_and_a_payment_the_same_day_are_taken():
    today = timezone.localdate()

    clean = orders.clean_terms(
        terms(desired_delivery_date=today, payment_date=today), for_submission=True
    )

    assert (clean["desired_delivery_date"], clean["payment_date"]) == (today, today)


def test_a_draft_keeps_a_past_delivery_date_and_no_payment_date():
    past = timezone.localdate() - DAY

    clean = orders.clean_terms(terms(desired_delivery_date=past), for_submission=False)

    assert clean["desired_delivery_date"] == past
    assert "payment_date" not in clean


# --- create_order ----------------------------------------------------------------------------


def test_a_draft_stores_its_terms_its_author_and_one_event_by_them(workshop_a, company_a, member_a):
    order = orders.create_order(company=company_a, workshop=workshop_a, by=member_a, terms=terms())

    order.refresh_from_db()
    assert (order.status, order.created_by, order.company, order.workshop) == (
        Order.Status.DRAFT,
        member_a,
        company_a,
        workshop_a,
    )
    assert (order.title, order.quantity, order.unit_price_yen, order.total_price_yen) == (
        "DM封入 4月号",
        2000,
        5,
        10000,
    )
    event = OrderEvent.objects.get(order=order)
    assert (event.actor, event.from_status, event.to_status) == (member_a, "", Order.Status.DRAFT)


def test_an_order_sent_at_once_names_its_sender_on_both_events(workshop_a, company_a, member_a):
    order = orders.create_order(
        company=company_a, workshop=workshop_a, by=member_a, terms=terms(), submit=True
    )

    events = list(order.events.order_by("pk"))
    assert [(e.actor, e.from_status, e.to_status) for e in events] == [
        (member_a, "", Order.Status.DRAFT),
        (member_a, Order.Status.DRAFT, Order.Status.SUBMITTED),
    ]


def test_another_companys_partnership_does_not_let_a_company_order(
    workshop_b, company_a, company_b, member_a
):
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.create_order(company=company_a, workshop=workshop_b, by=member_a, terms=terms())

    expected = ja("Your company does not order from this workshop.")
    assert refused.value.errors == {"workshop": [expected]}
    assert refused.value.message == expected
    assert Order.objects.count() == 0


# --- update_draft ----------------------------------------------------------------------------


@pytest.fixture
def draft(workshop_a, company_a, member_a):
    return orders.create_order(company=company_a, workshop=workshop_a, by=member_a, terms=terms())


def test_a_draft_changes_only_in_what_was_sent_and_is_marked_updated(draft, member_a):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Order.objects.filter(pk=draft.pk).update(updated_at=long_ago)
    past = timezone.localdate() - DAY

    orders.update_draft(
        order=draft,
        by=member_a,
        terms={
            "title": "DM封入 5月号",
            "quantity": 300,
            "unit_price_yen": 7,
            "desired_delivery_date": past,
        },
    )

    assert (draft.title, draft.quantity, draft.total_price_yen) == ("DM封入 5月号", 300, 2100)
    assert draft.desired_delivery_date == past  # a draft may be old: checked when sent
    assert draft.payment_date is None  # fixed only when the draft is sent
    assert draft.unit_label == "枚"
    assert draft.updated_at > long_ago


def test_updating_one_draft_leaves_the_companys_other_drafts_alone(draft, member_a, company_a):
    other = orders.create_order(
        company=company_a, workshop=draft.workshop, by=member_a, terms=terms(title="別の依頼")
    )

    orders.update_draft(order=draft, by=member_a, terms=terms(title="変えた題"))

    other.refresh_from_db()
    assert (draft.title, other.title) == ("変えた題", "別の依頼")


def test_a_sent_order_is_not_edited_as_a_draft(draft, member_a):
    orders.submit_order(order=draft, by=member_a)

    with pytest.raises(orders.OrderStateError) as refused:
        orders.update_draft(order=draft, by=member_a, terms=terms(title="変えた題"))

    assert refused.value.message == ja("Only a draft can be edited; this order was already sent.")
    assert refused.value.code == "wrong_state"
    draft.refresh_from_db()
    assert draft.title == "DM封入 4月号"


# --- create_order_once and request_fingerprint ------------------------------------------------


def once(company, workshop, by, *, key: str, payload: dict | None = None, **values):
    payload = payload if payload is not None else terms(**values)
    return orders.create_order_once(
        company=company,
        workshop=workshop,
        by=by,
        terms=payload,
        submit=False,
        idempotency_key=key,
        fingerprint=orders.request_fingerprint(payload),
    )


def test_a_retry_gets_the_first_order_and_its_author(workshop_a, company_a, member_a):
    payload = terms()
    first, created = once(company_a, workshop_a, member_a, key="k-1", payload=payload)
    again, created_again = once(company_a, workshop_a, member_a, key="k-1", payload=dict(payload))

    assert (first, created, created_again) == (again, True, False)
    assert first.created_by == member_a
    assert IdempotencyKey.objects.get(company=company_a, key="k-1").order == first


def test_two_keys_of_one_company_make_two_orders(workshop_a, company_a, member_a):
    first, _ = once(company_a, workshop_a, member_a, key="k-1")
    second, created = once(company_a, workshop_a, member_a, key="k-2")

    assert created and first != second
    assert Order.objects.count() == 2


def test_two_companies_may_use_the_same_key(
    workshop_a, workshop_b, company_a, company_b, member_a, member_b
):
    mine, _ = once(company_a, workshop_a, member_a, key="2026-04")
    theirs, created = once(company_b, workshop_b, member_b, key="2026-04")

    assert created
    assert (mine.company, theirs.company) == (company_a, company_b)


def test_the_same_key_with_another_body_is_refused_with_a_message(workshop_a, company_a, member_a):
    once(company_a, workshop_a, member_a, key="k-1")

    with pytest.raises(orders.IdempotencyConflict) as refused:
        once(company_a, workshop_a, member_a, key="k-1", quantity=3000)

    assert refused.value.message == ja(
        "This Idempotency-Key was already used for a different request."
    )
    assert refused.value.code == "idempotency_conflict"
    assert Order.objects.count() == 1


def test_a_key_that_cannot_be_written_or_read_is_tried_twice_then_retry_is_asked(
    workshop_a, company_a, member_a, monkeypatch
):
    """The key's row collides (IntegrityError) but the other request's row is gone when read
    again (it rolled back): one more attempt, then the client is asked to retry."""
    attempts = []

    def collide(**fields):
        attempts.append(fields["key"])
        raise IntegrityError("idempotency_key_unique")

    monkeypatch.setattr(IdempotencyKey.objects, "create", collide)

    with pytest.raises(orders.OrderError) as refused:
        once(company_a, workshop_a, member_a, key="k-1")

    assert (refused.value.code, refused.value.message) == ("retry", ja("Please try again."))
    assert attempts == ["k-1", "k-1"]
    assert Order.objects.count() == 0


def test_the_fingerprint_does_not_depend_on_the_order_of_the_keys():
    forwards = {"title": "封入", "quantity": 10, "unit_price_yen": 5}
    backwards = dict(reversed(list(forwards.items())))

    assert list(forwards) != list(backwards)
    assert orders.request_fingerprint(forwards) == orders.request_fingerprint(backwards)


def test_every_field_of_the_request_counts_in_its_fingerprint():
    payload = terms(notes="よろしく", payment_date=datetime.date(2026, 6, 30))
    fingerprint = orders.request_fingerprint(payload)

    for field, value in payload.items():
        other = (
            "別の値" if isinstance(value, str) else value + (DAY if hasattr(value, "day") else 1)
        )
        changed = {**payload, field: other}
        assert orders.request_fingerprint(changed) != fingerprint, field


def test_the_fingerprint_stays_the_same_between_versions():
    """Keys are stored: a retry after a deploy must still match the first request's
    fingerprint (UTF-8 JSON with sorted keys, dates as ISO strings, SHA-256)."""
    payload = {
        "title": "DM封入 4月号",
        "quantity": 2000,
        "desired_delivery_date": datetime.date(2026, 5, 1),
    }

    assert (
        orders.request_fingerprint(payload)
        == "280db8a91bb7045a9240d761b9d3c80714cedf4f232834de47b806376a910399"
    )


# --- submit_order ----------------------------------------------------------------------------


def test_a_sent_order_is_refused_with_its_status(draft, member_a):
    orders.submit_order(order=draft, by=member_a)

    with pytest.raises(orders.OrderStateError) as refused:
        orders.submit_order(order=draft, by=member_a)

    assert refused.value.message == ja(
        NOT_A_DRAFT, status=in_japanese(Order.Status.SUBMITTED.label)
    )


def test_a_draft_sent_meanwhile_is_refused_under_the_lock_with_its_status(draft, member_a):
    stale = Order.objects.get(pk=draft.pk)
    orders.submit_order(order=draft, by=member_a)

    with pytest.raises(orders.OrderStateError) as refused:
        orders.submit_order(order=stale, by=member_a)

    assert refused.value.message == ja(
        NOT_A_DRAFT, status=in_japanese(Order.Status.SUBMITTED.label)
    )
    assert OrderEvent.objects.filter(order=draft, to_status=Order.Status.SUBMITTED).count() == 1


def test_a_draft_whose_date_has_passed_is_not_sent(draft, member_a):
    Order.objects.filter(pk=draft.pk).update(desired_delivery_date=timezone.localdate() - DAY)
    draft.refresh_from_db()

    with pytest.raises(orders.OrderInvalid) as refused:
        orders.submit_order(order=draft, by=member_a)

    assert refused.value.errors == {
        "desired_delivery_date": [ja("The delivery date is in the past.")]
    }
    draft.refresh_from_db()
    assert draft.status == Order.Status.DRAFT


def test_sending_a_draft_keeps_the_payment_date_it_was_given(workshop_a, company_a, member_a):
    delivery = timezone.localdate() + 21 * DAY
    order = orders.create_order(
        company=company_a,
        workshop=workshop_a,
        by=member_a,
        terms=terms(payment_date=delivery + 10 * DAY),
    )

    orders.submit_order(order=order, by=member_a)

    assert (order.status, order.payment_date, order.total_price_yen) == (
        Order.Status.SUBMITTED,
        delivery + 10 * DAY,
        10000,
    )


# --- attach_file -----------------------------------------------------------------------------

CLOSED = [s for s in Order.Status if s not in orders.LIVE_STATES | {Order.Status.DRAFT}]


@pytest.mark.parametrize("status", CLOSED)
def test_no_file_is_added_to_a_closed_order(order_a, member_a, status):
    order_a.status = status
    order_a.save()

    with pytest.raises(orders.OrderStateError) as refused:
        orders.attach_file(order=order_a, by=member_a, upload=SimpleUploadedFile("a.pdf", PDF))

    assert refused.value.message == ja(
        "Files can no longer be added to an order that is %(status)s.",
        status=in_japanese(Order.Status(status).label),
    )
    assert not OrderFile.objects.exists()


def test_a_file_records_who_added_it_and_its_size(order_a, member_a):
    attachment = orders.attach_file(
        order=order_a, by=member_a, upload=SimpleUploadedFile("仕様書.pdf", PDF)
    )

    attachment.refresh_from_db()
    assert (attachment.uploaded_by, attachment.size, attachment.extension) == (
        member_a,
        len(PDF),
        "pdf",
    )
    assert attachment.file.read() == PDF
    assert OrderFile.objects.filter(order=order_a).count() == 1


def test_a_file_without_a_name_is_called_file(order_a, member_a):
    attachment = orders.attach_file(
        order=order_a, by=member_a, upload=SimpleUploadedFile(None, PDF)
    )

    assert attachment.original_name == "file"


def test_a_long_file_name_keeps_its_last_200_characters(order_a, member_a):
    name = "あ" * 197 + "いう.pdf"  # 204 characters

    attachment = orders.attach_file(
        order=order_a, by=member_a, upload=SimpleUploadedFile(name, PDF)
    )

    attachment.refresh_from_db()
    assert attachment.original_name == name[-200:]
    assert len(attachment.original_name) == 200


# --- post_message ----------------------------------------------------------------------------


def test_a_message_is_kept_trimmed_with_its_author_and_side(order_a, member_a):
    message = orders.post_message(order=order_a, by=member_a, side="company", body="  よろしく \n")

    message.refresh_from_db()
    assert (message.order, message.author, message.side, message.body) == (
        order_a,
        member_a,
        OrderMessage.Side.COMPANY,
        "よろしく",
    )


def test_an_empty_message_is_refused_on_its_body(order_a, member_a):
    with pytest.raises(orders.OrderInvalid) as refused:
        orders.post_message(order=order_a, by=member_a, side="company", body=" \n ")

    assert refused.value.errors == {"body": [ja("Please write a message.")]}


@pytest.mark.parametrize(
    ("author", "side"),
    [("member_b", "company"), ("member_a", "workshop"), ("staff_a", "company"), ("staff_a", "x")],
)
def test_only_a_side_one_belongs_to_may_write(order_a, request, author, side):
    with pytest.raises(orders.OrderError) as refused:
        orders.post_message(
            order=order_a, by=request.getfixturevalue(author), side=side, body="割り込み"
        )

    assert (refused.value.code, refused.value.message) == (
        "forbidden",
        ja("You cannot write in this thread."),
    )
    assert not OrderMessage.objects.exists()


def test_nobody_writes_in_a_drafts_thread(draft, member_a):
    with pytest.raises(orders.OrderStateError) as refused:
        orders.post_message(order=draft, by=member_a, side="company", body="よろしく")

    assert refused.value.message == ja("Send the order first; then you can write to the workshop.")


# --- hourly_estimate -------------------------------------------------------------------------


def test_the_wage_share_of_an_estimate_is_whole_yen_rounded_down(workshop_a, company_a):
    workshop_a.wage_share_percent = 67
    workshop_a.save()
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, quantity=1000, total_price_yen=12345
    )

    estimate = orders.hourly_estimate(order=order, minutes_per_item=3)

    # ¥12,345 × 67 % = ¥8,271.15 → ¥8,271; 50 hours → ¥165.423 an hour → ¥165.
    assert (estimate.wages_yen, estimate.wage_share_percent, estimate.yen_per_hour) == (
        8271,
        67,
        165,
    )
    assert isinstance(estimate.wages_yen, int)
    assert estimate.total_price_yen == 12345


def test_a_draft_changed_meanwhile_is_sent_with_its_terms_as_they_stand(draft, member_a):
    """The page that sends a draft read it a moment before; another member saved new terms in
    between. What is sent, and the payment date fixed, are those of the draft as it is now."""
    stale = Order.objects.get(pk=draft.pk)
    later = timezone.localdate() + 70 * DAY
    orders.update_draft(
        order=draft,
        by=member_a,
        terms={
            "title": "DM封入 5月号",
            "quantity": 300,
            "unit_price_yen": 7,
            "desired_delivery_date": later,
        },
    )

    orders.submit_order(order=stale, by=member_a)

    assert (stale.status, stale.quantity, stale.unit_price_yen, stale.total_price_yen) == (
        Order.Status.SUBMITTED,
        300,
        7,
        2100,
    )
    assert stale.payment_date == orders.default_payment_date(later)
