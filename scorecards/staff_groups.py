"""What the staff groups (defined in commitments.staff_groups) may do with scorecards: read them."""

READ_SCORECARDS = [
    ("scorecards", "view_period"),
    ("scorecards", "view_scorecard"),
    ("scorecards", "view_groupscorecard"),
]

STAFF_GROUP_PERMISSIONS = {
    "Reporters": READ_SCORECARDS,
    "Reviewers": READ_SCORECARDS,
    "Catalogue editors": READ_SCORECARDS,
}
