"""Logging progress from the phone, handing in (できました) and handing back (今日はここまで)."""

import re

from django.conf import settings
from django.contrib.messages import get_messages

from jobs.models import ProgressLog, WorkUnit
from tests import factories
from tests.i18n import ja, ja_html
from tests.phone.conftest import log_fields


def uuid_in(html: str) -> str:
    return re.search(r'name="client_uuid" value="([0-9a-f-]{36})"', html).group(1)


def test_the_log_form_has_a_stepper_a_timer_a_camera_and_a_fresh_uuid_each_time(sora, held_a):
    first = sora.get(f"/units/{held_a.pk}/log/").content.decode()
    second = sora.get(f"/units/{held_a.pk}/log/").content.decode()

    assert uuid_in(first) != uuid_in(second)
    assert 'data-step="-1"' in first and 'data-step="1"' in first
    assert 'inputmode="numeric"' in first
    assert 'class="button timer-toggle"' in first
    assert 'accept="image/*"' in first and 'capture="environment"' in first
    assert 'enctype="multipart/form-data"' in first
    assert ja("%(left)s %(label)s left", left=50, label="枚") in first
    # Every control has a label.
    for field in ("quantity", "minutes", "note", "photo"):
        assert f'<label for="id_{field}">' in first


def test_it_records_progress_and_thanks(sora, held_a, participant_a):
    response = sora.post(f"/units/{held_a.pk}/log/", log_fields(note="半分できました"))

    log = ProgressLog.objects.get()
    assert response["Location"] == f"/units/{held_a.pk}/"
    assert (log.participant, log.unit, log.quantity, log.minutes) == (
        participant_a,
        held_a,
        10,
        25,
    )
    assert log.note == "半分できました"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [ja("Saved. Thank you!")]
    unit_page = sora.get(f"/units/{held_a.pk}/").content.decode()
    assert ja("Recorded so far: %(done)s of %(total)s.", done=10, total=50) in unit_page


def test_a_form_sent_again_with_the_same_uuid_counts_once(sora, held_a):
    fields = log_fields()
    for _ in range(10):
        response = sora.post(f"/units/{held_a.pk}/log/", fields)
        assert response.status_code == 302

    assert ProgressLog.objects.count() == 1
    assert held_a.quantity_logged() == 10
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [ja("Saved. Thank you!")] + [ja("This was already saved. Thank you!")] * 9


def test_more_than_is_left_is_refused_next_to_the_field_and_what_was_typed_stays(sora, held_a):
    response = sora.post(
        f"/units/{held_a.pk}/log/", log_fields(quantity=51, minutes=40, note="がんばった")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert ja("This unit has %(left)s left to do.", left=50) in html
    assert 'value="51"' in html and 'value="40"' in html and "がんばった" in html
    assert ProgressLog.objects.count() == 0


def test_an_empty_log_is_refused_kindly(sora, held_a):
    response = sora.post(f"/units/{held_a.pk}/log/", log_fields(quantity=0, minutes=""))

    assert response.status_code == 400
    assert ja("Please enter how many, the minutes, or a note.") in response.content.decode()


def test_a_log_without_csrf_is_refused(client, participant_a, held_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(participant_a.user)

    assert strict.post(f"/units/{held_a.pk}/log/", log_fields()).status_code == 403
    assert ProgressLog.objects.count() == 0


def test_all_done_sends_the_unit_for_review(sora, held_a):
    response = sora.post(f"/units/{held_a.pk}/done/")

    held_a.refresh_from_db()
    assert held_a.status == "submitted"
    assert response["Location"] == "/today/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        ja("Handed in. Thank you! Staff will have a look.")
    ]


def test_the_thank_you_after_all_done_shows_once(sora, held_a):
    page = sora.post(f"/units/{held_a.pk}/done/", follow=True).content.decode()

    assert page.count(ja_html("Handed in. Thank you! Staff will have a look.")) == 1
    assert ja_html("Staff are looking at it.") in page  # the card of the unit handed in


def test_a_unit_no_longer_mine_answers_calmly(sora, held_a):
    sora.post(f"/units/{held_a.pk}/done/")

    response = sora.post(f"/units/{held_a.pk}/log/", log_fields())

    assert response.status_code == 200
    assert ja("This unit is not with you now") in response.content.decode()
    assert ProgressLog.objects.count() == 0


def test_handing_back_asks_nothing_and_says_it_is_fine(sora, held_a):
    html = sora.get(f"/units/{held_a.pk}/hand-back/").content.decode()
    sora.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = sora.get(f"/units/{held_a.pk}/hand-back/").content.decode()

    assert (
        ja_html(
            "You can hand this unit back now. That is perfectly fine, and nothing is counted "
            "against you."
        )
        in html
    )
    assert 'name="reason"' in html
    for word in ("ペナルティ", "警告", "遅刻", "遅れ", "期限切れ"):
        assert word not in html
    for word in ("penalty", "warning", "late", "overdue"):
        assert not re.search(rf"\b{word}\b", english, re.IGNORECASE)


def test_handing_back_with_nothing_logged_opens_the_unit_again(sora, held_a):
    response = sora.post(f"/units/{held_a.pk}/hand-back/", {"reason": "体調がすぐれない"})

    held_a.refresh_from_db()
    assert (held_a.status, held_a.holder) == ("open", None)
    assert response["Location"] == "/today/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        ja("Handed back. Thank you for today.")
    ]


def test_handing_back_keeps_the_logged_work_credited_and_opens_only_the_rest(
    sora, held_a, participant_a
):
    sora.post(f"/units/{held_a.pk}/log/", log_fields(quantity=20))
    page = sora.get(f"/units/{held_a.pk}/hand-back/").content.decode()
    assert (
        ja(
            "The %(count)s %(label)s you did stay yours and count toward your pay.",
            count=20,
            label="枚",
        )
        in page
    )

    response = sora.post(f"/units/{held_a.pk}/hand-back/")

    held_a.refresh_from_db()
    assert (held_a.status, held_a.holder, held_a.quantity) == ("submitted", participant_a, 20)
    rest = WorkUnit.objects.exclude(pk=held_a.pk).get()
    assert (rest.status, rest.holder, rest.quantity) == ("open", None, 30)
    assert ProgressLog.objects.get().participant == participant_a
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        ja("Handed back. The %(count)s you did stay yours. Thank you!", count=20)
    ]


def test_another_participants_uuid_cannot_be_reused(sora, held_a, workshop_a, order_a):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    theirs = factories.ProgressLogFactory(
        unit=factories.WorkUnitFactory(order=order_a), participant=other
    )

    response = sora.post(f"/units/{held_a.pk}/log/", log_fields(client_uuid=theirs.client_uuid))

    assert response.status_code == 400
    assert ja("This record was already used for something else.") in response.content.decode()
    assert ProgressLog.objects.count() == 1
