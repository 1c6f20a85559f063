"""The coordinator never gets a participant's page, note, record, unit or log: every URL of
the site that takes an argument (walked from the URL resolver, so that URLs added later are
covered too) answers 404 to them, filled in with real objects of the network's workshops."""

import datetime
import re

from django.urls import URLPattern, URLResolver, get_resolver

from participants import pathway
from participants.models import NoteKind
from tests import factories
from tests.network.conftest import issued_statement

# What makes a URL participant-level: it names a participant, their support record or notes,
# a unit, a log, a check-in or a wage statement, or it is a participant's own page or API.
PARTICIPANT_LEVEL = re.compile(
    r"participants/|people/|units/|unit|statements|check-ins|me/|log|note|record|work/|invite"
)


def routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def fill(route: str, slugs: dict, pk: int) -> str:
    """Slugs of the network's own workshop and company; every number is `pk`; other text "x"."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        if name in slugs:
            return slugs[name]
        return str(pk) if converter == "int" else "x"

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_a_coordinator_gets_404_on_every_participant_level_page_and_endpoint(
    client, coordinator, network, workshop_a, company_a, staff_a, participant_a, order_a
):
    pathway.record_consent(
        participant=participant_a,
        recorded_by=staff_a,
        explained="説明しました",
        text_version="1",
        given_on=datetime.date(2026, 4, 1),
        method="signed",
    )
    note = pathway.write_note(
        participant=participant_a,
        on=datetime.date(2026, 4, 2),
        kind=NoteKind.values[0],
        text="面談",
        author=staff_a,
    )
    unit = factories.WorkUnitFactory(order=order_a, number=1)
    log = factories.ProgressLogFactory(unit=unit, participant=participant_a)
    statement = issued_statement(participant_a, datetime.date(2026, 10, 1), 5_000, "W-1")
    ids = {participant_a.pk, note.pk, unit.pk, log.pk, statement.pk, order_a.pk}
    client.force_login(coordinator)
    checked = 0
    for route, _pattern in routes():
        # The admin sends anyone without a manager's role to sign in (tests/workshop/test_admin.py).
        if "<" not in route or route.startswith("admin/") or not PARTICIPANT_LEVEL.search(route):
            continue
        for pk in sorted(ids):
            url = "/" + fill(
                route, {"workshop_slug": workshop_a.slug, "company_slug": company_a.slug}, pk
            )
            answers = {client.get(url).status_code, client.post(url).status_code}
            if route.startswith("api/v1/staff/"):
                # The staff API refuses people who are nobody's staff before it looks anything
                # up (403, documented in docs/staff-api.md): the same answer as for an id that
                # exists nowhere, so it tells nothing about the object.
                nowhere = "/" + fill(route, {"workshop_slug": workshop_a.slug}, 999_999)
                assert answers == {
                    client.get(nowhere).status_code,
                    client.post(nowhere).status_code,
                }
                assert answers <= {403, 404, 405}, (url, answers)
            else:
                assert answers <= {404, 405} and 404 in answers, (url, answers)
            checked += 1
    assert checked > 60
