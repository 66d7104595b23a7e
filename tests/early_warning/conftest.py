"""Shared fixtures: a State x dimension series to fill with verified violation reports, relative to today."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from early_warning.staff_group import sync_early_warning_group
from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory, UserFactory


@pytest.fixture
def early_warning_group(db):
    # A transactional test flushes the tables, and with them the group of the data migration.
    return sync_early_warning_group(group_model=Group, permission_model=Permission)


@pytest.fixture
def watcher(early_warning_group):
    user = UserFactory(username="wanda-watcher", email="wanda@osce.example")
    user.groups.add(early_warning_group)
    return user


@pytest.fixture
def series(db):
    """`series.add(days_ago, severity, n=1)` adds verified violation reports on AT x human."""

    class Series:
        state = StateFactory(code="AT")
        dimension = DimensionFactory(slug="human")
        commitment = CommitmentFactory(code="TEST-HUMAN-1", dimension=dimension)
        today = timezone.localdate()

        def add(self, days_ago: int, severity: str = "serious", n: int = 1, commitment=None):
            return [
                ReportFactory(
                    state=self.state,
                    commitment=commitment or self.commitment,
                    verified=True,
                    violation=True,
                    severity=severity,
                    observed_on=self.today - datetime.timedelta(days=days_ago),
                )
                for _ in range(n)
            ]

        def steady(self, *, weeks: int = 55, per_week: int = 1, severity: str = "serious"):
            for week in range(weeks):
                self.add(7 * week + 3, severity, n=per_week)

    return Series()
