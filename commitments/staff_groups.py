"""The staff groups and their permissions. Used by a data migration and `manage.py sync_staff_groups`.

Apps built on this one add permissions of their own models to these groups by defining
`STAFF_GROUP_PERMISSIONS` (group name -> [(app_label, codename)]) in their own
`staff_groups` module; this app never imports them by name.
"""

from importlib import import_module

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
    "Reviewers": READ_CATALOGUE + ENTER_REPORTS + [("commitments", "review_report")],
    "Catalogue editors": READ_CATALOGUE + EDIT_CATALOGUE,
}


def staff_group_permissions(*, app_configs=()) -> dict[str, list[tuple[str, str]]]:
    """STAFF_GROUPS plus what the given apps add in their `staff_groups.STAFF_GROUP_PERMISSIONS`."""
    groups = {name: list(codenames) for name, codenames in STAFF_GROUPS.items()}
    for app_config in app_configs:
        try:
            module = import_module(f"{app_config.name}.staff_groups")
        except ModuleNotFoundError:
            continue
        for name, codenames in getattr(module, "STAFF_GROUP_PERMISSIONS", {}).items():
            groups[name] += [codename for codename in codenames if codename not in groups[name]]
    return groups


def sync_staff_groups(*, group_model, permission_model, groups=None) -> None:
    """Create the groups if missing and give each exactly its permissions (STAFF_GROUPS unless given).

    A permission whose model does not exist yet is skipped: an early data migration (0004) runs this
    with today's list, and the migration that adds the model syncs again (0006 for import jobs).
    """
    for name, codenames in (groups or STAFF_GROUPS).items():
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
