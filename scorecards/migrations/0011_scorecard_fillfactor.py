"""Leave room in each page of the scorecard table so a recompute's updates stay on their page.

A recompute updates every row of its periods in place (scorecards/services.py). With free space on
the page PostgreSQL writes the new version beside the old one and adds no index entry (a HOT update);
on full pages every update also writes the eight indexes. SQLite has no such setting.
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor, fillfactor=50):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE scorecards_scorecard SET (fillfactor = {int(fillfactor)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE scorecards_scorecard RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0010_subscription_alerts"),
    ]

    operations = [
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
