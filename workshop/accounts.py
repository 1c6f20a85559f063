"""How django-allauth fits Engawa: nobody signs up on their own. Participants are invited by
staff; companies ask for an account, which a workshop manager approves."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
