"""Portal pages where a company's administrators make, name and revoke API tokens, under
/c/<company>/api-tokens/. Plain members (and everyone else) get 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from companies.models import ApiToken, Company
from companies.tokens import TokenError, create_token, revoke_token
from workshop.roles import is_company_admin

# The secret is kept in the session only between the POST that made it and the one page that
# shows it, so that a reload neither makes a second token nor shows the secret again.
SESSION_KEY = "api_token_secrets"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        help_text=gettext_lazy("What uses it, e.g. “order system” or “test server”."),
    )


def get_company_for_admin(user, slug: str) -> Company:
    """The company if the user is one of its administrators; 404 otherwise, never 403."""
    company = get_object_or_404(Company.objects.of_member(user), slug=slug)
    if not is_company_admin(user, company):
        raise Http404
    return company


def get_token_for(user, company: Company, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken.objects.visible_to(user), company=company, pk=pk)


def _tokens_page(
    request: HttpRequest, company: Company, form: TokenForm, status: int = 200
) -> HttpResponse:
    tokens = (
        ApiToken.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("created_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )
    context = {"company": company, "tokens": tokens, "form": form}
    return render(request, "companies/api_tokens.html", context, status=status)


@require_GET
@login_required
def token_list(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_admin(request.user, company_slug)
    return _tokens_page(request, company, TokenForm())


@require_POST
@login_required
def token_create(request: HttpRequest, company_slug: str) -> HttpResponse:
    company = get_company_for_admin(request.user, company_slug)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, company, form, status=400)
    try:
        token, secret = create_token(
            company=company, by=request.user, name=form.cleaned_data["name"]
        )
    except TokenError as error:
        form.add_error("name", error.message)
        return _tokens_page(request, company, form, status=400)
    secrets = request.session.get(SESSION_KEY, {})
    secrets[str(token.pk)] = secret
    request.session[SESSION_KEY] = secrets
    return redirect("api_tokens:created", company.slug, token.pk)


@require_GET
@login_required
@never_cache
def token_created(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    """Shows the new token's secret, once."""
    company = get_company_for_admin(request.user, company_slug)
    token = get_token_for(request.user, company, pk)
    secrets = request.session.get(SESSION_KEY, {})
    secret = secrets.pop(str(token.pk), None)
    request.session[SESSION_KEY] = secrets
    context = {"company": company, "token": token, "secret": secret}
    return render(request, "companies/api_token_created.html", context)


@require_GET
@login_required
def token_revoke_confirm(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_admin(request.user, company_slug)
    token = get_token_for(request.user, company, pk)
    context = {"company": company, "token": token}
    return render(request, "companies/api_token_revoke.html", context)


@require_POST
@login_required
def token_revoke(request: HttpRequest, company_slug: str, pk: int) -> HttpResponse:
    company = get_company_for_admin(request.user, company_slug)
    token = revoke_token(token=get_token_for(request.user, company, pk), by=request.user)
    messages.success(
        request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens:list", company.slug)
