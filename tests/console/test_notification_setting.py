"""Each person can turn order e-mail off (and on again) at /accounts/notifications/."""

from workshop.models import User


def test_it_shows_the_current_choice(client, member_a):
    client.force_login(member_a)

    html = client.get("/accounts/notifications/").content.decode()

    assert "発注についてのメール" in html
    assert 'name="email_notifications"' in html
    assert "checked" in html


def test_it_turns_e_mail_off_and_on(client, member_a):
    client.force_login(member_a)

    response = client.post("/accounts/notifications/save/", {}, follow=True)

    assert not User.objects.get(pk=member_a.pk).email_notifications
    assert "もうお送りしません" in response.content.decode()

    client.post("/accounts/notifications/save/", {"email_notifications": "on"})

    assert User.objects.get(pk=member_a.pk).email_notifications


def test_it_says_when_there_is_no_address_at_all(client, participant_a):
    participant_a.user.email = ""
    participant_a.user.save()
    client.force_login(participant_a.user)

    html = client.get("/accounts/notifications/").content.decode()

    assert "メールアドレスがないので" in html


def test_it_needs_a_sign_in(client):
    response = client.get("/accounts/notifications/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
