"""The staff groups and their permissions. Used by a data migration and `manage.py sync_staff_groups`.

Apps built on this one add permissions of their own models to these groups with a
`staff_group_permissions` attribute on their app config (group name -> [(app_label, codename)]);
this app never imports them by name.
"""

READ_CATALOGUE = [
    ("states", "view_state"),
    ("states", "view_stategroup"),
    ("states", "view_membership"),
    ("commitments", "view_dimension"),
    ("commitments", "view_theme"),
    ("commitments", "view_sourcedocument"),
    ("commitments", "view_commitment"),
    ("commitments", "view_commitmentrelation"),
]
ENTER_REPORTS = [
    ("commitments", "view_report"),
    ("commitments", "add_report"),
    ("commitments", "change_report"),
    ("commitments", "view_importjob"),
]
# Reviewers verify, reject and retract (retracting needs change_report); they do not enter or submit
# reports. Someone who does both is in both groups; four eyes still keeps them off their own reports.
REVIEW_REPORTS = [
    ("commitments", "view_report"),
    ("commitments", "change_report"),
    ("commitments", "review_report"),
]
EDIT_CATALOGUE = [
    (app, f"{verb}_{model}")
    for app, model in [
        ("commitments", "dimension"),
        ("commitments", "theme"),
        ("commitments", "sourcedocument"),
        ("commitments", "commitment"),
        ("commitments", "commitmentrelation"),
        ("states", "state"),
        ("states", "stategroup"),
        ("states", "membership"),
    ]
    for verb in ("add", "change")
]

STAFF_GROUPS = {
    "Reporters": READ_CATALOGUE + ENTER_REPORTS,
    "Reviewers": READ_CATALOGUE + REVIEW_REPORTS,
    "Catalogue editors": READ_CATALOGUE + EDIT_CATALOGUE,
}


def all_staff_groups() -> dict[str, list[tuple[str, str]]]:
    """STAFF_GROUPS plus what each installed app adds (an app config's `staff_group_permissions`).

    Apps above commitments (recommendations, ...) declare their permissions there, so this module
    never imports them.
    """
    from django.apps import apps

    groups = {name: list(codenames) for name, codenames in STAFF_GROUPS.items()}
    for config in apps.get_app_configs():
        for name, codenames in getattr(config, "staff_group_permissions", {}).items():
            groups[name] += [pair for pair in codenames if pair not in groups[name]]
    return groups


def sync_staff_groups(*, group_model, permission_model, groups: dict | None = None) -> None:
    """Create the groups if missing and give each exactly its permissions (`all_staff_groups()` unless given).

    A permission whose model does not exist yet is skipped: an early data migration (0004) runs this
    with today's list, and the migration that adds the model syncs again (0007 for import jobs,
    recommendations 0002 for recommendations), so a later sync never drops another app's permissions.
    """
    for name, codenames in (groups or all_staff_groups()).items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = set(codenames)
        group.permissions.set(
            [
                permission
                for permission in permission_model.objects.filter(
                    content_type__app_label__in={app_label for app_label, _ in codenames},
                    codename__in={codename for _, codename in codenames},
                ).select_related("content_type")
                if (permission.content_type.app_label, permission.codename) in wanted
            ]
        )
