import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_cache(settings, tmp_path_factory):
    # Export jobs write their files to a temporary directory, never to the checkout's var/.
    settings.EXPORTS_DIR = tmp_path_factory.mktemp("exports")
    # Real hashers cost ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()


@pytest.fixture
def reference_data(db):
    """The real reference data: 57 States, groups, dimensions, themes, documents, commitments."""
    call_command("load_reference", verbosity=0)


# Personas reused by permission tests.
@pytest.fixture
def reporter(db):
    return UserFactory(username="rita-reporter", groups=["Reporters"])


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="otto-reporter", groups=["Reporters"])


@pytest.fixture
def reviewer(db):
    # A reviewer who also enters reports (in both groups), as the four-eyes tests need; `pure_reviewer` only reviews.
    return UserFactory(username="vera-reviewer", groups=["Reporters", "Reviewers"])


@pytest.fixture
def pure_reviewer(db):
    return UserFactory(username="pia-reviewer", groups=["Reviewers"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="walt-reviewer", groups=["Reviewers"])


@pytest.fixture
def catalogue_editor(db):
    return UserFactory(username="cora-editor", groups=["Catalogue editors"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada-admin", is_superuser=True)
