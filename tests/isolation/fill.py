"""How the isolation matrix fills each URL: the reviewed table.

Every URL pattern the resolver knows is requested by every persona (tests/isolation/
test_matrix.py). A pattern's keyword arguments are filled here, never per URL, so a new URL is
covered the moment it is added. The rules:

- A slug (`workshop_slug`, `company_slug`) is filled with the persona's own tenant where the
  URL also names an object (the object must still be refused), or with another tenant.
- An object's number (`pk`, `order_pk`, `goal_pk`, …) is looked up in OBJECTS by the path
  segment in front of it and the argument's name: `orders/<int:pk>/` is an Order,
  `goals/<int:goal_pk>/` a Goal. The object chosen is one the persona may NOT see: the model's
  own `visible_to(user)` (tested on its own in tests/workshop/test_tenancy.py) decides, or, for
  a model without one, its parent's (`parent`).
- The most specific object of a URL (the last argument) is chosen first; the arguments before
  it are its parents (`parents`), so `orders/<pk>/deliveries/<number>/` names a delivery of its
  own order.
- Arguments that are no tenant's object (an invitation token, a table name) are in OTHER.
- A URL whose argument is in none of these fails tests/isolation/test_matrix.py with the name
  of what is missing: add a row here (reviewed), never a skip.

Public URLs (an anonymous visitor may open them) are listed in PUBLIC, by URL name.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Fill:
    """One kind of object in a URL: its model (app_label.Model), the path from it to a parent
    model with `visible_to` when it has none itself, and how the URL's other arguments are
    read from it (argument name -> attribute)."""

    model: str
    parent: str = ""
    parents: dict[str, str] = field(default_factory=dict)
    value: str = "pk"  # the attribute the URL carries

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def visible_to(self, user) -> QuerySet:
        """The rows this person may see."""
        queryset = self.model_class._default_manager.all()
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(user)
        parent_model = self.model_class._meta.get_field(self.parent).related_model
        visible = parent_model._default_manager.all().visible_to(user).values("pk")
        return queryset.filter(**{f"{self.parent}__in": visible})

    def hidden_from(self, user) -> QuerySet:
        """The rows this person may not see."""
        queryset = self.model_class._default_manager.all()
        return queryset.exclude(pk__in=self.visible_to(user).values("pk"))


ORDER = Fill("jobs.Order")
OF_ORDER = {"pk": "order_id", "order_pk": "order_id"}

# (the path segment before the argument, the argument's name) -> what it names
OBJECTS: dict[tuple[str, str], Fill] = {
    # orders and their parts
    ("orders", "pk"): ORDER,
    ("orders", "order_pk"): ORDER,
    ("for-order", "order_pk"): ORDER,
    ("files", "file_pk"): Fill("jobs.OrderFile", parents=OF_ORDER),
    ("proposals", "proposal_pk"): Fill("jobs.ChangeProposal", "order", parents=OF_ORDER),
    ("deliveries", "number"): Fill("jobs.Delivery", parents=OF_ORDER, value="number"),
    # work
    ("units", "pk"): Fill("jobs.WorkUnit"),
    # A digital unit's item, under its unit (/units/<pk>/items/<item_pk>/): issue 9.
    ("items", "item_pk"): Fill("jobs.Item", parents={"pk": "unit_id"}),
    # An image item's picture for staff checking it (/w/<ws>/checking/items/<pk>/image/).
    ("items", "pk"): Fill("jobs.Item"),
    ("review", "pk"): Fill("jobs.WorkUnit"),
    ("disagreements", "pk"): Fill("jobs.Item"),
    ("suggestions", "pk"): Fill("jobs.Suggestion"),
    ("logs", "pk"): Fill("jobs.ProgressLog"),
    ("skills", "pk"): Fill("jobs.SkillTraining"),
    ("phrases", "pk"): Fill("jobs.RedoPhrase"),
    ("split-jobs", "pk"): Fill("jobs.SplitJob"),
    ("check-ins", "pk"): Fill("participants.Attendance"),
    # people and their support records
    ("participants", "pk"): Fill("participants.Participant"),
    ("people", "pk"): Fill("participants.Participant"),
    ("people", "participant_pk"): Fill("participants.Participant"),
    ("goals", "goal_pk"): Fill("participants.Goal", parents={"pk": "participant_id"}),
    ("notes", "note_pk"): Fill("participants.SupportNote", parents={"pk": "participant_id"}),
    ("account-requests", "pk"): Fill("companies.AccountRequest"),
    ("home-work", "pk"): Fill("participants.Participant"),
    ("unsent", "pk"): Fill("participants.UnsentRecord"),
    # companies
    ("api-tokens", "pk"): Fill("companies.ApiToken"),
    ("openings", "pk"): Fill("companies.Opening"),
    ("proposals", "pk"): Fill("companies.OpeningProposal"),
    # money
    ("statements", "pk"): Fill("participants.WageStatement"),
    ("deductions", "deduction_pk"): Fill(
        "participants.WageDeduction", "statement", parents={"pk": "statement_id"}
    ),
    ("runs", "pk"): Fill("participants.WageRun"),
    ("invoices", "pk"): Fill("jobs.Invoice"),
    ("lines", "line_pk"): Fill("jobs.InvoiceLine", "invoice", parents={"pk": "invoice_id"}),
    ("costs", "pk"): Fill("jobs.ProductionCost"),
    # the network: introductions (つなぐ), on the workshop's and the coordinator's side
    ("introductions", "pk"): Fill("network.Introduction"),
    # digital work (issue 9): a digital order's pages, its form's versions and its imports
    ("digital", "order_pk"): ORDER,
    ("form-proposals", "pk"): Fill("jobs.AnswerForm", parents=OF_ORDER),
    ("answer-forms", "version"): Fill("jobs.AnswerForm", parents=OF_ORDER, value="version"),
    ("item-imports", "import_pk"): Fill("jobs.ItemImport", parents=OF_ORDER),
    # the joint order desk: the company's and the coordinator's joint order, a workshop's share
    ("network-orders", "pk"): Fill("network.JointOrder"),
    ("desk", "pk"): Fill("network.JointOrder"),
    ("shares", "pk"): Fill("network.Share"),
}

# Arguments that name no tenant's object: a fixed value that reaches the view.
OTHER: dict[str, str] = {
    "token": "not-a-real-invitation-token",  # participants:invite*, public, 404 for a stranger
    "key": "not-a-real-key",  # allauth e-mail confirmation and password reset, public
    "uidb36": "1",
    "table": "stages",  # picture:export, one of the tables of participants/picture_views.py
    "day": "2026-04-01",  # a day of the home-work pages, of the person in the URL
    "week": "2026-03-30",
    "client_uuid": "00000000-0000-0000-0000-000000000000",  # a phone's kept record: own only
}

# The admin names its model in the URL (admin/<app_label>/<model_name>/<object_id>/…); a model
# without `visible_to` is reached through a parent that has one, or "*" when it belongs to no
# tenant (only an operator may open it).
ADMIN_PARENTS: dict[str, str] = {
    "jobs.ChangeProposal": "order",
    "account.EmailAddress": "user",
    "mfa.Authenticator": "user",
    "auth.Group": "*",
    "network.Network": "*",
    "network.PublicBuyer": "*",
    "django_tasks_database.DBTaskResult": "*",
}
ADMIN_OTHER: dict[str, str] = {"app_label": "jobs"}

# Slugs of a tenant. `network_slug` is the demo's network (ひだまり and みなと), which no persona
# coordinates: every persona, its workshops' staff included, is refused its pages.
SLUGS = {"workshop_slug", "company_slug", "network_slug"}

# URL names an anonymous visitor may open (200). Everything else sends them to the login page
# or answers 401/403/404/405. A name here that the resolver no longer knows fails the matrix.
PUBLIC = {
    "root",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_inactive",
    "account_logout",
    "mfa_authenticate",
    "mfa_login_webauthn",
    "set_language",
    "companies:request_account",
    "companies:submit_account_request",
    "companies:request_sent",
    "participants:invite",
    "participants:invite_accept_with_email",
    "participants:invite_accept_on_this_phone",
    "phone:offline",
    "phone:service_worker",
    "api-schema",
    "api-docs",
    "admin:login",
    "admin:logout",
}

# URLs the matrix does not request, with the reason. Keep this short.
NOT_REQUESTED = {
    # allauth's second-factor pages act on the signed-in person's own authenticators only
    # (request.user's); there is no other tenant's object in them.
    "mfa_remove_webauthn": "acts on request.user's own keys only",
    "mfa_edit_webauthn": "acts on request.user's own keys only",
    # Django's own admin shortcut and catch-all: redirects and 404s, no object of their own.
    "admin:view_on_site": "Django's redirect to an object's own page, checked there",
}
