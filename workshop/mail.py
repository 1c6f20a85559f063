"""All e-mail, allauth's and Engawa's own, leaves through one task, so that sending never holds
up a request and a worker can retry it. Task arguments are plain JSON: strings and lists.

With the database task backend the task row is written in the caller's transaction, so a mail
about something that was rolled back is never sent. With the immediate backend (development,
tests) the mail goes out at once."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

SUBJECT_PREFIX = "[Engawa] "


@task()
def send_email(subject: str, body: str, to: list[str], html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def enqueue_email(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Queue one e-mail. Addresses that are empty are dropped; nothing is queued without any."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    send_email.enqueue(subject=subject, body=body, to=recipients, html=html)


def enqueue_templated_email(
    *,
    template_prefix: str,
    to: list[str],
    context: dict,
    language: str | None = None,
) -> None:
    """Render `<prefix>_subject.txt` and `<prefix>_message.txt` and queue them.

    Mail from staff actions goes to people whose language we do not know, so it is written in
    the site's default language unless the caller knows better."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    subject = SUBJECT_PREFIX + " ".join(subject.splitlines()).strip()
    enqueue_email(subject=subject, body=body + "\n", to=to)
