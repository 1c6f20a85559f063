"""Participant pages stay light (cheap phones, thin signal): none loads htmx. Found by walking
from the today page, so a new participant page is covered without being listed."""

import re

from tests import factories

LINK = re.compile(r'href="(/[^"#?]*)"')
NOT_PAGES = ("/static/", "/media/", "/accounts/logout/", "/manifest", "/sw.js")


def test_no_page_a_participant_reaches_loads_htmx(sora, participant_a):
    factories.WorkUnitFactory(order__workshop=participant_a.workshop)
    seen, queue = set(), ["/today/"]
    while queue and len(seen) < 60:
        path = queue.pop()
        if path in seen or path.startswith(NOT_PAGES):
            continue
        seen.add(path)
        response = sora.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert "django_htmx/" not in html, f"{path} loads htmx"
        queue.extend(LINK.findall(html))
    assert {"/today/", "/my-day/", "/me/steps/"} <= seen, sorted(seen)
