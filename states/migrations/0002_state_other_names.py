from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("states", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="state",
            name="other_names",
            field=models.CharField(
                blank=True,
                help_text="Other names and codes people use, separated by semicolons (e.g. Turkey; UK; USA).",
                max_length=300,
            ),
        ),
    ]
