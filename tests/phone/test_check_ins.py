"""Check-ins: one tap "starting" / "finishing", and staff's short reply showing on today."""

import datetime

from django.utils import timezone

from participants import attendance
from participants.attendance_models import Attendance
from tests import factories
from tests.i18n import ja


def test_it_offers_the_two_taps_and_where(sora):
    html = sora.get("/today/").content.decode()

    assert 'name="kind" value="start"' in html
    assert 'name="kind" value="end"' in html
    assert 'name="place" value="home"' in html and 'name="place" value="on_site"' in html
    assert ja("Starting now") in html and ja("Finishing now") in html


def test_one_tap_checks_in_and_a_double_tap_counts_once(sora, participant_a):
    for _ in range(2):
        response = sora.post("/check-in/", {"kind": "start", "place": "home"})
        assert response["Location"] == "/today/"

    check = Attendance.objects.get()
    assert (check.participant, check.kind, check.place) == (participant_a, "start", "home")
    assert check.day == timezone.localdate()
    html = sora.get("/today/").content.decode()
    assert ja("You started") in html
    assert ja("Staff will reply when they can.") in html


def test_starting_and_finishing_are_two_check_ins(participant_a):
    morning = timezone.now() - datetime.timedelta(hours=6)
    attendance.check_in(participant=participant_a, kind="start", place="home", now=morning)
    attendance.check_in(participant=participant_a, kind="end", place="home")

    assert list(Attendance.objects.values_list("kind", flat=True)) == ["start", "end"]


def test_with_htmx_it_answers_with_the_check_in_part_only(sora):
    response = sora.post(
        "/check-in/", {"kind": "end", "place": "on_site"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="check-in"')
    assert "<html" not in html
    assert ja("You finished") in html
    # Until staff reply, the part asks again now and then (js/phone.js reads data-poll).
    assert 'data-poll="90"' in html


def test_a_bad_check_in_is_refused_kindly(sora):
    response = sora.post("/check-in/", {"kind": "nap", "place": "home"})

    assert response["Location"] == "/today/"
    assert Attendance.objects.count() == 0


def test_staff_see_todays_check_ins_and_reply(client, staff_a, participant_a):
    check, _ = attendance.check_in(participant=participant_a, kind="start", place="home")
    client.force_login(staff_a)

    page = client.get("/staff/hidamari/check-ins/").content.decode()
    assert "そら" in page
    response = client.post(
        f"/staff/hidamari/check-ins/{check.pk}/reply/",
        {"text": "おはよう、ゆっくりどうぞ"},
    )

    check.refresh_from_db()
    assert response["Location"] == "/staff/hidamari/check-ins/"
    assert check.staff_reply == "おはよう、ゆっくりどうぞ"
    assert check.replied_by == staff_a


def test_the_reply_appears_on_the_participants_today(sora, participant_a, staff_a):
    check, _ = attendance.check_in(participant=participant_a, kind="start", place="home")
    attendance.reply_to_check_in(attendance=check, by=staff_a, text="おはようございます")

    html = sora.get("/today/").content.decode()

    assert "おはようございます" in html
    assert ja("Staff will reply when they can.") not in html
    assert 'hx-trigger="every 90s"' not in html


def test_staff_reply_with_htmx_answers_with_the_row(client, staff_a, participant_a):
    check, _ = attendance.check_in(participant=participant_a, kind="end", place="on_site")
    client.force_login(staff_a)

    response = client.post(
        f"/staff/hidamari/check-ins/{check.pk}/reply/",
        {"text": "おつかれさまでした"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="check-in-{check.pk}"')
    assert "おつかれさまでした" in html


def test_an_empty_reply_is_refused(client, staff_a, participant_a):
    check, _ = attendance.check_in(participant=participant_a, kind="end", place="home")
    client.force_login(staff_a)

    client.post(f"/staff/hidamari/check-ins/{check.pk}/reply/", {"text": "  "})

    check.refresh_from_db()
    assert check.staff_reply == ""


def test_another_workshops_staff_get_404(client, staff_b, participant_a):
    check, _ = attendance.check_in(participant=participant_a, kind="start", place="home")
    client.force_login(staff_b)

    assert client.get("/staff/hidamari/check-ins/").status_code == 404
    assert (
        client.post(f"/staff/minato/check-ins/{check.pk}/reply/", {"text": "x"}).status_code == 404
    )
    check.refresh_from_db()
    assert check.staff_reply == ""


def test_a_participant_cannot_reply_to_themself(sora, participant_a):
    check, _ = attendance.check_in(participant=participant_a, kind="start", place="home")

    assert sora.get("/staff/hidamari/check-ins/").status_code == 404
    assert (
        sora.post(f"/staff/hidamari/check-ins/{check.pk}/reply/", {"text": "x"}).status_code == 404
    )


def test_a_participant_never_sees_another_participants_check_ins(sora, workshop_a):
    other = factories.ParticipantFactory(workshop=workshop_a, nickname="はる")
    check, _ = attendance.check_in(participant=other, kind="start", place="home")
    attendance.reply_to_check_in(
        attendance=check, by=factories.UserFactory(), text="はるさん、おはよう"
    )

    html = sora.get("/today/").content.decode()

    assert "はる" not in html
    assert ja("You started") not in html
