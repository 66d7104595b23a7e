"""Create synthetic, verified demo reports (and their history rows), fast.

    manage.py seed_demo --reports 1000000 [--seed 42] [--start 2000-01-01] [--if-fewer]

Every row is marked as synthetic (source ``synthetic_demo``, summary starting
"SYNTHETIC DEMO DATA", a source link of its own on example.org, so no two rows are
duplicates) and keeps every rule of the Report model: the State
participates and the commitment is in force on ``observed_on``, which is not in
the future; implementation reports have a level, violation reports a severity;
the report is verified by someone other than its submitter.

Rows form one deterministic stream for a given ``--seed`` and catalogue: row i
is about the i-th State in code order (round robin) and a commitment, date and
grade drawn from ``random.Random`` seeded with (seed, block of i). A run
continues the stream after the synthetic reports already in the database, so
``seed_demo --reports 1000`` twice gives the same rows as one
``seed_demo --reports 2000``, and ``--if-fewer`` tops up without duplicates.

On PostgreSQL rows are streamed with COPY (ids reserved from the table's
sequence, so history rows carry the same ids); elsewhere ``bulk_create`` and
``bulk_history_create`` in batches. Either way the whole run is one
transaction: all rows or none.
"""

import datetime
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from commitments.bulk import reports_bulk_write
from commitments.models import Commitment, Report, ReportKind, ReportSource, ReportStatus
from states.models import State

SUMMARY_PREFIX = "SYNTHETIC DEMO DATA – not a real report."
CHANGE_REASON = "synthetic demo seed"
REPORTER_USERNAME = "demo-reporter"
REVIEWER_USERNAME = "demo-reviewer"

IMPLEMENTATION_SHARE = 0.75
# Cumulative thresholds: full 50 %, partial 30 %, none 20 %; minor 60 %, serious 30 %, grave 10 %.
LEVELS = [(0.5, "full"), (0.8, "partial"), (1.0, "none")]
SEVERITIES = [(0.6, "minor"), (0.9, "serious"), (1.0, "grave")]

# Rows of the stream drawn from one seeded generator.
BLOCK = 10_000

# The columns that differ from row to row, in this order (the rest are constants).
VARYING = ["state_id", "commitment_id", "kind", "level", "severity", "observed_on", "summary", "source_url"]
# Each row's own link (example.org is reserved for examples): two draws of the same State, commitment, date and
# grade stay two reports, not duplicates of each other (docs/methodology.md, "The same report").
SOURCE_URL = "https://example.org/synthetic-demo/{seed}/{index}"


@dataclass(frozen=True)
class Window:
    commitment_id: int
    label: str
    first: int  # proleptic ordinal of the first possible observed_on
    span: int  # number of possible days


