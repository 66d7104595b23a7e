"""Merge the research staging files into the catalogue fixtures, checking every entry first.

Research writes one JSON file per source document (format: docs/catalogue.md, "Staging files").
`merge_staging` reads them, validates each document and commitment against the fixtures
(dimensions, themes, existing documents and commitments) and writes documents.json,
commitments.json and commitment_relations.json. It works on the fixture files only (no
database), so a rerun with the same staging files gives the same fixtures (idempotent).

What it refuses is listed, never merged silently:
- a document with a bad code, date, dimension or official link: the whole file;
- a commitment with a bad code, reference, date, dimension, theme or weight: that commitment;
- a relation to a commitment that is not in the catalogue: that relation.

Commitments of the baseline catalogue (fixtures/catalogue_baseline_codes.txt, the 133 codes
that existed before the staging process) are never rewritten by staging: a code keeps its meaning.
"""

import dataclasses
import datetime
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from .references import reference_error

DOCUMENT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
COMMITMENT_CODE_TAIL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
COMMITMENT_CODE_MAX = 40
TITLE_MAX = 200
PARAGRAPH_MAX = 150
RELATION_KINDS = ("reaffirms", "elaborates", "supersedes")
# Official texts: the OSCE's own site and document library.
OFFICIAL_HOSTS = ("osce.org",)
# Document fields research may give or improve for a document already in the catalogue.
DOCUMENT_UPDATABLE = ("title", "symbol", "place", "url", "text_source", "in_force_note", "has_numbered_paragraphs")

DOCUMENTS = "documents.json"
COMMITMENTS = "commitments.json"
RELATIONS = "commitment_relations.json"
BASELINE = "catalogue_baseline_codes.txt"


@dataclasses.dataclass
class MergeResult:
    documents_added: list[str] = dataclasses.field(default_factory=list)
    documents_updated: list[str] = dataclasses.field(default_factory=list)
    commitments_added: list[str] = dataclasses.field(default_factory=list)
    commitments_updated: list[str] = dataclasses.field(default_factory=list)
    relations_added: list[str] = dataclasses.field(default_factory=list)
    in_force_ends_set: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    files: int = 0


def _date(value, *, field: str) -> datetime.date:
    if not isinstance(value, str):
        raise ValueError(f"{field}: give a date as YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date YYYY-MM-DD") from None


def _url(value, *, field: str, official: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{field}: {value!r} is not an http(s) address")
    host = parts.hostname or ""
    if official and not any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS):
        raise ValueError(f"{field}: {value!r} is not on osce.org (the official text's link must be)")
    if len(value) > (200 if official else 500):
        raise ValueError(f"{field}: address too long")
    return value


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


class Catalogue:
    """The fixture files in memory, keyed by natural key."""

    def __init__(self, fixtures_dir: Path):
        self.dir = fixtures_dir
        self.dimensions = {row["fields"]["slug"] for row in read_json(fixtures_dir / "dimensions.json")}
        self.themes = {row["fields"]["slug"] for row in read_json(fixtures_dir / "themes.json")}
        self.documents = {row["fields"]["code"]: row for row in read_json(fixtures_dir / DOCUMENTS)}
        self.commitments = {row["fields"]["code"]: row for row in read_json(fixtures_dir / COMMITMENTS)}
        relations_path = fixtures_dir / RELATIONS
        rows = read_json(relations_path) if relations_path.exists() else []
        self.relations = {self.relation_key(row): row for row in rows}
        baseline_path = fixtures_dir / BASELINE
        self.baseline = set()
        if baseline_path.exists():
            lines = baseline_path.read_text(encoding="utf-8").splitlines()
            self.baseline = {line.strip() for line in lines if line.strip() and not line.startswith("#")}

    @staticmethod
    def relation_key(row) -> tuple[str, str, str]:
        fields = row["fields"]
        return (fields["source"][0], fields["target"][0], fields["kind"])

    def write(self) -> None:
        documents = sorted(self.documents.values(), key=lambda r: (r["fields"]["adopted_on"], r["fields"]["code"]))
        write_json(self.dir / DOCUMENTS, documents)
        write_json(self.dir / COMMITMENTS, list(self.commitments.values()))
        write_json(self.dir / RELATIONS, sorted(self.relations.values(), key=self.relation_key))


