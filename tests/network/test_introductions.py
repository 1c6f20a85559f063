"""Introductions (つなぐ): the coordinator introduces someone to a workshop of the network and
sees only the state; the workshop meets them, accepts them with the one-time sign-in or says it
cannot now; a withdrawn introduction is gone from every page, export and the database; the
purge covers introductions; other workshops and other networks get 404."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from network import introductions
from network.models import Coordinator, Introduction, Network, NetworkMembership
from participants import privacy
from participants.models import Invitation, Participant
from tests import factories
from tests.i18n import ja
from workshop.models import AuditLog

NICKNAME = "つばめ"
CONTACT = "まず手紙で、平日の午後に"
HOPES = "家でできる軽い作業から始めたい"


def introduce(network, workshop, coordinator, **changes):
    fields = {"nickname": NICKNAME, "contact_by": CONTACT, "hopes": HOPES} | changes
    return introductions.introduce(network=network, workshop=workshop, by=coordinator, **fields)


def new_url(network):
    return reverse("network:new_introduction", args=[network.slug])


def form_data(workshop, **changes):
    return {
        "workshop": workshop.pk,
        "nickname": NICKNAME,
        "contact_by": CONTACT,
        "hopes": HOPES,
        "agreed": "on",
    } | changes


@pytest.fixture
def other_coordinator(workshop_c):
    """The coordinator of another network, of そよかぜ."""
    network = Network.objects.create(name="別のネットワーク", slug="betsu")
    NetworkMembership.objects.create(network=network, workshop=workshop_c)
    user = factories.UserFactory(email="other-coordinator@example.com")
    Coordinator.objects.create(network=network, user=user)
    return user


# --- the coordinator introduces ---------------------------------------------------------------


def test_a_coordinator_introduces_someone_who_agreed(client, coordinator, network, workshop_a):
    client.force_login(coordinator)

    response = client.post(new_url(network), form_data(workshop_a))

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.workshop, introduction.by) == (workshop_a, coordinator)
    assert (introduction.nickname, introduction.contact_by, introduction.hopes) == (
        NICKNAME,
        CONTACT,
        HOPES,
    )
    assert introduction.agreed_on == timezone.localdate()
    assert introduction.state == Introduction.State.SENT


def test_without_the_agreement_nothing_is_sent_and_the_form_keeps_what_was_typed(
    client, coordinator, network, workshop_a
):
    client.force_login(coordinator)

    response = client.post(new_url(network), form_data(workshop_a, agreed=""))

    assert response.status_code == 400
    assert not Introduction.objects.exists()
    page = response.content.decode()
    assert NICKNAME in page and CONTACT in page and HOPES in page


def test_texts_longer_than_the_limits_are_refused_on_the_field(
    client, coordinator, network, workshop_a
):
    client.force_login(coordinator)

    response = client.post(new_url(network), form_data(workshop_a, contact_by="あ" * 121))

    assert response.status_code == 400
    assert "contact_by" in response.context["form"].errors
    assert not Introduction.objects.exists()


def test_only_workshops_of_the_network_can_be_chosen(
    client, coordinator, network, workshop_a, workshop_c
):
    client.force_login(coordinator)

    response = client.post(new_url(network), form_data(workshop_c))

    assert response.status_code == 400
    assert "workshop" in response.context["form"].errors
    with pytest.raises(introductions.IntroductionError) as refused:
        introduce(network, workshop_c, coordinator)
    assert refused.value.code == "not_in_network"


# --- the workshop answers ---------------------------------------------------------------------


def test_the_workshop_sees_what_the_coordinator_wrote(
    client, staff_a, coordinator, network, workshop_a
):
    introduce(network, workshop_a, coordinator)
    client.force_login(staff_a)

    page = client.get(reverse("introductions:list", args=[workshop_a.slug])).content.decode()

    assert NICKNAME in page and CONTACT in page and HOPES in page


def test_we_met_then_accept_invites_with_the_one_time_sign_in(
    client, staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    client.force_login(staff_a)

    client.post(reverse("introductions:met", args=[workshop_a.slug, introduction.pk]))
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.MET
    accept_url = reverse("introductions:accept", args=[workshop_a.slug, introduction.pk])
    assert NICKNAME in client.get(accept_url).content.decode()
    response = client.post(accept_url, {"nickname": NICKNAME, "works_from_home": "on"})

    participant = Participant.objects.get(workshop=workshop_a, nickname=NICKNAME)
    assert response.url == reverse(
        "console:invitation_link", args=[workshop_a.slug, participant.pk]
    )
    assert Invitation.objects.filter(participant=participant).count() == 1
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.STARTED
    assert introduction.participant == participant
    # The link is shown once, on the invitation page of the participants flow.
    link_page = client.get(response.url).content.decode()
    assert "/invite/" in link_page


def test_accept_with_a_nickname_already_used_keeps_the_form_and_changes_nothing(
    client, staff_a, coordinator, network, workshop_a
):
    factories.ParticipantFactory(workshop=workshop_a, nickname=NICKNAME)
    introduction = introduce(network, workshop_a, coordinator)
    client.force_login(staff_a)

    response = client.post(
        reverse("introductions:accept", args=[workshop_a.slug, introduction.pk]),
        {"nickname": NICKNAME, "hours_per_week_wished": "7"},
    )

    assert response.status_code == 400
    assert ja("Someone in this workshop already uses that nickname. Please choose another.") in (
        response.content.decode()
    )
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.SENT


def test_cannot_now_with_a_reason_the_coordinator_reads(
    client, staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    client.force_login(staff_a)

    client.post(
        reverse("introductions:cannot_now", args=[workshop_a.slug, introduction.pk]),
        {"reason": "今月は定員がいっぱいです"},
    )

    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.CANNOT_NOW
    assert introduction.answered_at is not None
    client.force_login(coordinator)
    page = client.get(reverse("network:introductions", args=[network.slug])).content.decode()
    assert "今月は定員がいっぱいです" in page
    assert ja("Cannot now") in page


def test_an_answered_introduction_cannot_be_answered_again(
    client, staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    introductions.cannot_now(introduction=introduction, by=staff_a)

    with pytest.raises(introductions.IntroductionError) as refused:
        introductions.mark_met(introduction=introduction, by=staff_a)
    assert refused.value.code == "answered"
    client.force_login(staff_a)
    response = client.post(reverse("introductions:met", args=[workshop_a.slug, introduction.pk]))
    assert response.status_code == 400


# --- what the coordinator sees ----------------------------------------------------------------


def test_after_started_the_coordinator_sees_the_state_and_nothing_of_the_participant(
    client, staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    participant, _token = introductions.accept(
        introduction=introduction,
        by=staff_a,
        nickname="つばめさん",
        works_from_home=True,
        works_on_site=False,
        liked_task_kinds=[],
        hours_per_week_wished=3,
    )
    client.force_login(coordinator)

    pages = [
        client.get(reverse("network:introductions", args=[network.slug])),
        client.get(reverse("network:home", args=[network.slug])),
    ]

    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert f"/people/{participant.pk}/" not in page
        assert f"/participants/{participant.pk}/" not in page
        assert "つばめさん" not in page  # the name the workshop chose
        assert "/invite/" not in page
    assert ja("Started") in pages[0].content.decode()
    for url in (
        reverse("support:person", args=[workshop_a.slug, participant.pk]),
        reverse("console:invitation_link", args=[workshop_a.slug, participant.pk]),
        reverse("introductions:list", args=[workshop_a.slug]),
    ):
        assert client.get(url).status_code == 404, url


# --- withdrawn: gone everywhere ---------------------------------------------------------------


def test_a_withdrawn_introduction_is_gone_from_every_page_export_and_the_database(
    client, staff_a, manager_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    participant, _token = introductions.accept(
        introduction=introduction,
        by=staff_a,
        nickname="つばめ",
        works_from_home=True,
        works_on_site=False,
        liked_task_kinds=[],
        hours_per_week_wished=None,
    )
    pk = introduction.pk
    client.force_login(coordinator)

    response = client.post(reverse("network:withdraw_introduction", args=[network.slug, pk]))

    assert response.status_code == 302
    assert not Introduction.objects.filter(pk=pk).exists()
    assert not Introduction.objects.exists()
    coordinator_page = client.get(reverse("network:introductions", args=[network.slug]))
    client.force_login(staff_a)
    staff_page = client.get(reverse("introductions:list", args=[workshop_a.slug]))
    for page in (coordinator_page.content.decode(), staff_page.content.decode()):
        assert CONTACT not in page and HOPES not in page
    archive = zipfile.ZipFile(
        io.BytesIO(privacy.export_participant(participant=participant, exported_by=manager_a))
    )
    everything = json.loads(archive.read("everything.json"))
    assert everything["introductions"] == []
    raw = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert CONTACT not in raw and HOPES not in raw
    # The audit keeps the fact, nothing of the person.
    withdrawn = AuditLog.objects.get(record_type="introduction", record_id=pk, action="delete")
    assert withdrawn.summary == "withdrawn"
    for row in AuditLog.objects.filter(record_type="introduction"):
        assert NICKNAME not in row.summary and CONTACT not in row.summary


def test_the_export_holds_the_introduction_of_the_person(
    staff_a, manager_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    participant, _token = introductions.accept(
        introduction=introduction,
        by=staff_a,
        nickname="つばめ",
        works_from_home=True,
        works_on_site=False,
        liked_task_kinds=[],
        hours_per_week_wished=None,
    )

    archive = zipfile.ZipFile(
        io.BytesIO(privacy.export_participant(participant=participant, exported_by=manager_a))
    )

    rows = json.loads(archive.read("everything.json"))["introductions"]
    assert [(row["contact_by"], row["hopes"], row["state"]) for row in rows] == [
        (CONTACT, HOPES, "started")
    ]
    assert HOPES in archive.read("csv/introductions.csv").decode()


# --- purge ------------------------------------------------------------------------------------

PURGE_DAY = datetime.date(2026, 3, 1)


def answered_cannot_now(network, workshop, coordinator, staff, on: datetime.date, nickname):
    introduction = introduce(network, workshop, coordinator, nickname=nickname)
    introductions.cannot_now(introduction=introduction, by=staff)
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    Introduction.objects.filter(pk=introduction.pk).update(answered_at=at)
    return introduction


def test_the_purge_deletes_cannot_now_introductions_after_the_workshops_retention(
    staff_a, coordinator, network, workshop_a
):
    old = answered_cannot_now(
        network, workshop_a, coordinator, staff_a, datetime.date(2021, 3, 1), "むかし"
    )
    recent = answered_cannot_now(
        network, workshop_a, coordinator, staff_a, datetime.date(2021, 3, 2), "さいきん"
    )
    waiting = introduce(network, workshop_a, coordinator, nickname="まだ")

    dry = privacy.purge_expired(today=PURGE_DAY, dry_run=True)
    assert dry.introductions_not_taken == 1
    assert Introduction.objects.filter(pk=old.pk).exists()
    report = privacy.purge_expired(today=PURGE_DAY)

    assert report.introductions_not_taken == 1
    assert set(Introduction.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    purge = AuditLog.objects.get(action="purge", record_type="introductions")
    assert purge.summary == "cannot_now=1"
    assert privacy.purge_expired(today=PURGE_DAY).introductions_not_taken == 0


def test_the_purge_of_a_participant_takes_their_introduction(
    staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    participant, _token = introductions.accept(
        introduction=introduction,
        by=staff_a,
        nickname="つばめ",
        works_from_home=True,
        works_on_site=False,
        liked_task_kinds=[],
        hours_per_week_wished=None,
    )
    Participant.objects.filter(pk=participant.pk).update(
        status="ended", ended_on=datetime.date(2021, 3, 1)
    )

    report = privacy.purge_expired(today=PURGE_DAY)

    assert report.counts[participant.pk]["introductions"] == 1
    assert not Introduction.objects.exists()


# --- isolation --------------------------------------------------------------------------------


def test_other_workshops_staff_get_404(client, staff_b, staff_c, coordinator, network, workshop_a):
    introduction = introduce(network, workshop_a, coordinator)
    for user in (staff_b, staff_c):
        client.force_login(user)
        assert client.get(reverse("introductions:list", args=[workshop_a.slug])).status_code == 404
        for name in ("met", "accept", "cannot_now"):
            url = reverse(f"introductions:{name}", args=[workshop_a.slug, introduction.pk])
            assert client.post(url).status_code == 404, (user, name)
    # B's own list, in the same network, does not show A's introduction.
    client.force_login(staff_b)
    page = client.get(reverse("introductions:list", args=["minato"]))
    assert NICKNAME not in page.content.decode()
    # Through B's own address, A's introduction is not found either.
    for name in ("met", "accept", "cannot_now"):
        url = reverse(f"introductions:{name}", args=["minato", introduction.pk])
        assert client.post(url).status_code == 404
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.SENT


def test_other_networks_coordinators_and_staff_get_404_on_the_coordinators_pages(
    client, other_coordinator, staff_a, coordinator, network, workshop_a
):
    introduction = introduce(network, workshop_a, coordinator)
    urls = [
        reverse("network:introductions", args=[network.slug]),
        reverse("network:new_introduction", args=[network.slug]),
        reverse("network:withdraw_introduction", args=[network.slug, introduction.pk]),
        # Through the other network's own address, this introduction does not exist.
        reverse("network:withdraw_introduction", args=["betsu", introduction.pk]),
    ]
    for user in (other_coordinator, staff_a):
        client.force_login(user)
        for url in urls:
            if user is staff_a and "betsu" in url:
                continue
            answers = {client.get(url).status_code, client.post(url).status_code}
            assert answers <= {404, 405} and 404 in answers, (user, url, answers)
    assert Introduction.objects.filter(pk=introduction.pk).exists()


def test_the_demo_network_has_one_introduction_waiting_for_hidamari(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    introduction = Introduction.objects.get()
    assert (introduction.network.slug, introduction.workshop.slug) == ("sakanoue", "hidamari")
    assert introduction.state == Introduction.State.SENT
    assert introduction.participant is None


def test_the_console_links_to_introductions_only_in_a_network(
    client, staff_a, staff_c, network, workshop_a, workshop_c
):
    for user, workshop, shown in ((staff_a, workshop_a, True), (staff_c, workshop_c, False)):
        client.force_login(user)
        page = client.get(reverse("console:home", args=[workshop.slug])).content.decode()
        link = reverse("introductions:list", args=[workshop.slug])
        assert (link in page) is shown, workshop
