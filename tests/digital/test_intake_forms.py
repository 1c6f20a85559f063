"""Answer forms of digital orders (issue 9, must-have 1): every field type's validation with its
Japanese message, refused specs, and versions (jobs/items.py, jobs/answer_forms.py)."""

import pytest
from django.utils import translation

from jobs import answer_forms, items
from jobs.answer_forms import FormSpecError, clean_answer, clean_value
from jobs.digital_models import Answer, AnswerForm, Item
from tests import factories
from tests.digital.intake_factories import PRODUCT_FORM, digital_order
from tests.i18n import ja

SHORT = {
    "key": "jan",
    "type": "short_text",
    "label": "JANコード",
    "min_length": 8,
    "max_length": 13,
    "pattern": r"[0-9]+",
    "required": True,
}
LONG = {"key": "note", "type": "long_text", "label": "備考", "max_length": 20}
NUMBER = {"key": "price", "type": "number", "label": "価格", "min": "0", "max": "100000"}
CHOICE = {"key": "kind", "type": "choice", "label": "分類", "choices": ["食品", "飲料"]}
CHOICES = {"key": "tags", "type": "choices", "label": "表示", "choices": ["新商品", "限定"]}
YES_NO = {"key": "tax", "type": "yes_no", "label": "税込"}
DATE = {"key": "best", "type": "date", "label": "賞味期限"}


def refusal(spec, value):
    fields = answer_forms.check_fields([spec])
    with translation.override("ja"), pytest.raises(answer_forms.AnswerError) as refused:
        clean_value(fields[0], value)
    return refused.value


@pytest.mark.parametrize(
    ("spec", "value", "code", "message"),
    [
        (
            SHORT,
            "1234567",
            "answer_too_short",
            ja("Please write at least %(count)s characters.", count=8),
        ),
        (
            SHORT,
            "12345678901234",
            "answer_too_long",
            ja("Please keep this within %(count)s characters.", count=13),
        ),
        (
            SHORT,
            "4901234abc",
            "answer_pattern",
            ja("This does not look like what is asked: see the help."),
        ),
        (SHORT, "4901\n234", "answer_not_one_line", ja("Please write this on one line.")),
        (
            LONG,
            "あ" * 21,
            "answer_too_long",
            ja("Please keep this within %(count)s characters.", count=20),
        ),
        (NUMBER, "12円", "answer_not_number", ja("Please write a number.")),
        (
            NUMBER,
            "-1",
            "answer_below_min",
            ja("Please write a number of at least %(low)s.", low="0"),
        ),
        (
            NUMBER,
            "100001",
            "answer_above_max",
            ja("Please write a number of at most %(high)s.", high="100000"),
        ),
        (CHOICE, "雑貨", "answer_not_a_choice", ja("Please choose one of the choices.")),
        (
            CHOICES,
            ["新商品", "雑貨"],
            "answer_not_a_choice",
            ja("Please choose among the choices."),
        ),
        (YES_NO, "maybe", "answer_not_yes_no", ja("Please choose yes or no.")),
        (DATE, "2026/13/01", "answer_not_date", ja("Please write a date like 2026-12-07.")),
    ],
)
def test_each_field_type_refuses_with_its_japanese_message(spec, value, code, message):
    refused = refusal(spec, value)
    assert refused.code == code
    assert refused.message == message
    assert refused.key == spec["key"]


def test_each_field_type_keeps_a_good_value():
    fields = answer_forms.check_fields([SHORT, LONG, NUMBER, CHOICE, CHOICES, YES_NO, DATE])
    values = {
        "jan": "4901234567894",
        "note": "箱つぶれ",
        "price": "１,２８０",
        "kind": "飲料",
        "tags": ["限定", "新商品"],
        "tax": "yes",
        "best": "2027-03-31",
    }
    assert clean_answer(fields, values) == {
        "jan": "4901234567894",
        "note": "箱つぶれ",
        "price": "1280",
        "kind": "飲料",
        "tags": ["新商品", "限定"],
        "tax": True,
        "best": "2027-03-31",
    }


