"""Production mode fails closed: `check --deploy` is clean, and a missing or weak key or an insecure
setting stops start-up naming it. The embedded default (nothing set) still starts as it is.

Each test runs manage.py in a subprocess so the settings module is imported afresh
from the environment given, as it is on a server.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# Variables that would change what production settings mean; each test sets its own.
PRODUCTION_KNOBS = [
    "DATABASE_URL",
    "DJANGO_ENV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "ALLOW_INSECURE_SETTINGS",
    "CACHE_URL",
    "NUM_PROXIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "DJANGO_SETTINGS_MODULE",
]
STRONG_KEY = secrets.token_urlsafe(64)
# Production needs a shared cache (throttles and lockouts across workers); `check` does not connect to it.
PRODUCTION = {"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "tracker.example.org"}
SHARED_CACHE = {"CACHE_URL": "rediscache://127.0.0.1:6379/12"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION_KNOBS}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "corfu_tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", "--fail-level", "WARNING", **env)


def refused_naming(result: subprocess.CompletedProcess, name: str) -> bool:
    return result.returncode != 0 and "ImproperlyConfigured" in result.stderr and name in result.stderr


@pytest.mark.parametrize("mode", [{"DJANGO_ENV": "production"}, {"DEBUG": "false"}], ids=["DJANGO_ENV", "DEBUG"])
def test_check_deploy_reports_nothing_in_production_mode(mode):
    assert len(STRONG_KEY) >= 50

    env = {key: value for key, value in {**PRODUCTION, **SHARED_CACHE}.items() if key != "DJANGO_ENV"}

    result = deploy_check(**env, **mode)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "(security." not in output, output


def test_production_without_a_secret_key_refuses_to_start_naming_it():
    result = manage("check", **{**PRODUCTION, **SHARED_CACHE, "SECRET_KEY": ""})

    assert refused_naming(result, "SECRET_KEY"), result.stderr[-500:]


@pytest.mark.parametrize(
    "key",
    [
        "too-short-but-random-Qx7",
        "a" * 60,
        "abcd" * 20,
        "django-insecure-dev-only-key-never-use-in-production",
        "django-insecure-" + secrets.token_urlsafe(50),
    ],
    ids=["short", "one-char", "four-chars", "dev-default", "django-insecure"],
)
def test_production_with_a_weak_secret_key_refuses_to_start_naming_it(key):
    result = deploy_check(**{**PRODUCTION, **SHARED_CACHE, "SECRET_KEY": key})

    assert refused_naming(result, "SECRET_KEY"), result.stderr[-500:]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_SSL_REDIRECT", "false"),
        ("SESSION_COOKIE_SECURE", "false"),
        ("CSRF_COOKIE_SECURE", "false"),
        ("SECURE_HSTS_SECONDS", "0"),
    ],
)
def test_an_insecure_override_in_production_refuses_to_start_naming_the_setting(name, value):
    result = manage("check", **{**PRODUCTION, **SHARED_CACHE, name: value})

    assert refused_naming(result, name), result.stderr[-500:]


def test_an_allowed_insecure_override_starts_and_check_deploy_flags_it():
    env = {
        **PRODUCTION,
        **SHARED_CACHE,
        "SESSION_COOKIE_SECURE": "false",
        "ALLOW_INSECURE_SETTINGS": "SESSION_COOKIE_SECURE",
    }

    assert manage("check", **env).returncode == 0
    flagged = deploy_check(**env)
    assert flagged.returncode != 0
    assert "security.W012" in flagged.stdout + flagged.stderr


def test_debug_on_with_django_env_production_refuses_to_start():
    result = manage("check", **{**PRODUCTION, **SHARED_CACHE, "DEBUG": "true"})

    assert refused_naming(result, "DEBUG")


def test_the_embedded_default_starts_with_nothing_set():
    result = manage("check")

    assert result.returncode == 0, result.stderr[-500:]


@pytest.mark.parametrize("cache_url", [None, "locmemcache://", "dummycache://"], ids=["unset", "locmem", "dummy"])
def test_production_with_an_in_memory_cache_refuses_to_start_naming_cache_url(cache_url):
    env = {**PRODUCTION, **({"CACHE_URL": cache_url} if cache_url else {})}

    assert refused_naming(manage("check", **env), "CACHE_URL")
