"""Token authentication with an expiry. Kept apart from the views: DRF imports it while loading its settings."""

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_is_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is older than API_TOKEN_TTL_DAYS.

    Revoking a token is deleting it (admin, "Auth Token" > "Tokens"): the key is then unknown.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                f"Token expired on {token_expires_at(token):%Y-%m-%d}: get a new one from /api/v1/auth/token/."
            )
        return user, token
