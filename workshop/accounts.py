"""How django-allauth fits Engawa: nobody signs up on their own. Participants are invited by
staff; companies ask for an account, which a workshop manager approves. Also the one place
that creates user accounts for those two paths."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from workshop.mail import SUBJECT_PREFIX, enqueue_email
from workshop.models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def logout(self, request: HttpRequest) -> None:
        """Logging out empties the session, but the role used last is kept, so that the next
        login on this device lands where the person was (see workshop.roles.remember_role).
        Roles are checked again at login: a key that is not one of the new user's is ignored."""
        role = request.session.get("role")
        super().logout(request)
        if role:
            request.session["role"] = role

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        # "Signed in as user-3f2a…" would show an internal name (or a private e-mail address)
        # to a participant; landing on their own home says enough.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def format_email_subject(self, subject: str) -> str:
        # allauth would prefix the host name, which means nothing to a participant.
        return SUBJECT_PREFIX + str(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render as allauth does (in the language of the request), then hand the mail to the
        e-mail task instead of sending it inside the request."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = None
        body = message.body
        for alternative in getattr(message, "alternatives", []):
            content, mimetype = alternative[0], alternative[1]
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":
            html, body = body, ""
        enqueue_email(subject=message.subject, body=body, to=list(message.to), html=html)


def email_in_use(email: str, *, except_user: User | None = None) -> bool:
    """E-mail addresses are unique regardless of case (see the constraint on User)."""
    users = get_user_model().objects.filter(email__iexact=email)
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return users.exists() or (
        EmailAddress.objects.filter(email__iexact=email).exclude(user=except_user).exists()
    )


def create_account(
    *, kind: str, email: str = "", password: str | None = None, display_name: str = ""
) -> User:
    """A new account for an invited participant or an approved company contact. Without a
    password the account has an unusable one: the person signs in by link, code or reset."""
    email = email.strip().lower()
    user = get_user_model()(
        username=f"{kind}-{secrets.token_hex(6)}", email=email, display_name=display_name
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if email:
        set_primary_email(user=user, email=email)
    return user


def set_primary_email(*, user: User, email: str) -> None:
    """Keep allauth's address book in step with User.email, so that login by code, password
    reset and the e-mail settings page all find the address."""
    email = email.strip().lower()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
    address, created = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": False}
    )
    if not created and not address.primary:
        address.primary = True
        address.save(update_fields=["primary"])
