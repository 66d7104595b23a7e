"""Merging the research staging files into the fixtures (commitments/catalogue_merge.py)."""

import copy
import json

import pytest
from django.core.management import call_command

from commitments.catalogue_merge import merge_staging

DIMENSIONS = [
    {"model": "commitments.dimension", "fields": {"slug": slug, "name": slug, "position": i}}
    for i, slug in enumerate(["politico-military", "economic-environmental", "human"])
]
THEMES = [
    {"model": "commitments.theme", "fields": {"slug": slug, "name": slug}}
    for slug in ["torture-prevention", "freedom-of-expression-and-media"]
]
COP = {
    "model": "commitments.sourcedocument",
    "fields": {
        "code": "COP-1990",
        "title": "Document of the Copenhagen Meeting",
        "symbol": "",
        "adopted_on": "1990-06-29",
        "place": "Copenhagen",
        "url": "",
        "text_source": "",
        "in_force_note": "",
        "has_numbered_paragraphs": True,
        "dimensions": [["human"]],
    },
}
COP_9_1 = {
    "model": "commitments.commitment",
    "fields": {
        "code": "COP-1990-9.1",
        "document": ["COP-1990"],
        "paragraph": "9.1",
        "title": "Freedom of expression",
        "summary": "Everyone may express opinions freely.",
        "dimension": ["human"],
        "themes": [],
        "weight": "1.00",
        "weight_reason": "",
        "non_derogable": False,
        "in_force_from": "1990-06-29",
        "in_force_until": None,
    },
}
STAGED_DOCUMENT = {
    "code": "MC-DEC-3-18",
    "title": "Ministerial Council Decision No. 3/18 on Safety of Journalists",
    "symbol": "MC.DEC/3/18",
    "adopted_on": "2018-12-07",
    "place": "Milan",
    "url": "https://www.osce.org/chairmanship/406538",
    "text_source": "https://example.org/mc-dec-3-18",
    "in_force_note": "",
    "dimensions": ["human"],
    "has_numbered_paragraphs": True,
}
STAGED_COMMITMENT = {
    "code": "MC-DEC-3-18-2",
    "paragraph": "2",
    "title": "Condemn attacks on journalists",
    "summary": "States condemn attacks on journalists publicly and without reserve.",
    "dimension": "human",
    "themes": ["freedom-of-expression-and-media"],
    "weight": "1.00",
    "weight_reason": "",
    "in_force_from": "2018-12-07",
    "in_force_until": None,
    "non_derogable": False,
    "relations": [{"kind": "elaborates", "target": "COP-1990-9.1"}],
    "checked_in": "https://example.org/mc-dec-3-18",
}


def write(path, data):
    path.write_text(json.dumps(data))


@pytest.fixture
def fixtures_dir(tmp_path):
    directory = tmp_path / "fixtures"
    directory.mkdir()
    write(directory / "dimensions.json", DIMENSIONS)
    write(directory / "themes.json", THEMES)
    write(directory / "documents.json", [COP])
    write(directory / "commitments.json", [COP_9_1])
    (directory / "catalogue_baseline_codes.txt").write_text("# baseline\nCOP-1990-9.1\n")
    return directory


@pytest.fixture
def staging_dir(tmp_path):
    directory = tmp_path / "staging"
    directory.mkdir()
    return directory


def stage(staging_dir, name="MC-DEC-3-18", document=None, commitments=None):
    write(
        staging_dir / f"{name}.json",
        {
            "document": document or STAGED_DOCUMENT,
            "commitments": [STAGED_COMMITMENT] if commitments is None else commitments,
        },
    )


def commitment(**changes):
    data = copy.deepcopy(STAGED_COMMITMENT)
    data.update(changes)
    return data


def fixture_codes(fixtures_dir, name="commitments.json"):
    return [row["fields"]["code"] for row in json.loads((fixtures_dir / name).read_text())]


def test_a_valid_file_adds_its_document_commitments_and_relations(fixtures_dir, staging_dir):
    stage(staging_dir)
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert result.problems == []
    assert fixture_codes(fixtures_dir, "documents.json") == ["COP-1990", "MC-DEC-3-18"]
    assert fixture_codes(fixtures_dir) == ["COP-1990-9.1", "MC-DEC-3-18-2"]
    relations = json.loads((fixtures_dir / "commitment_relations.json").read_text())
    assert relations == [
        {
            "model": "commitments.commitmentrelation",
            "fields": {"source": ["MC-DEC-3-18-2"], "kind": "elaborates", "target": ["COP-1990-9.1"]},
        }
    ]