def _date_arg(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--start must be a date like 2000-01-01, not {value!r}.") from exc


def _pick(thresholds, r: float) -> str:
    for limit, value in thresholds:
        if r < limit:
            return value
    return thresholds[-1][1]


class Command(BaseCommand):
    help = "Create N synthetic verified demo reports across all States and commitments (marked as synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, required=True, help="How many reports to create.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--start",
            type=_date_arg,
            default=datetime.date(2000, 1, 1),
            help="Earliest observed_on (default 2000-01-01).",
        )
        parser.add_argument(
            "--if-fewer",
            action="store_true",
            help="Top up: only create reports while fewer than --reports synthetic reports exist.",
        )

    def handle(self, *args, reports, seed, start, if_fewer, **options):
        if reports < 0:
            raise CommandError("--reports must be zero or more.")
        started = time.monotonic()
        today = timezone.localdate()
        if start > today:
            raise CommandError(f"--start {start} is in the future.")

        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Serialise concurrent seeders so two `make demo` runs cannot both top up.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('corfu_tracker.seed_demo'))")
            existing = Report.objects.filter(source=ReportSource.SYNTHETIC_DEMO).count()
            wanted = max(0, reports - existing) if if_fewer else reports
            if wanted == 0:
                self.stdout.write(
                    f"{existing} synthetic reports already exist (wanted {reports}); wrote 0 rows "
                    f"in {time.monotonic() - started:.1f} s."
                )
                return

            states, windows = self._windows(start, today)
            reporter, reviewer = self._personas()
            now = timezone.now()
            constants = {
                "created_at": now,
                "updated_at": now,
                "source": ReportSource.SYNTHETIC_DEMO,
                "status": ReportStatus.VERIFIED,
                "ever_verified": True,
                "created_by_id": reporter.pk,
                "submitted_by_id": reporter.pk,
                "submitted_at": now,
                "reviewed_by_id": reviewer.pk,
                "reviewed_at": now,
            }
            rows = self._stream(seed=seed, offset=existing, count=wanted, states=states, windows=windows)
            written = reports_bulk_write(
                varying=VARYING,
                rows=rows,
                count=wanted,
                constants=constants,
                history_user=reporter,
                change_reason=CHANGE_REASON,
                now=now,
            )

        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {written} synthetic reports and {written} history rows in {elapsed:.1f} s "
                f"({existing + written} synthetic reports in total)."
            )
        )

    # --- what to generate -----------------------------------------------------------

    def _windows(self, start: datetime.date, today: datetime.date) -> tuple[list[State], dict[str, list[Window]]]:
        commitments = list(
            Commitment.objects.order_by("code").values_list("pk", "code", "in_force_from", "in_force_until")
        )
        states = list(State.objects.order_by("code"))
        if not commitments or not states:
            raise CommandError(
                "The catalogue is empty (no States or no commitments). Run `manage.py load_reference` first."
            )
        windows: dict[str, list[Window]] = {}
        for state in states:
            usable = []
            for pk, code, in_force_from, in_force_until in commitments:
                first = max(start, state.admitted_on, in_force_from)
                last = min(today, in_force_until or today)
                if first <= last:
                    usable.append(Window(pk, f"{code} in {state.name}", first.toordinal(), (last - first).days + 1))
            if usable:
                windows[state.code] = usable
        states = [state for state in states if state.code in windows]
        if not states:
            raise CommandError(
                f"No State participates while a commitment is in force between {start} and {today}; "
                "nothing to seed. Try an earlier --start."
            )
        return states, windows

    def _stream(
        self, *, seed: int, offset: int, count: int, states: list[State], windows: dict[str, list[Window]]
    ) -> Iterator[tuple]:
        """Rows offset .. offset+count-1 of the stream, as tuples in VARYING order."""
        n_states = len(states)
        per_state = [(state.code, windows[state.code]) for state in states]
        fromordinal = datetime.date.fromordinal
        implementation, violation = ReportKind.IMPLEMENTATION.value, ReportKind.VIOLATION.value
        index, end = offset, offset + count
        while index < end:
            block = index // BLOCK
            rng = random.Random(f"corfu-seed-demo:{seed}:{block}")
            block_end = min(end, (block + 1) * BLOCK)
            for i in range(block * BLOCK, block_end):
                code, usable = per_state[i % n_states]
                window = usable[int(rng.random() * len(usable))]
                observed_on = fromordinal(window.first + int(rng.random() * window.span))
                is_implementation = rng.random() < IMPLEMENTATION_SHARE
                grade = rng.random()
                if i < index:
                    continue  # before the offset: drawn only to keep the stream identical
                if is_implementation:
                    kind, level, severity = implementation, _pick(LEVELS, grade), ""
                    what = f"implementation ({level})"
                else:
                    kind, level, severity = violation, "", _pick(SEVERITIES, grade)
                    what = f"violation ({severity})"
                summary = f"{SUMMARY_PREFIX} Generated {what} of {window.label}, observed {observed_on.isoformat()}."
                link = SOURCE_URL.format(seed=seed, index=i)
                yield (code, window.commitment_id, kind, level, severity, observed_on, summary, link)
            index = block_end

    def _personas(self):
        User = get_user_model()
        users = []
        for username, group_name in [(REPORTER_USERNAME, "Reporters"), (REVIEWER_USERNAME, "Reviewers")]:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            elif not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
            users.append(user)
        return users
