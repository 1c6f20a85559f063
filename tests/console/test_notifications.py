"""E-mail to the other side of an order: what the company does reaches the workshop's staff,
what the workshop does reaches the company's members. Never the actor, never someone who
turned these e-mails off, and one message per person."""

import datetime

import pytest
from django.core import mail

from jobs import orders
from jobs.models import ChangeProposal, Order
from tests import factories
from tests.console.conftest import submitted


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (where notifications start) and hand back the e-mails sent."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return run


@pytest.fixture
def draft(workshop_a, company_a, member_a, in_three_weeks):
    return factories.OrderFactory(
        workshop=workshop_a,
        company=company_a,
        status=Order.Status.DRAFT,
        payment_date=None,
        desired_delivery_date=in_three_weeks,
        title="DM封入 4月号",
        created_by=member_a,
    )


def addresses(messages) -> list[list[str]]:
    return sorted(message.to for message in messages)


def test_submitting_tells_every_staff_member_of_the_workshop_one_by_one(
    sent, draft, member_a, staff_a, manager_a, staff_b, company_admin_a
):
    messages = sent(lambda: orders.submit_order(order=draft, by=member_a))

    assert addresses(messages) == [["manager-a@example.com"], ["staff-a@example.com"]]
    message = messages[0]
    assert message.subject == "[Engawa] 丘の上印刷から新しい発注が届きました：DM封入 4月号"
    assert f"http://127.0.0.1:8000/w/hidamari/orders/{draft.pk}/" in message.body
    assert "/accounts/notifications/" in message.body


def test_accepting_tells_the_company_members_with_a_link_to_their_portal(
    sent, incoming, staff_a, manager_a, member_a, company_admin_a, member_b
):
    messages = sent(lambda: orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2))

    assert addresses(messages) == [["admin-a@example.com"], ["member-a@example.com"]]
    assert messages[0].subject == "[Engawa] ひだまり作業所が発注をお引き受けしました：DM封入 4月号"
    assert f"/c/okanoue-print/orders/{incoming.pk}/" in messages[0].body


def test_a_proposal_tells_the_company_the_terms_and_the_confirmation_tells_the_staff(
    sent, incoming, staff_a, manager_a, member_a, in_three_weeks
):
    later = in_three_weeks + datetime.timedelta(days=7)
    messages = sent(
        lambda: orders.propose_changes(
            order=incoming,
            by=staff_a,
            total_price_yen=26000,
            unit_price_yen=26,
            desired_delivery_date=later,
            payment_date=later + datetime.timedelta(days=30),
            note="単価を少し上げていただけると助かります。",
        )
    )

    [proposal_mail] = messages
    assert proposal_mail.to == ["member-a@example.com"]
    assert "条件の変更の提案" in proposal_mail.subject
    assert "26,000円" in proposal_mail.body
    assert "単価を少し上げていただけると助かります。" in proposal_mail.body

    proposal = ChangeProposal.objects.get()
    messages = sent(lambda: orders.confirm_changes(proposal=proposal, by=member_a))

    assert addresses(messages) == [["manager-a@example.com"], ["staff-a@example.com"]]
    assert "丘の上印刷が変更後の条件に同意しました" in messages[0].subject


def test_refusing_a_proposal_tells_the_staff(sent, incoming, staff_a, member_a, in_three_weeks):
    proposal = orders.propose_changes(
        order=incoming,
        by=staff_a,
        total_price_yen=26000,
        unit_price_yen=None,
        desired_delivery_date=in_three_weeks,
        payment_date=in_three_weeks + datetime.timedelta(days=30),
    )

    messages = sent(
        lambda: orders.refuse_changes(proposal=proposal, by=member_a, reason="予算が合いません")
    )

    [message] = messages  # staff_a acted before, but is not the actor now
    assert message.to == ["staff-a@example.com"]
    assert "予算が合いません" in message.body


def test_declining_tells_the_company_the_reason(sent, incoming, staff_a, member_a):
    messages = sent(
        lambda: orders.decline_order(order=incoming, by=staff_a, reason="いまは作業がいっぱいです")
    )

    [message] = messages
    assert message.to == ["member-a@example.com"]
    assert "お断り" in message.subject
    assert "いまは作業がいっぱいです" in message.body


def test_cancelling_tells_the_other_side(sent, incoming, staff_a, member_a, manager_a):
    company_cancel = sent(lambda: orders.cancel_order_by_company(order=incoming, by=member_a))
    assert addresses(company_cancel) == [["manager-a@example.com"], ["staff-a@example.com"]]

    other = submitted(incoming.workshop, incoming.company, title="別の発注")
    staff_cancel = sent(
        lambda: orders.cancel_order_by_workshop(order=other, by=staff_a, reason="材料不足")
    )
    assert addresses(staff_cancel) == [["member-a@example.com"]]
    assert "材料不足" in staff_cancel[0].body


def test_cancelling_a_draft_tells_the_workshop_nothing(sent, draft, member_a, staff_a):
    assert sent(lambda: orders.cancel_order_by_company(order=draft, by=member_a)) == []


def test_messages_go_to_the_other_side_only(sent, incoming, staff_a, manager_a, member_a):
    from_company = sent(
        lambda: orders.post_message(order=incoming, by=member_a, side="company", body="質問です")
    )
    from_workshop = sent(
        lambda: orders.post_message(order=incoming, by=staff_a, side="workshop", body="回答です")
    )

    assert addresses(from_company) == [["manager-a@example.com"], ["staff-a@example.com"]]
    assert "質問です" in from_company[0].body
    assert addresses(from_workshop) == [["member-a@example.com"]]
    assert "回答です" in from_workshop[0].body
    assert f"/c/okanoue-print/orders/{incoming.pk}/" in from_workshop[0].body


def test_nobody_gets_their_own_action_even_with_both_roles(
    sent, incoming, staff_a, member_a, company_a
):
    factories.CompanyMembershipFactory(company=company_a, user=staff_a)

    messages = sent(lambda: orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2))

    assert addresses(messages) == [["member-a@example.com"]]


def test_people_who_turned_e_mail_off_or_have_no_address_get_nothing(
    sent, incoming, staff_a, member_a, company_admin_a
):
    member_a.email_notifications = False
    member_a.save()
    company_admin_a.email = ""
    company_admin_a.save()

    assert sent(lambda: orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2)) == []


def test_starting_work_sends_nothing(sent, incoming, staff_a, member_a):
    orders.accept_order(order=incoming, by=staff_a, minutes_per_item=2)

    assert sent(lambda: orders.start_work(order=incoming, by=staff_a)) == []


def test_the_decision_in_the_console_sends_the_e_mail(client, sent, incoming, staff_a, member_a):
    client.force_login(staff_a)

    messages = sent(
        lambda: client.post(
            f"/w/hidamari/orders/{incoming.pk}/decline/", {"phrase": "tools", "reason": ""}
        )
    )

    [message] = messages
    assert message.to == ["member-a@example.com"]
    assert "道具や場所" in message.body
