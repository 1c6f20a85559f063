"""Staff pages for inviting participants (/w/<slug>/participants/…)."""

import re

from django.core import mail
from django.urls import reverse

from participants.models import Participant, Stage, TaskKind, hash_token
from tests import factories
from tests.i18n import in_japanese, ja


def invite_form(**overrides):
    data = {
        "nickname": "はな",
        "works_from_home": "on",
        "liked_task_kinds": [TaskKind.FOLDING, TaskKind.DATA_ENTRY],
        "hours_per_week_wished": "6",
        "email": "",
    }
    return data | overrides


def test_staff_see_their_participants_and_whether_they_set_up_an_account(
    client, staff_a, workshop_a, participant_a
):
    factories.ParticipantFactory(workshop=workshop_a, nickname="あおい", user=None)
    client.force_login(staff_a)

    html = client.get(reverse("console:participants", args=[workshop_a.slug])).content.decode()

    assert "そら" in html and "あおい" in html
    assert ja("Set up") in html and ja("Not yet") in html
    assert in_japanese(Stage.CONNECTION.label) in html  # the step
    assert 'name="nickname"' in html  # the invite form


def test_inviting_shows_the_link_once_with_a_qr_code(client, staff_a, workshop_a):
    client.force_login(staff_a)

    response = client.post(reverse("console:invite", args=[workshop_a.slug]), invite_form())

    participant = Participant.objects.get(workshop=workshop_a, nickname="はな")
    assert participant.hours_per_week_wished == 6
    assert participant.liked_task_kinds == [TaskKind.FOLDING, TaskKind.DATA_ENTRY]
    link_page = reverse("console:invitation_link", args=[workshop_a.slug, participant.pk])
    assert response.url == link_page

    html = client.get(link_page).content.decode()
    token = re.search(r"/invite/([\w-]+)/", html).group(1)
    assert participant.invitations.get().token_hash == hash_token(token)
    assert "<svg" in html
    assert "no-store" in client.get(link_page)["Cache-Control"]

    again = client.get(link_page).content.decode()
    assert token not in again
    assert ja("This link was already shown") in again


def test_an_email_given_when_inviting_gets_the_link_too(client, staff_a, workshop_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("console:invite", args=[workshop_a.slug]), invite_form(email="hana@example.com")
    )

    html = client.get(response.url).content.decode()
    token = re.search(r"/invite/([\w-]+)/", html).group(1)
    [message] = mail.outbox
    assert message.to == ["hana@example.com"]
    assert f"/invite/{token}/" in message.body
    assert "hana@example.com" in html


def test_a_taken_nickname_is_explained_and_nothing_typed_is_lost(
    client, staff_a, workshop_a, participant_a
):
    client.force_login(staff_a)

    response = client.post(
        reverse("console:invite", args=[workshop_a.slug]),
        invite_form(nickname="そら", email="x@example.com"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert ja("Someone in this workshop already uses that nickname. Please choose another.") in html
    assert 'value="x@example.com"' in html
    assert Participant.objects.filter(workshop=workshop_a).count() == 1


def test_staff_can_reissue_a_link(client, staff_a, workshop_a, participant_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("console:reissue_invitation", args=[workshop_a.slug, participant_a.pk])
    )

    html = client.get(response.url).content.decode()
    token = re.search(r"/invite/([\w-]+)/", html).group(1)
    assert participant_a.invitations.get().token_hash == hash_token(token)


def test_staff_of_workshop_b_get_404_on_workshop_a_participant_pages(
    client, staff_b, workshop_a, participant_a
):
    client.force_login(staff_b)

    assert client.get(reverse("console:participants", args=[workshop_a.slug])).status_code == 404
    assert (
        client.post(reverse("console:invite", args=[workshop_a.slug]), invite_form()).status_code
        == 404
    )
    reissue = reverse("console:reissue_invitation", args=[workshop_a.slug, participant_a.pk])
    assert client.post(reissue).status_code == 404
    link = reverse("console:invitation_link", args=[workshop_a.slug, participant_a.pk])
    assert client.get(link).status_code == 404
    assert not participant_a.invitations.exists()


def test_staff_cannot_reach_a_participant_of_another_workshop_through_their_own(
    client, staff_b, workshop_b, participant_a
):
    client.force_login(staff_b)

    reissue = reverse("console:reissue_invitation", args=[workshop_b.slug, participant_a.pk])
    assert client.post(reissue).status_code == 404


def test_participants_and_companies_get_404_on_the_staff_pages(
    client, workshop_a, participant_a, member_a
):
    for user in (participant_a.user, member_a):
        client.force_login(user)
        url = reverse("console:participants", args=[workshop_a.slug])
        assert client.get(url).status_code == 404
