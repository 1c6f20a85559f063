"""Staff pages for openings (/w/<slug>/openings/): the workshop's openings, posting one, who
might fit, and a proposal from suggestion to outcome; another workshop gets 404."""

import pytest

from companies import openings
from companies.models import Opening, OpeningProposal
from participants.models import Stage
from tests import factories

P = OpeningProposal.Status


def test_it_lists_openings_offered_through_the_workshop(client, staff_a, opening_a, opening_b):
    client.force_login(staff_a)

    html = client.get("/w/hidamari/openings/").content.decode()

    assert "印刷工場の職場体験" in html
    assert "丘の上印刷" in html
    assert "みなとの求人" not in html


def test_staff_post_an_opening_for_an_employer_without_an_account(client, staff_a, workshop_a):
    client.force_login(staff_a)

    response = client.post(
        "/w/hidamari/openings/post/",
        {
            "company": "",
            "employer_name": "坂ノ上ベーカリー",
            "kind": "trial",
            "title": "パンの袋詰め",
            "remote": "no",
        },
    )

    opening = Opening.objects.get()
    assert response["Location"] == f"/w/hidamari/openings/{opening.pk}/"
    assert (opening.employer, opening.workshop) == ("坂ノ上ベーカリー", workshop_a)


def test_without_an_employer_the_error_is_shown_next_to_the_company(client, staff_a):
    client.force_login(staff_a)

    response = client.post(
        "/w/hidamari/openings/post/", {"kind": "trial", "title": "パンの袋詰め", "remote": "no"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "企業を選ぶか、受け入れ先の名前を入れてください。" in html.split('name="company"')[1]
    assert 'value="パンの袋詰め"' in html


def test_the_opening_page_lists_who_might_fit_with_reasons(
    client, staff_a, opening_a, aoi, workshop_a
):
    factories.ParticipantFactory(workshop=workshop_a, nickname="つき", stage=Stage.PLACE)
    client.force_login(staff_a)

    html = client.get(f"/w/hidamari/openings/{opening_a.pk}/").content.decode()

    fits = html.split('id="fits"')[1]
    assert "あおい" in fits
    assert "ステップ：職場体験" in fits
    assert "つき" not in fits


def test_suggesting_leads_to_the_proposal_page(client, staff_a, opening_a, aoi):
    client.force_login(staff_a)

    response = client.post(f"/w/hidamari/openings/{opening_a.pk}/propose/", {"participant": aoi.pk})

    proposal = OpeningProposal.objects.get()
    assert response["Location"] == f"/w/hidamari/openings/proposals/{proposal.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert 'value="あおい"' in html  # the name starts as the nickname, for them to change
    assert "企業が見るのはここに書いたことだけ" in html


def test_suggesting_with_htmx_swaps_the_list(client, staff_a, opening_a, aoi):
    client.force_login(staff_a)

    response = client.post(
        f"/w/hidamari/openings/{opening_a.pk}/propose/",
        {"participant": aoi.pk},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="fits">')
    assert "利用者に提案中" in html
    assert "あおい さんに提案しました" in html


def test_staff_record_the_agreement_and_send(client, staff_a, opening_a, aoi):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    client.force_login(staff_a)

    client.post(
        f"/w/hidamari/openings/proposals/{proposal.pk}/agree/",
        {
            "shared_name": "青井",
            "shared_work_kinds": ["stuffing"],
            "shared_hours_per_week": "6",
            "shared_introduction": "よろしくお願いします。",
            "agreed": "on",
        },
    )
    client.post(f"/w/hidamari/openings/proposals/{proposal.pk}/send/")

    proposal.refresh_from_db()
    assert proposal.status == P.SENT_TO_COMPANY
    assert (proposal.shared_name, proposal.shared_work_kinds) == ("青井", ["stuffing"])
    assert proposal.shared_hours_per_week == 6


def test_the_agreement_needs_the_participants_consent_ticked(client, staff_a, opening_a, aoi):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    client.force_login(staff_a)

    response = client.post(
        f"/w/hidamari/openings/proposals/{proposal.pk}/agree/",
        {"shared_name": "青井", "shared_introduction": "書きかけ"},
    )

    assert response.status_code == 400
    assert "書きかけ" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == P.PROPOSED


def test_a_refused_step_is_shown_as_a_message(client, staff_a, opening_a, aoi):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    client.force_login(staff_a)

    response = client.post(f"/w/hidamari/openings/proposals/{proposal.pk}/send/", follow=True)

    assert "企業に紹介できるのは、ご本人が同意した提案だけです。" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/w/hidamari/openings/",
        "/w/hidamari/openings/{opening}/",
        "/w/hidamari/openings/proposals/{proposal}/",
    ],
)
def test_another_workshops_staff_get_404(client, staff_b, sent_proposal, url):
    client.force_login(staff_b)

    url = url.format(opening=sent_proposal.opening_id, proposal=sent_proposal.pk)
    assert client.get(url).status_code == 404


def test_another_workshops_staff_get_404_in_their_own_console_too(
    client, staff_b, sent_proposal, workshop_b
):
    client.force_login(staff_b)

    assert client.get(f"/w/minato/openings/{sent_proposal.opening_id}/").status_code == 404
    response = client.post(f"/w/minato/openings/proposals/{sent_proposal.pk}/withdraw/")
    assert response.status_code == 404
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == P.SENT_TO_COMPANY


def test_staff_cannot_suggest_another_workshops_participant(
    client, staff_a, opening_a, participant_b
):
    client.force_login(staff_a)

    response = client.post(
        f"/w/hidamari/openings/{opening_a.pk}/propose/", {"participant": participant_b.pk}
    )

    assert response.status_code == 404
    assert not OpeningProposal.objects.exists()


def test_a_company_member_gets_404_in_the_console(client, member_a, opening_a):
    client.force_login(member_a)

    assert client.get(f"/w/hidamari/openings/{opening_a.pk}/").status_code == 404
