"""Refuse logins for a while after repeated failures, for the admin and the API token endpoint alike.

Failures are counted in the cache per (user name, client address), and per user name
across all addresses. A pair over LOGIN_FAILURE_LIMIT is locked out: that address can
no longer try that account, while other people behind the same address (an office,
a proxy) log in as usual. An account over LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures
from all addresses together is locked out everywhere, which bounds guessing from
many addresses; keep that cap well above the pair limit. The client address honours
NUM_PROXIES (corfu_tracker.client_ip). A locked-out login is refused even with the
right password. Why not django-axes: its backend refuses `authenticate()` calls made
without a request, which Django's test client and management code make.
The counts live in the cache: production mode requires a shared one (CACHE_URL).
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from .client_ip import client_address

LOCKOUT_MESSAGE = "Too many failed login attempts. Try again in {minutes} minutes."


def _client_address(request) -> str:
    return client_address(request) if request is not None else "no-request"


def _keys(request, username: str | None) -> tuple[str, str]:
    # Hashed: user names are arbitrary text, cache keys must be short and plain.
    account = hashlib.sha256((username or "").lower().encode()).hexdigest()[:32]
    pair = hashlib.sha256(f"{account}\0{_client_address(request)}".encode()).hexdigest()[:32]
    return f"login-failures:pair:{pair}", f"login-failures:account:{account}"


def is_locked_out(request, username: str | None) -> bool:
    pair_key, account_key = _keys(request, username)
    counts = cache.get_many([pair_key, account_key])
    return (
        counts.get(pair_key, 0) >= settings.LOGIN_FAILURE_LIMIT
        or counts.get(account_key, 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
    )


def _increment(key: str) -> None:
    if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


@receiver(user_login_failed, dispatch_uid="login_throttle_record_failure")
def record_failure(sender, credentials, request=None, **kwargs):
    for key in _keys(request, credentials.get("username")):
        _increment(key)


@receiver(user_logged_in, dispatch_uid="login_throttle_forget_failures")
def forget_failures(sender, request, user, **kwargs):
    cache.delete(_keys(request, user.get_username())[0])


class LoginThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: stops the chain while a login is locked out.

    Deliberately not a BaseBackend: with no `get_user`, it is never recorded as the
    backend of a session (sessions always name ModelBackend).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if is_locked_out(request, username):
            raise PermissionDenied(lockout_message())
        return None


def lockout_message() -> str:
    return LOCKOUT_MESSAGE.format(minutes=max(1, settings.LOGIN_LOCKOUT_SECONDS // 60))


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        if is_locked_out(self.request, self.cleaned_data.get("username")):
            raise forms.ValidationError(lockout_message(), code="locked_out")
        return super().clean()
