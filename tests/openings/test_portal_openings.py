"""The company's openings in its portal (/c/<slug>/openings/): posting, reading proposals
(only what the participant agreed to share) and recording outcomes; another company gets 404."""

import pytest

from companies import openings
from companies.models import Opening, OpeningProposal
from participants.models import TaskKind
from tests import factories
from tests.openings.conftest import shared

P = OpeningProposal.Status


def test_it_lists_the_companys_openings_only(client, member_a, opening_a, opening_b):
    client.force_login(member_a)

    html = client.get("/c/okanoue-print/openings/").content.decode()

    assert "印刷工場の職場体験" in html
    assert "みなとの求人" not in html
    assert "ひだまり作業所" in html


def test_a_member_posts_an_opening(client, member_a, workshop_a):
    client.force_login(member_a)

    response = client.post(
        "/c/okanoue-print/openings/post/",
        {
            "workshop": workshop_a.pk,
            "kind": "job",
            "title": "検品スタッフ（短時間）",
            "work_kinds": [TaskKind.CHECKING],
            "hours_per_week": "12",
            "remote": "no",
            "support": "ジョブコーチの訪問を受け入れます。",
        },
    )

    opening = Opening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/c/okanoue-print/openings/{opening.pk}/"
    assert (opening.kind, opening.hours_per_week, opening.work_kinds) == ("job", 12, ["checking"])


def test_a_form_with_errors_keeps_what_was_typed(client, member_a, workshop_a):
    client.force_login(member_a)

    response = client.post(
        "/c/okanoue-print/openings/post/",
        {"workshop": workshop_a.pk, "kind": "job", "title": "", "place": "駅前", "remote": "no"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="駅前"' in html
    assert "errorlist" in html.split('name="title"')[1].split("</div>")[0]
    assert not Opening.objects.exists()


def test_a_company_cannot_post_through_another_companys_workshop(client, member_a, workshop_b):
    client.force_login(member_a)

    response = client.post(
        "/c/okanoue-print/openings/post/",
        {"workshop": workshop_b.pk, "kind": "job", "title": "x", "remote": "no"},
    )

    assert response.status_code == 400
    assert not Opening.objects.exists()


def test_the_company_sees_only_what_the_participant_agreed_to_share(
    client, member_a, sent_proposal, aoi
):
    client.force_login(member_a)

    html = client.get(f"/c/okanoue-print/openings/{sent_proposal.opening_id}/").content.decode()

    proposals = html.split('id="proposals"')[1]
    assert "青井 さん" in proposals
    assert "封入" in proposals
    assert "封入が好きです。" in proposals
    assert "<dd>週8時間</dd>" in proposals
    # Not their nickname, their step, their wished hours, nor anything they did not choose.
    for secret in ("あおい", "職場体験</", "ステップ", ">37<", "ラベル貼り", "継続作業"):
        assert secret not in proposals, secret


def test_the_company_never_sees_a_proposal_before_it_is_sent(
    client, member_a, opening_a, aoi, staff_a
):
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    openings.record_agreement(proposal=proposal, by=staff_a, shared=shared(name="まだ秘密"))
    client.force_login(member_a)

    html = client.get(f"/c/okanoue-print/openings/{opening_a.pk}/").content.decode()

    assert "まだ秘密" not in html
    assert "あおい" not in html
    assert "まだ紹介はありません" in html


def test_a_withdrawn_proposal_disappears_from_the_company(client, member_a, sent_proposal, staff_a):
    openings.withdraw_proposal(proposal=sent_proposal, by=staff_a)
    client.force_login(member_a)

    html = client.get(f"/c/okanoue-print/openings/{sent_proposal.opening_id}/").content.decode()

    assert "青井 さん" not in html


def test_a_member_who_is_also_staff_sees_only_the_company_view(
    client, member_a, opening_a, aoi, staff_a, workshop_a
):
    factories.StaffMembershipFactory(user=member_a, workshop=workshop_a)
    proposal = openings.propose(opening=opening_a, participant=aoi, by=staff_a)
    openings.record_agreement(proposal=proposal, by=staff_a, shared=shared(name="同意だけ"))
    client.force_login(member_a)

    html = client.get(f"/c/okanoue-print/openings/{opening_a.pk}/").content.decode()

    assert "同意だけ" not in html


def test_the_company_records_a_trial_and_hiring(client, member_a, sent_proposal):
    client.force_login(member_a)

    client.post(f"/c/okanoue-print/openings/proposals/{sent_proposal.pk}/trial-held/")
    response = client.post(
        f"/c/okanoue-print/openings/proposals/{sent_proposal.pk}/hired/", {"note": "来月から"}
    )

    sent_proposal.refresh_from_db()
    assert sent_proposal.status == P.HIRED
    assert response["Location"] == f"/c/okanoue-print/openings/{sent_proposal.opening_id}/"
    event = sent_proposal.events.last()
    assert (event.actor, event.by_company, event.note) == (member_a, True, "来月から")


def test_with_htmx_only_the_proposals_are_swapped(client, member_a, sent_proposal):
    client.force_login(member_a)

    response = client.post(
        f"/c/okanoue-print/openings/proposals/{sent_proposal.pk}/declined/",
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="proposals">')
    assert "<html" not in html
    assert "記録しました：今回は見送りになりました。" in html
    assert "見送り（企業・利用者）" in html


def test_a_refused_step_says_why(client, member_a, sent_proposal):
    openings.record_hired(proposal=sent_proposal, by=member_a)
    client.force_login(member_a)

    response = client.post(
        f"/c/okanoue-print/openings/proposals/{sent_proposal.pk}/trial-held/", follow=True
    )

    assert "体験の実施は、企業に紹介したあとで記録できます。" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/c/okanoue-print/openings/",
        "/c/okanoue-print/openings/{opening}/",
    ],
)
def test_another_company_gets_404(client, member_b, sent_proposal, url):
    client.force_login(member_b)

    assert client.get(url.format(opening=sent_proposal.opening_id)).status_code == 404


def test_another_company_gets_404_for_the_opening_and_the_outcome(
    client, member_b, sent_proposal, opening_b
):
    client.force_login(member_b)

    assert client.get(f"/c/machikado/openings/{sent_proposal.opening_id}/").status_code == 404
    response = client.post(f"/c/machikado/openings/proposals/{sent_proposal.pk}/hired/")
    assert response.status_code == 404
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == P.SENT_TO_COMPANY


def test_staff_of_the_workshop_are_not_members_of_the_company(client, staff_a, opening_a):
    client.force_login(staff_a)

    assert client.get("/c/okanoue-print/openings/").status_code == 404