def _check_document(data: dict, catalogue: Catalogue) -> dict:
    """The document's fixture fields, or ValueError naming what is wrong."""
    code = data.get("code", "")
    if not isinstance(code, str) or not DOCUMENT_CODE.match(code):
        raise ValueError(f"document code {code!r}: use A-Z, 0-9 and '-', at most 20 characters")
    existing = catalogue.documents.get(code)
    if existing is not None:
        fields = dict(existing["fields"])
        if data.get("adopted_on") and data["adopted_on"] != fields["adopted_on"]:
            raise ValueError(
                f"{code}: adopted_on {data['adopted_on']} differs from the catalogue's {fields['adopted_on']};"
                " correct it by hand after checking"
            )
        given = {name: data[name] for name in DOCUMENT_UPDATABLE if name in data and data[name] not in ("", None)}
        # Research may show that a document touches a further dimension; none is ever taken away.
        added = [slug for slug in data.get("dimensions") or [] if [slug] not in fields["dimensions"]]
        unknown = [slug for slug in added if slug not in catalogue.dimensions]
        if unknown:
            raise ValueError(f"{code}: unknown dimensions {unknown}")
        given["dimensions"] = fields["dimensions"] + [[slug] for slug in added]
        # has_numbered_paragraphs False is a value, not an absence.
        if "has_numbered_paragraphs" in data:
            given["has_numbered_paragraphs"] = data["has_numbered_paragraphs"]
    else:
        fields = {}
        for name in ("title", "adopted_on", "dimensions"):
            if not data.get(name):
                raise ValueError(f"{code}: {name} is required for a new document")
        given = {name: data.get(name, "") for name in DOCUMENT_UPDATABLE}
        given["has_numbered_paragraphs"] = data.get("has_numbered_paragraphs", True)
        fields["code"] = code
        fields["adopted_on"] = _date(data["adopted_on"], field=f"{code}: adopted_on").isoformat()
        unknown = [slug for slug in data["dimensions"] if slug not in catalogue.dimensions]
        if unknown:
            raise ValueError(f"{code}: unknown dimensions {unknown}")
        fields["dimensions"] = [[slug] for slug in data["dimensions"]]
    if "url" in given:
        given["url"] = _url(given["url"], field=f"{code}: url", official=True)
    if "text_source" in given:
        given["text_source"] = _url(given["text_source"], field=f"{code}: text_source")
    if not isinstance(given.get("has_numbered_paragraphs", True), bool):
        raise ValueError(f"{code}: has_numbered_paragraphs must be true or false")
    for name in ("title", "symbol", "place", "in_force_note"):
        if name in given and not isinstance(given[name], str):
            raise ValueError(f"{code}: {name} must be text")
    if "title" in given and not given["title"].strip():
        raise ValueError(f"{code}: title is empty")
    if len(given.get("title", "")) > 300 or len(given.get("symbol", "")) > 60 or len(given.get("place", "")) > 100:
        raise ValueError(f"{code}: title, symbol or place too long")
    fields.update(given)
    return fields


