"""The isolation matrix: every URL pattern the resolver knows (web, API and admin), for every
persona of two workshops, two companies (people and API tokens), participants of both and an
anonymous visitor; GET and each write method the view allows.

An object the persona may not see (by the model's own `visible_to`) is never readable or
writable: the answer is 401, 403, 404, 405 or a redirect to a login page, never a page with its
data and never a write. A page of the persona's own tenant may open, but never shows another
tenant's names. URLs are filled by the reviewed table in tests/isolation/fill.py; a URL it
cannot fill fails here, so a new URL is covered without being listed."""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from companies.models import Company, OpeningProposal
from jobs.models import Order
from participants.models import Participant
from tests import markup
from tests.isolation import fill
from tests.isolation.conftest import Persona
from workshop.models import Workshop

WRITE_METHODS = ("post", "put", "patch", "delete")
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
DENIED = {401, 403, 404, 405}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>")


@dataclass(frozen=True)
class Pattern:
    name: str  # namespaced URL name
    route: str  # the whole route, prefixes included
    callback: object

    @property
    def arguments(self) -> list[str]:
        return [m["name"] or m["regex_name"] for m in ARGUMENT.finditer(self.route)]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def segment_before(self, argument: str) -> str:
        before = rf"([\w.-]+)/(?:<(?:\w+:)?{argument}>|\(\?P<{argument}>)"
        match = re.search(before, self.route)
        return match[1] if match else ""

    def write_methods(self) -> list[str]:
        """The write methods the view answers: a DRF view's handlers, else POST (a Django view
        refuses what it does not allow with 405, which the matrix accepts)."""
        cls = getattr(self.callback, "cls", None)
        if cls is not None and hasattr(cls, "http_method_names"):
            actions = getattr(self.callback, "actions", None)
            if actions:
                return [m for m in WRITE_METHODS if m in actions]
            return [m for m in WRITE_METHODS if hasattr(cls, m)]
        return ["post"]


def all_patterns() -> list[Pattern]:
    found = []

    def walk(resolver, prefix: str, namespaces: tuple):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                extra = (entry.namespace,) if entry.namespace else ()
                walk(entry, route, namespaces + extra)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append(Pattern(":".join((*namespaces, entry.name)), route, entry.callback))

    walk(get_resolver(), "", ())
    return found


# --- filling a URL --------------------------------------------------------------------------


class Unfillable(Exception):
    """No row of fill.py says how to fill an argument."""


@dataclass(frozen=True)
class Case:
    url: str
    hidden: bool  # names something the persona may not see: must be refused
    methods: tuple[str, ...]


def admin_fill(pattern: Pattern) -> fill.Fill:
    """Admin routes name their model: admin/<app_label>/<model_name>/<object_id>/…"""
    app_label, model_name = pattern.route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return fill.Fill(model._meta.label)
    parent = fill.ADMIN_PARENTS.get(model._meta.label)
    if parent is None:
        raise Unfillable(f"{pattern.name}: add {model._meta.label} to fill.ADMIN_PARENTS")
    if parent == "*":
        return fill.Fill("*" + model._meta.label)
    return fill.Fill(model._meta.label, parent)


WORKSHOP_PATHS = (
    "workshop",
    "order__workshop",
    "unit__workshop",
    "participant__workshop",
    "statement__participant__workshop",
    "invoice__workshop",
)


def home_workshop(persona: Persona) -> Workshop | None:
    if persona.workshop_slug:
        return Workshop.objects.get(slug=persona.workshop_slug)
    own = Participant.objects.filter(user=persona.user).first() if persona.user else None
    return own.workshop if own else None


def hidden_row(entry: fill.Fill, persona: Persona):
    """A row this persona may not see, of another workshop than theirs where there is one:
    inside their own workshop some hidden rows answer with a calm page of their own (a unit
    someone else took), which is not a tenancy question."""
    if entry.model.startswith("*"):  # no tenant: nobody but an operator may open it
        return apps.get_model(entry.model[1:])._default_manager.order_by("pk").first()
    user = persona.user if persona.kind != "anonymous" else AnonymousUser()
    rows = entry.hidden_from(user).order_by("pk")
    home = home_workshop(persona)
    if home is not None:
        for path in WORKSHOP_PATHS:
            try:
                elsewhere = rows.exclude(**{path: home}).first()
            except FieldError:
                continue
            if elsewhere is not None:
                return elsewhere
            break
    return rows.first()


def own_slugs(persona: Persona) -> dict:
    return {
        "workshop_slug": persona.workshop_slug or "hidamari",
        "company_slug": persona.company_slug or "okanoue-print",
        "network_slug": "sakanoue",
    }