def test_merging_twice_changes_nothing(fixtures_dir, staging_dir):
    stage(staging_dir)
    merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    first = {path.name: path.read_text() for path in fixtures_dir.iterdir()}
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert {path.name: path.read_text() for path in fixtures_dir.iterdir()} == first
    assert (result.commitments_added, result.commitments_updated, result.relations_added) == ([], [], [])


def test_a_dry_run_writes_nothing(fixtures_dir, staging_dir):
    stage(staging_dir)
    merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir, write=False)
    assert fixture_codes(fixtures_dir) == ["COP-1990-9.1"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"code": "MC-DEC-3-19-2"}, "document code"),
        ({"code": "MC-DEC-3-18-2 bis"}, "letters, digits"),
        ({"paragraph": "Operative part"}, "numbered paragraphs"),
        ({"themes": ["no-such-theme"]}, "unknown themes"),
        ({"dimension": "politico-military"}, "not one the document touches"),
        ({"weight": "2.00"}, "weight_reason"),
        ({"in_force_from": "2018-01-01"}, "before the document's adoption"),
        ({"in_force_until": "2018-12-01"}, "leaves force"),
        ({"summary": ""}, "summary is empty"),
    ],
)
def test_a_bad_commitment_is_refused_with_its_reason(fixtures_dir, staging_dir, changes, reason):
    stage(staging_dir, commitments=[commitment(**changes)])
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert len(result.problems) == 1 and reason in result.problems[0], result.problems
    assert "MC-DEC-3-18-2" not in fixture_codes(fixtures_dir)


def test_a_baseline_code_is_never_rewritten(fixtures_dir, staging_dir):
    cop = {"code": "COP-1990"}
    stage(staging_dir, name="COP-1990", document=cop, commitments=[commitment(code="COP-1990-9.1", paragraph="9.1")])
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert "codes never change meaning" in result.problems[0]
    row = json.loads((fixtures_dir / "commitments.json").read_text())[0]
    assert row == COP_9_1


def test_the_same_code_in_two_files_is_merged_once(fixtures_dir, staging_dir):
    stage(staging_dir, name="A")
    stage(staging_dir, name="B")
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert result.commitments_added == ["MC-DEC-3-18-2"]
    assert "given twice" in result.problems[0]


def test_an_unofficial_link_refuses_the_whole_file(fixtures_dir, staging_dir):
    stage(staging_dir, document={**STAGED_DOCUMENT, "url": "https://example.org/copy"})
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert "osce.org" in result.problems[0]
    assert fixture_codes(fixtures_dir, "documents.json") == ["COP-1990"]


def test_a_relation_to_an_unknown_commitment_is_dropped_but_the_commitment_kept(fixtures_dir, staging_dir):
    stage(staging_dir, commitments=[commitment(relations=[{"kind": "reaffirms", "target": "COP-1990-99"}])])
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert "no commitment 'COP-1990-99'" in result.problems[0]
    assert "MC-DEC-3-18-2" in fixture_codes(fixtures_dir)


def test_a_supersession_ends_the_earlier_commitment_the_day_before(fixtures_dir, staging_dir):
    stage(staging_dir, commitments=[commitment(relations=[{"kind": "supersedes", "target": "COP-1990-9.1"}])])
    merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    rows = {row["fields"]["code"]: row["fields"] for row in json.loads((fixtures_dir / "commitments.json").read_text())}
    assert rows["COP-1990-9.1"]["in_force_until"] == "2018-12-06"


def test_an_existing_document_gains_checked_fields_but_keeps_its_date(fixtures_dir, staging_dir):
    cop = {"code": "COP-1990", "symbol": "", "text_source": "https://example.org/cop", "dimensions": ["human"]}
    stage(staging_dir, name="COP-1990", document=cop, commitments=[])
    merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    fields = json.loads((fixtures_dir / "documents.json").read_text())[0]["fields"]
    assert (fields["text_source"], fields["adopted_on"], fields["title"]) == (
        "https://example.org/cop",
        "1990-06-29",
        "Document of the Copenhagen Meeting",
    )


def test_an_existing_document_with_another_adoption_date_is_refused(fixtures_dir, staging_dir):
    stage(staging_dir, name="COP-1990", document={"code": "COP-1990", "adopted_on": "1990-06-30"}, commitments=[])
    result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures_dir)
    assert "differs" in result.problems[0]


def test_the_command_reports_and_fails_in_strict_mode(fixtures_dir, staging_dir, capsys):
    stage(staging_dir, commitments=[commitment(weight="2.00")])
    with pytest.raises(Exception, match="1 entries refused"):
        call_command("merge_catalogue_staging", str(staging_dir), fixtures=fixtures_dir, strict=True)
    assert "Refused: 1" in capsys.readouterr().out