def _check_commitment(data: dict, document: dict, catalogue: Catalogue, taken: set[str]) -> dict:
    """The commitment's fixture fields, or ValueError naming what is wrong."""
    doc_code = document["code"]
    code = data.get("code", "")
    label = f"{doc_code}: commitment {code!r}"
    if not isinstance(code, str) or not code.startswith(doc_code + "-"):
        raise ValueError(f"{label}: the code must be the document code, '-', then the paragraph")
    if len(code) > COMMITMENT_CODE_MAX or not COMMITMENT_CODE_TAIL.match(code[len(doc_code) + 1 :]):
        raise ValueError(f"{label}: after the document code use letters, digits, '.' and '-' (40 at most)")
    if code in catalogue.baseline:
        raise ValueError(f"{label}: this code is already in the catalogue; codes never change meaning")
    if code in taken:
        raise ValueError(f"{label}: given twice in the staging files")
    existing = catalogue.commitments.get(code)
    if existing is not None and existing["fields"]["document"] != [doc_code]:
        raise ValueError(f"{label}: a commitment of another document already has this code")
    if code.upper() in {c.upper() for c in catalogue.commitments if c != code}:
        raise ValueError(f"{label}: another commitment has the same code but for letter case")
    paragraph = (data.get("paragraph") or "").strip()
    problem = reference_error(paragraph, has_numbered_paragraphs=document.get("has_numbered_paragraphs", True))
    if problem or len(paragraph) > PARAGRAPH_MAX:
        raise ValueError(f"{label}: paragraph {paragraph!r}: {problem or f'longer than {PARAGRAPH_MAX} characters'}")
    title = (data.get("title") or "").strip()
    summary = (data.get("summary") or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ValueError(f"{label}: title is empty or longer than {TITLE_MAX} characters")
    if not summary:
        raise ValueError(f"{label}: summary is empty")
    dimension = data.get("dimension")
    if dimension not in catalogue.dimensions:
        raise ValueError(f"{label}: unknown dimension {dimension!r}")
    if [dimension] not in document["dimensions"]:
        raise ValueError(f"{label}: dimension {dimension} is not one the document touches")
    themes = data.get("themes") or []
    unknown = [slug for slug in themes if slug not in catalogue.themes]
    if unknown:
        raise ValueError(f"{label}: unknown themes {unknown}")
    try:
        weight = Decimal(str(data.get("weight", "1.00")))
    except InvalidOperation:
        raise ValueError(f"{label}: weight {data.get('weight')!r} is not a number") from None
    if weight <= 0 or weight >= 1000 or weight != weight.quantize(Decimal("0.01")):
        raise ValueError(f"{label}: weight must be above 0, below 1000, with at most two decimals")
    weight_reason = (data.get("weight_reason") or "").strip()
    if weight != 1 and not weight_reason:
        raise ValueError(f"{label}: weight {weight} needs a weight_reason")
    adopted = datetime.date.fromisoformat(document["adopted_on"])
    in_force_from = _date(data.get("in_force_from") or document["adopted_on"], field=f"{label}: in_force_from")
    if in_force_from < adopted:
        raise ValueError(f"{label}: in force from {in_force_from}, before the document's adoption ({adopted})")
    in_force_until = data.get("in_force_until")
    if in_force_until is not None:
        in_force_until = _date(in_force_until, field=f"{label}: in_force_until")
        if in_force_until < in_force_from:
            raise ValueError(f"{label}: leaves force ({in_force_until}) before it enters into force")
    non_derogable = data.get("non_derogable", False)
    if not isinstance(non_derogable, bool):
        raise ValueError(f"{label}: non_derogable must be true or false")
    return {
        "code": code,
        "document": [doc_code],
        "paragraph": paragraph,
        "title": title,
        "summary": summary,
        "dimension": [dimension],
        "themes": [[slug] for slug in themes],
        "weight": f"{weight:.2f}",
        "weight_reason": weight_reason,
        "non_derogable": non_derogable,
        "in_force_from": in_force_from.isoformat(),
        "in_force_until": in_force_until.isoformat() if in_force_until else None,
    }


def _document_row(fields: dict) -> dict:
    order = [
        "code",
        "title",
        "symbol",
        "adopted_on",
        "place",
        "url",
        "text_source",
        "in_force_note",
        "has_numbered_paragraphs",
        "dimensions",
    ]
    defaults = {"symbol": "", "place": "", "url": "", "text_source": "", "in_force_note": ""}
    return {
        "model": "commitments.sourcedocument",
        "fields": {name: fields.get(name, defaults.get(name, True)) for name in order},
    }


def merge_staging(*, staging_dir: Path, fixtures_dir: Path, write: bool = True) -> MergeResult:
    """Validate every staging file and merge what passes into the fixtures (written only if `write`)."""
    result = MergeResult()
    catalogue = Catalogue(fixtures_dir)
    taken: set[str] = set()
    pending_relations: list[tuple[str, dict]] = []

    for path in sorted(staging_dir.glob("*.json")):
        result.files += 1
        try:
            staged = read_json(path)
            document_fields = _check_document(staged.get("document") or {}, catalogue)
        except (ValueError, AttributeError, TypeError) as error:
            result.problems.append(f"{path.name}: file skipped: {error}")
            continue
        doc_code = document_fields["code"]
        row = _document_row(document_fields)
        existing = catalogue.documents.get(doc_code)
        if existing is None:
            result.documents_added.append(doc_code)
        elif existing != row:
            result.documents_updated.append(doc_code)
        # A corrected has_numbered_paragraphs must still fit the references already in the catalogue.
        catalogue.documents[doc_code] = row
        for data in staged.get("commitments") or []:
            try:
                fields = _check_commitment(data, row["fields"], catalogue, taken)
            except (ValueError, AttributeError, TypeError) as error:
                result.problems.append(f"{path.name}: commitment skipped: {error}")
                continue
            code = fields["code"]
            taken.add(code)
            new_row = {"model": "commitments.commitment", "fields": fields}
            previous = catalogue.commitments.get(code)
            if previous is not None and previous["fields"].get("in_force_until") and not fields["in_force_until"]:
                # Keep an end of force set by a supersession in an earlier merge.
                fields["in_force_until"] = previous["fields"]["in_force_until"]
            if previous is None:
                result.commitments_added.append(code)
            elif previous["fields"] != fields:
                result.commitments_updated.append(code)
            catalogue.commitments[code] = new_row
            for relation in data.get("relations") or []:
                pending_relations.append((path.name, {"source": code, **relation}))

    for file_name, relation in pending_relations:
        source, target, kind = relation["source"], relation.get("target"), relation.get("kind")
        label = f"{file_name}: relation {source} {kind} {target}"
        if kind not in RELATION_KINDS:
            result.problems.append(f"{label} skipped: kind must be one of {', '.join(RELATION_KINDS)}")
            continue
        if target == source:
            result.problems.append(f"{label} skipped: a commitment cannot be related to itself")
            continue
        if target not in catalogue.commitments:
            result.problems.append(f"{label} skipped: no commitment {target!r} in the catalogue")
            continue
        source_fields = catalogue.commitments[source]["fields"]
        target_fields = catalogue.commitments[target]["fields"]
        if kind == "supersedes":
            successor_from = datetime.date.fromisoformat(source_fields["in_force_from"])
            until = successor_from - datetime.timedelta(days=1)
            if until < datetime.date.fromisoformat(target_fields["in_force_from"]):
                result.problems.append(f"{label} skipped: the target entered into force after its successor")
                continue
            if target_fields["in_force_until"] != until.isoformat():
                target_fields["in_force_until"] = until.isoformat()
                result.in_force_ends_set.append(f"{target} until {until}")
        key = (source, target, kind)
        if key not in catalogue.relations:
            result.relations_added.append(" ".join(key))
        catalogue.relations[key] = {
            "model": "commitments.commitmentrelation",
            "fields": {"source": [source], "kind": kind, "target": [target]},
        }

    if write:
        catalogue.write()
    return result
