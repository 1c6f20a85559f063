"""The rules of invitations (participants/invitations.py), without the web pages."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.utils import timezone

from participants.invitations import (
    InvitationError,
    accept_invitation,
    invitation_url,
    reissue_invitation,
)
from participants.models import Invitation, Participant, TaskKind, hash_token


def test_it_stores_only_a_hash_of_the_token(invite):
    participant, token = invite(liked_task_kinds=[TaskKind.FOLDING, "not-a-kind"])

    invitation = participant.invitations.get()
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert len(token) >= 40
    assert participant.user is None
    assert participant.liked_task_kinds == [TaskKind.FOLDING]


def test_a_link_is_valid_for_fourteen_days(invite):
    participant, _ = invite()

    invitation = participant.invitations.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )


def test_it_refuses_a_nickname_already_used_in_the_workshop(invite):
    invite(nickname="はな")

    with pytest.raises(InvitationError) as error:
        invite(nickname="はな")

    assert error.value.code == "nickname_taken"
    assert Participant.objects.filter(nickname="はな").count() == 1


def test_it_emails_the_link_when_an_address_is_given(invite):
    participant, token = invite(email="Hana@Example.com")

    [message] = mail.outbox
    assert message.to == ["hana@example.com"]
    assert invitation_url(token) in message.body
    assert participant.nickname in message.body


def test_it_sends_no_mail_without_an_address(invite):
    invite()

    assert mail.outbox == []


def test_a_participant_can_start_with_email_and_password(invite):
    participant, token = invite()

    user = accept_invitation(token=token, email="Hana@Example.com", password="calm-river-42")

    participant.refresh_from_db()
    assert participant.user == user
    assert user.email == "hana@example.com"
    assert authenticate(email="hana@example.com", password="calm-river-42") == user


def test_a_participant_can_start_on_this_phone_only(invite):
    participant, token = invite()

    user = accept_invitation(token=token)

    assert user.email == ""
    assert not user.has_usable_password()
    assert user.display_name == participant.nickname


def test_a_link_works_only_once(invite):
    _, token = invite()
    accept_invitation(token=token)

    with pytest.raises(InvitationError) as error:
        accept_invitation(token=token)

    assert error.value.code == "used"


def test_an_expired_link_is_refused(invite):
    participant, token = invite()
    Invitation.objects.filter(participant=participant).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with pytest.raises(InvitationError) as error:
        accept_invitation(token=token)

    assert error.value.code == "expired"
    participant.refresh_from_db()
    assert participant.user is None


def test_an_unknown_link_is_refused(db):
    with pytest.raises(InvitationError) as error:
        accept_invitation(token="made-up")

    assert error.value.code == "unknown"


def test_an_email_used_by_someone_else_is_refused_and_the_link_still_works(invite, staff_a):
    _, token = invite()

    with pytest.raises(InvitationError) as error:
        accept_invitation(token=token, email="STAFF-A@example.com", password="calm-river-42")

    assert error.value.code == "email_taken"
    assert accept_invitation(token=token)  # nothing was used up by the refused attempt


def test_a_weak_password_is_refused(invite):
    _, token = invite()

    with pytest.raises(InvitationError) as error:
        accept_invitation(token=token, email="hana@example.com", password="12345678")

    assert error.value.code == "password_invalid"


def test_reissuing_revokes_the_earlier_unused_link(invite, staff_a):
    participant, old_token = invite()

    new_token = reissue_invitation(participant=participant, created_by=staff_a)

    with pytest.raises(InvitationError) as error:
        accept_invitation(token=old_token)
    assert error.value.code == "revoked"
    assert accept_invitation(token=new_token)


def test_a_reissued_link_signs_the_same_person_in_on_a_new_phone(invite, staff_a):
    participant, token = invite()
    first_user = accept_invitation(token=token)

    new_token = reissue_invitation(participant=participant, created_by=staff_a)
    second_user = accept_invitation(token=new_token)

    assert second_user == first_user
    assert Participant.objects.get(pk=participant.pk).user == first_user


def test_a_reissued_link_goes_to_the_address_we_know(invite, staff_a):
    participant, _ = invite(email="hana@example.com")
    mail.outbox.clear()

    new_token = reissue_invitation(participant=participant, created_by=staff_a)

    [message] = mail.outbox
    assert message.to == ["hana@example.com"]
    assert invitation_url(new_token) in message.body


def test_no_link_is_issued_after_support_ended(invite, staff_a):
    participant, _ = invite()
    participant.status = Participant.Status.ENDED
    participant.ended_on = timezone.localdate()
    participant.save()

    with pytest.raises(InvitationError) as error:
        reissue_invitation(participant=participant, created_by=staff_a)

    assert error.value.code == "ended"