def test_required_and_cant_read():
    fields = answer_forms.check_fields(PRODUCT_FORM)
    with translation.override("ja"):
        problems = answer_forms.answer_problems(fields, {"price": "100"})
    assert problems["name"] == (ja("Please fill this in."), "answer_required")
    assert clean_answer(fields, {}, cant_read=True) == {"name": None, "price": None}


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ({"key": "1a", "type": "short_text", "label": "x"}, "form_key_invalid"),
        ({"key": "a", "type": "color", "label": "x"}, "form_type_invalid"),
        ({"key": "a", "type": "short_text", "label": "\u200b"}, "form_label_missing"),
        (
            {"key": "a", "type": "short_text", "label": "x", "max_length": 201},
            "form_length_invalid",
        ),
        (
            {"key": "a", "type": "short_text", "label": "x", "pattern": "(a+)+"},
            "form_pattern_invalid",
        ),
        (
            {"key": "a", "type": "number", "label": "x", "min": "5", "max": "1"},
            "form_range_invalid",
        ),
        ({"key": "a", "type": "choice", "label": "x", "choices": []}, "form_choices_invalid"),
        ({"key": "a", "type": "yes_no", "label": "x", "required": "yes"}, "form_flag_invalid"),
    ],
)
def test_a_spec_that_cannot_be_used_is_refused(spec, code, order_a, staff_a):
    order = digital_order(order_a.workshop, order_a.company)
    with pytest.raises(FormSpecError) as refused:
        items.define_form(order=order, by=staff_a, fields=[spec])
    assert refused.value.code == code
    assert refused.value.field == 1
    assert not AnswerForm.objects.filter(order=order).exists()


def test_a_hands_on_order_has_no_form(order_a, staff_a):
    with pytest.raises(items.ItemError) as refused:
        items.define_form(order=order_a, by=staff_a, fields=PRODUCT_FORM)
    assert refused.value.code == "wrong_kind"


def test_editing_without_answers_keeps_the_version(order_a, staff_a):
    order = digital_order(order_a.workshop, order_a.company)
    first = items.define_form(order=order, by=staff_a, fields=PRODUCT_FORM)
    changed = items.define_form(order=order, by=staff_a, fields=[*PRODUCT_FORM, YES_NO])
    assert changed.pk == first.pk and changed.version == 1
    assert len(changed.fields) == 3


def test_editing_with_answers_makes_a_new_version_and_answers_keep_theirs(order_a, staff_a):
    order = digital_order(order_a.workshop, order_a.company)
    first = items.define_form(order=order, by=staff_a, fields=PRODUCT_FORM)
    item = Item.objects.create(order=order, workshop=order.workshop, number=1, data={"a": "b"})
    unit = factories.WorkUnitFactory(order=order, workshop=order.workshop, quantity=1)
    participant = factories.ParticipantFactory(workshop=order.workshop)
    answer = Answer.objects.create(
        item=item,
        unit=unit,
        participant=participant,
        form=first,
        values={"name": "x", "price": None},
    )
    second = items.define_form(order=order, by=staff_a, fields=[*PRODUCT_FORM, YES_NO])
    assert second.version == 2 and second.status == AnswerForm.Status.CURRENT
    first.refresh_from_db()
    assert first.status == AnswerForm.Status.SUPERSEDED
    answer.refresh_from_db()
    assert answer.form == first
    assert items.current_form(order) == second


def test_company_proposes_and_staff_accept_or_decline(order_a, staff_a, member_a):
    order = digital_order(order_a.workshop, order_a.company, status="submitted")
    items.define_form(order=order, by=staff_a, fields=PRODUCT_FORM)
    proposal = items.propose_form(order=order, by=member_a, fields=[*PRODUCT_FORM, DATE])
    assert proposal.status == AnswerForm.Status.PROPOSED and proposal.version == 2
    assert items.current_form(order).version == 1
    accepted = items.accept_proposal(form=proposal, by=staff_a)
    assert accepted.status == AnswerForm.Status.CURRENT
    assert AnswerForm.objects.get(order=order, version=1).status == AnswerForm.Status.SUPERSEDED
    with pytest.raises(items.ItemError) as refused:
        items.decline_proposal(form=accepted, by=staff_a)
    assert refused.value.code == "wrong_state"
    another = items.propose_form(order=order, by=member_a, fields=PRODUCT_FORM)
    assert items.decline_proposal(form=another, by=staff_a).status == AnswerForm.Status.DECLINED
    assert items.current_form(order) == accepted


def test_a_newer_proposal_replaces_an_open_one(order_a, member_a):
    order = digital_order(order_a.workshop, order_a.company, status="submitted")
    older = items.propose_form(order=order, by=member_a, fields=PRODUCT_FORM)
    items.propose_form(order=order, by=member_a, fields=[*PRODUCT_FORM, DATE])
    older.refresh_from_db()
    assert older.status == AnswerForm.Status.DECLINED
