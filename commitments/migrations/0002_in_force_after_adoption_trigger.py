"""Database-level guard: a commitment cannot be in force before its document was adopted.

A CHECK constraint cannot look at another table, so triggers enforce it, on
PostgreSQL and SQLite alike. Model validation (Commitment.clean) gives the
friendly message; these triggers stop anything that bypasses it.
"""

from django.db import migrations

MESSAGE = "commitment_in_force_after_adoption: in_force_from is before the document was adopted"

POSTGRES_FORWARD = [
    f"""
CREATE OR REPLACE FUNCTION commitments_in_force_after_adoption() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'commitments_commitment' THEN
        IF NEW.in_force_from < (SELECT adopted_on FROM commitments_sourcedocument WHERE id = NEW.document_id) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM commitments_commitment
        WHERE document_id = NEW.id AND in_force_from < NEW.adopted_on
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
    "CREATE TRIGGER commitment_in_force_after_adoption"
    " BEFORE INSERT OR UPDATE OF in_force_from, document_id ON commitments_commitment"
    " FOR EACH ROW EXECUTE FUNCTION commitments_in_force_after_adoption()",
    "CREATE TRIGGER document_adoption_before_commitments"
    " BEFORE UPDATE OF adopted_on ON commitments_sourcedocument"
    " FOR EACH ROW EXECUTE FUNCTION commitments_in_force_after_adoption()",
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS commitment_in_force_after_adoption ON commitments_commitment",
    "DROP TRIGGER IF EXISTS document_adoption_before_commitments ON commitments_sourcedocument",
    "DROP FUNCTION IF EXISTS commitments_in_force_after_adoption()",
]

SQLITE_COMMITMENT_CHECK = (
    "WHEN NEW.in_force_from < (SELECT adopted_on FROM commitments_sourcedocument WHERE id = NEW.document_id) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER commitment_in_force_after_adoption_insert BEFORE INSERT ON commitments_commitment "
    f"{SQLITE_COMMITMENT_CHECK}",
    f"CREATE TRIGGER commitment_in_force_after_adoption_update BEFORE UPDATE OF in_force_from, document_id "
    f"ON commitments_commitment {SQLITE_COMMITMENT_CHECK}",
    "CREATE TRIGGER document_adoption_before_commitments BEFORE UPDATE OF adopted_on ON commitments_sourcedocument "
    "WHEN EXISTS (SELECT 1 FROM commitments_commitment WHERE document_id = NEW.id "
    f"AND in_force_from < NEW.adopted_on) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS commitment_in_force_after_adoption_insert",
    "DROP TRIGGER IF EXISTS commitment_in_force_after_adoption_update",
    "DROP TRIGGER IF EXISTS document_adoption_before_commitments",
]


def create_triggers(apps, schema_editor):
    run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def drop_triggers(apps, schema_editor):
    run(schema_editor, POSTGRES_REVERSE, SQLITE_REVERSE)


def run(schema_editor, postgres_statements, sqlite_statements):
    statements = {"postgresql": postgres_statements, "sqlite": sqlite_statements}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
