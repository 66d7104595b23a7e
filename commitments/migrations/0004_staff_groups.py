from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_CATALOGUE = [
    ("states", "view_state"),
    ("states", "view_stategroup"),
    ("states", "view_membership"),
    ("commitments", "view_dimension"),
    ("commitments", "view_theme"),
    ("commitments", "view_sourcedocument"),
    ("commitments", "view_commitment"),
]
ENTER_REPORTS = [
    ("commitments", "view_report"),
    ("commitments", "add_report"),
    ("commitments", "change_report"),
]
EDIT_CATALOGUE = [
    (app, f"{verb}_{model}")
    for app, model in [
        ("commitments", "dimension"),
        ("commitments", "theme"),
        ("commitments", "sourcedocument"),
        ("commitments", "commitment"),
        ("states", "state"),
        ("states", "stategroup"),
        ("states", "membership"),
    ]
    for verb in ("add", "change")
]

GROUPS = {
    "Reporters": READ_CATALOGUE + ENTER_REPORTS,
    "Reviewers": READ_CATALOGUE + ENTER_REPORTS + [("commitments", "review_report")],
    "Catalogue editors": READ_CATALOGUE + EDIT_CATALOGUE,
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0003_report_historicalreport_and_more"),
        ("states", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
