"""Create synthetic demo recommendations with verified assessments, marked as synthetic.

    manage.py seed_demo_recommendations --recommendations 500 [--seed 42] [--if-fewer]

Each recommendation is `is_synthetic`, its code starts with DEMO- and its text with "SYNTHETIC DEMO
DATA"; each assessment has the source `synthetic_demo`. Recommendation i is about the i-th State in code
order (round robin), from an institution, serving one or two human-dimension commitments in force on its
source date; it gets 0 to 3 verified assessments dated after it and not in the future (submitted by
demo-reporter, verified by demo-reviewer: four eyes). Deterministic for a given seed; a run continues
after the synthetic recommendations already there, so reruns never duplicate. One transaction.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commitments.models import Commitment
from states.models import State

from ...models import AssessingSource, Assessment, AssessmentStatus, Institution, Rating, Recommendation
from ...services import recommendation_status_refresh

TEXT_PREFIX = "SYNTHETIC DEMO DATA – not a real recommendation."
RATINGS = [Rating.NOT_IMPLEMENTED, Rating.PARTIALLY, Rating.MOSTLY, Rating.FULLY, Rating.NO_LONGER_APPLICABLE]
ADDRESSEES = ["parliament", "government", "election_administration", "judiciary", "authorities"]
EARLIEST = datetime.date(2010, 1, 1)


class Command(BaseCommand):
    help = "Create synthetic demo recommendations and verified assessments (marked as synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, required=True)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--if-fewer", action="store_true", help="Top up to --recommendations, never beyond.")

    def handle(self, *args, recommendations, seed, if_fewer, **options):
        if recommendations < 0:
            raise CommandError("--recommendations must be zero or more.")
        today = timezone.localdate()
        states = list(State.objects.order_by("code"))
        institutions = list(Institution.objects.order_by("slug"))
        commitments = list(Commitment.objects.filter(dimension__slug="human").order_by("code"))
        if not (states and institutions and commitments):
            raise CommandError("Load the reference data first: manage.py load_reference.")
        users = get_user_model().objects
        reporter, _ = users.get_or_create(username="demo-reporter", defaults={"is_staff": True})
        reviewer, _ = users.get_or_create(username="demo-reviewer", defaults={"is_staff": True})
        with transaction.atomic():
            existing = Recommendation.objects.filter(is_synthetic=True).count()
            wanted = max(0, recommendations - existing) if if_fewer else recommendations
            span = (today - EARLIEST).days
            created = []
            assessments = []
            for index in range(existing, existing + wanted):
                rng = random.Random(f"{seed}:{index}")
                state = states[index % len(states)]
                issued = max(EARLIEST + datetime.timedelta(days=rng.randrange(span)), state.admitted_on)
                serving = [c for c in rng.sample(commitments, 2) if c.is_in_force_on(issued)] or [commitments[0]]
                recommendation = Recommendation(
                    code=f"DEMO-{index + 1:06d}",
                    state=state,
                    institution=institutions[index % len(institutions)],
                    source_title="Synthetic demo source (not a real report)",
                    source_date=issued,
                    source_url="https://example.org/synthetic-demo",
                    number=str(index % 40 + 1),
                    text=f"{TEXT_PREFIX} Recommendation {index + 1} for {state.name}.",
                    priority=rng.random() < 0.2,
                    addressee=rng.choice(ADDRESSEES),
                    is_synthetic=True,
                )
                recommendation._history_user = reporter
                recommendation.save()
                recommendation.commitments.set(serving)
                created.append(recommendation)
                day = issued
                for _ in range(rng.randrange(4)):
                    day = day + datetime.timedelta(days=rng.randrange(180, 900))
                    if day > today:
                        break
                    assessments.append(
                        Assessment(
                            recommendation=recommendation,
                            rating=rng.choice(RATINGS),
                            assessed_on=day,
                            source=AssessingSource.SYNTHETIC_DEMO,
                            summary="SYNTHETIC DEMO DATA – not a real assessment.",
                            status=AssessmentStatus.VERIFIED,
                            created_by=reporter,
                            submitted_by=reporter,
                            submitted_at=timezone.now(),
                            reviewed_by=reviewer,
                            reviewed_at=timezone.now(),
                        )
                    )
            bulk_create_with_history(assessments, Assessment, batch_size=1000, default_user=reporter)
            recommendation_status_refresh(recommendation_ids=[recommendation.pk for recommendation in created])
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(created)} synthetic recommendations and {len(assessments)} verified assessments "
                f"({existing + len(created)} synthetic recommendations in total)."
            )
        )
