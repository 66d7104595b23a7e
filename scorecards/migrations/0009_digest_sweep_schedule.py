"""Schedule the sweep of expired digest claims (UTC, editable in the admin)."""

from django.db import migrations

from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Resend expired digest claims",
        task="scorecards.tasks.sweep_digest_deliveries",
        crontab="*/5 * * * *",
        description="Every 5 minutes: resend digests whose claim outlived DIGEST_SENDING_LEASE, with the same "
        "Message-ID, up to DIGEST_SEND_MAX_ATTEMPTS attempts; then email staff instead.",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0008_digest_delivery_message_id_and_escalation")]

    operations = [
        migrations.RunPython(lambda apps, _: install(apps, SCHEDULES), lambda apps, _: uninstall(apps, SCHEDULES))
    ]
