from allauth.core import context as allauth_context
from django.core import mail
from django.test import RequestFactory

from workshop.accounts import AccountAdapter
from workshop.mail import enqueue_email, enqueue_templated_email, send_email


def test_it_sends_mail_through_the_task_with_json_arguments():
    result = send_email.enqueue(
        subject="件名", body="本文", to=["a@example.com"], html="<p>本文</p>"
    )

    assert result.status == "SUCCESSFUL"
    assert result.args == [] and result.kwargs["to"] == ["a@example.com"]
    [message] = mail.outbox
    assert message.subject == "件名"
    assert message.to == ["a@example.com"]
    assert message.alternatives[0][1] == "text/html"


def test_it_queues_nothing_without_a_recipient():
    enqueue_email(subject="s", body="b", to=["", ""])

    assert mail.outbox == []


def test_it_writes_staff_mail_in_the_sites_language_whatever_the_request(settings):
    settings.LANGUAGE_CODE = "ja"

    enqueue_templated_email(
        template_prefix="companies/email/account_request_rejected",
        to=["x@example.com"],
        context={
            "account_request": {"contact_name": "山田", "decision_note": ""},
            "workshop": {"name": "ひだまり & 作業所"},
        },
    )

    [message] = mail.outbox
    assert message.subject.startswith("[Engawa] ")
    assert "ひだまり & 作業所" in message.body  # plain text: nothing is HTML-escaped


def test_allauth_mail_goes_out_through_the_task_with_our_subject_prefix(db):
    request = RequestFactory().get("/")
    with allauth_context.request_context(request):
        AccountAdapter(request).send_mail(
            "account/email/login_code", "sora@example.com", {"code": "ABC123"}
        )

    [message] = mail.outbox
    assert message.to == ["sora@example.com"]
    assert message.subject.startswith("[Engawa] ")
    assert "ABC123" in message.body