def foreign_slugs(persona: Persona) -> dict:
    return {
        "workshop_slug": "minato" if persona.workshop_slug == "hidamari" else "hidamari",
        "company_slug": "machikado" if persona.company_slug == "okanoue-print" else "okanoue-print",
        "network_slug": "sakanoue",
    }


def url_for(pattern: Pattern, kwargs: dict) -> str:
    kwargs = {name: kwargs[name] for name in pattern.arguments}
    return reverse(pattern.name, kwargs=kwargs)


def url_with(pattern, entry, row, base, persona, objects) -> str:
    values = {**base, **own_slugs(persona), objects[-1]: getattr(row, entry.value)}
    for name in objects[:-1]:
        values[name] = getattr(row, entry.parents[name])
    return url_for(pattern, values)


def visible_row(entry: fill.Fill, persona: Persona):
    if entry.model.startswith("*") or persona.user is None:
        return None
    return entry.visible_to(persona.user).order_by("pk").first()


def cases_for(pattern: Pattern, persona: Persona) -> list[Case]:
    arguments = pattern.arguments
    writes = tuple(pattern.write_methods())
    objects = [a for a in arguments if a not in fill.SLUGS and a not in fill.OTHER]
    if pattern.is_admin:
        objects = [a for a in objects if a in ("object_id", "id")]
    base = {name: value for name, value in fill.OTHER.items() if name in arguments}
    base.update(fill.ADMIN_OTHER)
    if objects:
        primary = objects[-1]
        if pattern.is_admin:
            entry = admin_fill(pattern)
        else:
            entry = fill.OBJECTS.get((pattern.segment_before(primary), primary))
            if entry is None:
                raise Unfillable(
                    f"{pattern.name}: add ({pattern.segment_before(primary)!r}, {primary!r}) "
                    "to fill.OBJECTS"
                )
        for name in objects[:-1]:
            if name not in entry.parents:
                raise Unfillable(f"{pattern.name}: {entry.model} has no parent for {name!r}")
        cases = []
        # A row the persona may see: the page opens (or not) but shows nobody else's names.
        seen = visible_row(entry, persona)
        if seen is not None:
            cases.append(Case(url_with(pattern, entry, seen, base, persona, objects), False, ()))
        row = hidden_row(entry, persona)
        if row is not None:
            cases.append(Case(url_with(pattern, entry, row, base, persona, objects), True, writes))
        return cases
    slugs = [a for a in arguments if a in fill.SLUGS]
    if not slugs:
        return [Case(url_for(pattern, base), False, ())]
    return [
        Case(url_for(pattern, {**base, **foreign_slugs(persona)}), True, writes),
        Case(url_for(pattern, {**base, **own_slugs(persona)}), False, ()),
    ]


# --- judging an answer ----------------------------------------------------------------------


def refused(response, pattern: Pattern) -> bool:
    if response.status_code in DENIED:
        return True
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "").split("?")[0]
        # The admin answers an object outside its queryset with its index and a message.
        return location.endswith(LOGIN_PATHS) or (pattern.is_admin and location == "/admin/")
    return False


def markers_hidden_from(persona: Persona) -> list[str]:
    """Names of what this persona may not see, that no page of theirs may show."""
    user = persona.user if persona.kind != "anonymous" else AnonymousUser()
    visible_titles = set(Order.objects.visible_to(user).values_list("title", flat=True))
    visible_names = set(Participant.objects.visible_to(user).values_list("nickname", flat=True))
    # A company reads the nicknames of the people proposed for its openings.
    visible_names |= set(
        OpeningProposal.objects.visible_to(user).values_list("participant__nickname", flat=True)
    )
    own = Participant.objects.filter(user=user).first() if persona.user else None
    hidden_orders = Order.objects.exclude(pk__in=Order.objects.visible_to(user).values("pk"))
    if own is not None:  # a participant reads titles of their own workshop's work
        hidden_orders = hidden_orders.exclude(workshop=own.workshop)
        visible_titles |= set(
            Order.objects.filter(workshop=own.workshop).values_list("title", flat=True)
        )
        visible_names |= {own.nickname}
    markers = {title for title in hidden_orders.values_list("title", flat=True)}
    markers -= visible_titles
    markers |= {
        nickname
        for nickname in Participant.objects.exclude(nickname__in=visible_names).values_list(
            "nickname", flat=True
        )
        if len(nickname) >= 3
    }
    for model in (Workshop, Company):
        markers |= set(
            model.objects.exclude(pk__in=model.objects.visible_to(user).values("pk")).values_list(
                "name", flat=True
            )
        )
    return sorted(marker for marker in markers if marker)


