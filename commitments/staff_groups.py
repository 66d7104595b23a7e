"""The staff groups and their permissions. Used by a data migration and `manage.py sync_staff_groups`."""

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

STAFF_GROUPS = {
    "Reporters": READ_CATALOGUE + ENTER_REPORTS,
    "Reviewers": READ_CATALOGUE + ENTER_REPORTS + [("commitments", "review_report")],
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
    """Create the groups if missing and give each exactly its permissions (STAFF_GROUPS unless given)."""
    for name, codenames in (groups or STAFF_GROUPS).items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            [
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in codenames
            ]
        )
