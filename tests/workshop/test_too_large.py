"""A form body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig) is a calm
413 page in Japanese, not a bare error: it says to go back, where what was typed is still in
the form, and to send it shorter. Posted to a form of the company portal and of the phone."""

import pytest
from django.conf import settings

from jobs.models import Order, ProgressLog
from tests import factories
from tests.companies.conftest import order_post
from tests.i18n import ja, ja_html
from tests.phone.conftest import log_fields, take

TITLE = "What you sent is too large"
GO_BACK = (
    "Please go back with your browser's back button: what you typed is still in the form. "
    "Make the text shorter, or send fewer or smaller files, and send it again."
)
KEPT_ON_THE_PHONE = (
    "This was too long to send. What you typed is still here: please make the note shorter "
    "and send it again."
)


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def too_long() -> str:
    return "あ" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def assert_calm_413(response) -> None:
    html = response.content.decode()
    assert response.status_code == 413
    assert "errors/page.html" in [t.name for t in response.templates]
    assert '<html lang="ja">' in html and f"<h1>{ja(TITLE)}</h1>" in html
    assert ja_html(GO_BACK) in html
    assert 'href="/"' in html  # and a way home


def test_an_oversize_order_form_is_a_calm_413(client, member_a, workshop_a):
    client.force_login(member_a)

    response = client.post(
        "/c/okanoue-print/orders/new/save/", order_post(workshop_a, description=too_long())
    )

    assert_calm_413(response)
    assert not Order.objects.exists()


def test_an_oversize_progress_log_from_the_phone_is_a_calm_413(client, participant_a, order_a):
    unit = take(participant_a, factories.WorkUnitFactory(order=order_a))
    client.force_login(participant_a.user)

    response = client.post(f"/units/{unit.pk}/log/", log_fields(note=too_long()))

    assert_calm_413(response)
    assert not ProgressLog.objects.exists()
    # With JavaScript the form is posted by fetch: on a 413 it stays on screen as typed, and
    # phone.js says so with the form's own words.
    form = client.get(f"/units/{unit.pk}/log/").content.decode()
    assert f'data-too-large="{ja_html(KEPT_ON_THE_PHONE)}"' in form


def test_the_api_answers_an_oversize_body_with_its_json(client, participant_a):
    client.force_login(participant_a.user)

    response = client.post(
        "/api/v1/me/push-subscriptions/", {"endpoint": too_long()}, "application/json"
    )

    assert response.status_code == 413 and response.json()["code"] == "too_large"