def client_for(persona: Persona) -> Client:
    if persona.kind == "token":
        return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {persona.token}")
    client = Client(raise_request_exception=False)
    if persona.user is not None:
        client.force_login(persona.user)
    return client


def fingerprint() -> tuple:
    """What a write would change: the number of rows of every model and the states."""
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for model in apps.get_models()
        # reading support records writes the audit log, on purpose
        if not model._meta.label.startswith(("sessions.", "admin.", "workshop.AuditLog"))
    )
    states = tuple(Order.objects.order_by("pk").values_list("pk", "status", "quantity"))
    return counts, states


def run_matrix(persona: Persona, patterns: list[Pattern]) -> tuple[list[str], int]:
    client = client_for(persona)
    markers = markers_hidden_from(persona)
    problems, requests, pages = [], 0, 0
    for pattern in patterns:
        if pattern.name in fill.NOT_REQUESTED:
            continue
        if persona.kind == "token" and not pattern.is_api:
            continue  # a token signs in to the API only
        try:
            cases = cases_for(pattern, persona)
        except Unfillable as unfillable:
            problems.append(str(unfillable))
            continue
        for case in cases:
            must_refuse = case.hidden or (
                persona.kind == "anonymous" and pattern.name not in fill.PUBLIC
            )
            response = client.get(case.url)
            requests += 1
            if response.status_code >= 500 or (must_refuse and not refused(response, pattern)):
                problems.append(f"GET {case.url} ({pattern.name}): {response.status_code}")
            elif (
                response.status_code == 200
                and not response.streaming
                and pattern.name not in fill.PUBLIC  # public pages name workshops on purpose
            ):
                body = response.content.decode("utf-8", "replace")
                leaked = [marker for marker in markers if marker in body]
                if leaked:
                    problems.append(f"GET {case.url} ({pattern.name}) shows {leaked}")
                if response.headers.get("Content-Type", "").startswith("text/html"):
                    pages += 1
                    problems += [
                        f"{case.url}: {problem}"
                        for problem in markup.problems(body, django_admin=pattern.is_admin)
                    ]
            if not must_refuse:
                continue
            for method in case.methods:
                response = getattr(client, method)(case.url, {}, content_type="application/json")
                requests += 1
                if not refused(response, pattern):
                    problems.append(
                        f"{method.upper()} {case.url} ({pattern.name}): {response.status_code}"
                    )
    PAGES_CHECKED[persona.name] = pages
    return problems, requests


# How many rendered pages each persona's run checked with tests/markup.py (for the report).
PAGES_CHECKED: dict[str, int] = {}


PERSONAS = [
    "staff_hidamari",
    "manager_hidamari",
    "staff_minato",
    "manager_minato",
    "admin_okanoue",
    "member_machikado",
    "token_okanoue",
    "token_machikado",
    "participant_sora",
    "participant_umi",
    "anonymous",
]


@pytest.mark.parametrize("name", PERSONAS)
def test_no_persona_reads_or_writes_what_is_not_theirs(world, db, name):
    persona = world.personas[name]
    before = fingerprint()
    problems, requests = run_matrix(persona, all_patterns())
    assert requests > 50
    assert not problems, "\n".join(problems)
    after = fingerprint()
    assert [row for row in after[0] if row not in before[0]] == []
    assert after[1] == before[1]


def test_every_persona_of_the_world_is_in_the_matrix(world):
    assert set(PERSONAS) == set(world.personas)


def test_the_lists_name_only_urls_that_exist():
    names = {pattern.name for pattern in all_patterns()}
    assert not (fill.PUBLIC | set(fill.NOT_REQUESTED)) - names


def test_every_url_pattern_can_be_filled(world, db):
    """Every pattern: its arguments are in fill.py, and some persona gets a case for it."""
    unfillable, uncovered = [], []
    for pattern in all_patterns():
        if pattern.name in fill.NOT_REQUESTED:
            continue
        try:
            cases = [case for p in world.personas.values() for case in cases_for(pattern, p)]
            names_an_object = any(
                a not in fill.SLUGS and a not in fill.OTHER and a != "app_label"
                for a in pattern.arguments
            )
            if not cases or (names_an_object and not any(case.hidden for case in cases)):
                uncovered.append(pattern.name)
        except Unfillable as error:
            unfillable.append(str(error))
    assert not unfillable, "\n".join(unfillable)
    assert not uncovered, "no persona has a case for: " + ", ".join(uncovered)
