"""Demo support records: plausible, idempotent, and with one goal review due soon."""

from participants.demo_support import seed_demo_support
from participants.models import Consent, Goal, SupportNote, SupportNoteVersion
from participants.pathway import reviews_due
from tests import factories
from workshop.models import StaffMembership


def test_it_gives_the_workshops_participants_a_history_once(workshop_a, staff_a):
    StaffMembership.objects.filter(user=staff_a).update(role="staff")
    for nickname, stage in (
        ("そら", "regular_work"),
        ("みどり", "connection"),
        ("かえで", "place"),
    ):
        factories.ParticipantFactory(workshop=workshop_a, nickname=nickname, stage=stage)

    seed_demo_support(workshop_a)
    counts = (Consent.objects.count(), SupportNote.objects.count(), Goal.objects.count())
    seed_demo_support(workshop_a)

    assert (Consent.objects.count(), SupportNote.objects.count(), Goal.objects.count()) == counts
    assert not Consent.objects.filter(participant__nickname="みどり").exists()
    assert Consent.objects.get(participant__nickname="かえで").withdrawn_on is not None
    assert SupportNoteVersion.objects.count() == 1
    assert [g.participant.nickname for g in reviews_due(workshop_a)] == ["そら"]
