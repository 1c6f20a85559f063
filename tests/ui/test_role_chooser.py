"""Where a person with several roles chooses which screen to open (/home/)."""

from tests import factories


def test_it_offers_every_role_of_a_person_with_several(client, staff_a, workshop_a, company_a):
    factories.CompanyMembershipFactory(user=staff_a, company=company_a)
    client.force_login(staff_a)

    html = client.get("/home/").content.decode()

    assert "開く画面を選んでください" in html
    assert 'href="/w/hidamari/"' in html
    assert 'href="/c/okanoue-print/"' in html
    assert "支援員の画面" in html
    assert "企業の画面" in html


def test_it_sends_a_person_with_one_role_straight_there(client, participant_a):
    client.force_login(participant_a.user)

    response = client.get("/home/")

    assert response.status_code == 302
    assert response.url == "/today/"


def test_it_explains_what_to_do_without_any_role(client, db):
    client.force_login(factories.UserFactory())

    html = client.get("/home/").content.decode()

    assert "まだ事業所や企業とつながっていません" in html
