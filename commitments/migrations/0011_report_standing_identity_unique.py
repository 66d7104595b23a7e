"""One standing report per identity (docs/methodology.md, "The same report").

Reports entered before the rule may repeat each other. Before the unique index is built, every group of
standing reports with the same identity keeps one report (the furthest along the workflow: verified, then
submitted, then draft; the oldest among equals) and the others are retracted, with a reason naming the one
kept and a history row, as a reviewer's retraction would record it. Nothing is deleted. The reverse step
drops the index and leaves the retractions in place (they are in the history).
"""

from django.db import migrations
from django.db.models import Count, Q
from django.utils import timezone

import commitments.models.reports

IDENTITY = ("state_id", "commitment_id", "kind", "level", "severity", "observed_on", "source_url")
STANDING = ("draft", "submitted", "verified")
KEEP_FIRST = {"verified": 0, "submitted": 1, "draft": 2}


def retract_duplicates(apps, schema_editor):
    Report = apps.get_model("commitments", "Report")
    HistoricalReport = apps.get_model("commitments", "HistoricalReport")
    standing = Report.objects.filter(status__in=STANDING)
    groups = standing.values(*IDENTITY).annotate(n=Count("id")).filter(n__gt=1).order_by()
    now = timezone.now()
    history_fields = [field.attname for field in Report._meta.concrete_fields]
    for group in groups.iterator():
        identity = {name: group[name] for name in IDENTITY}
        copies = sorted(standing.filter(**identity), key=lambda r: (KEEP_FIRST[r.status], r.pk))
        kept, extra = copies[0], copies[1:]
        for report in extra:
            report.status = "retracted"
            report.retracted_at = now
            report.updated_at = now
            report.retraction_reason = (
                f"Duplicate of report #{kept.pk}: retracted by migration commitments 0010, when identical "
                "standing reports came to be refused."
            )
            report.save(update_fields=["status", "retracted_at", "updated_at", "retraction_reason"])
            HistoricalReport.objects.create(
                **{name: getattr(report, name) for name in history_fields},
                history_date=now,
                history_type="~",
                history_change_reason="retract",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0010_reviewers_review_only"),
    ]

    operations = [
        migrations.RunPython(retract_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="report",
            constraint=commitments.models.reports.StandingReportUnique(
                condition=Q(("status__in", ("draft", "submitted", "verified"))),
                fields=("state", "commitment", "kind", "level", "severity", "observed_on", "source_url"),
                name="report_standing_identity_unique",
            ),
        ),
    ]
