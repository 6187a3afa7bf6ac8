"""The person's names on each of their cases, kept by the database, for the case list's search.

The search used to find the persons whose names hold the words, then their cases in the team:
a common surname ("Javid") is held by thousands of persons of every team, each to be looked up
for a case of this one. With the names on the case row, the search reads the team's cases that
hold the words and nothing else (PostgreSQL: two trigram indexes, one on the names, one on the
keys; SQLite does without, its databases are small).

The columns are derived data, like an index: triggers fill them whenever a case is written
(insert, or an update naming its person or these columns) and whenever a person's names or keys
change (an edit, a merge, an erasure), whatever wrote the row: a service, a bulk import, a
query. ``search_names`` is ``first_name || '\\n' || last_name || '\\n' || alias``; ``search_keys``
is ``' ' || first_name_key || ' ' || last_name_key || ' ' || alias_key || ' '``.

The trigram index on persons' names (0012) served the search alone: it is dropped.

On SQLite, a later migration that rebuilds ``cases_case`` or ``cases_person`` (SQLite alters a
table by copying it) drops these triggers with the old table: such a migration must create them
again (``create`` below). The search tests fail on SQLite when they are missing.
"""

from django.db import migrations, models

NAMES = "{p}first_name || {nl} || {p}last_name || {nl} || {p}alias"
KEYS = "' ' || {p}first_name_key || ' ' || {p}last_name_key || ' ' || {p}alias_key || ' '"
PERSON_FIELDS = "first_name, last_name, alias, first_name_key, last_name_key, alias_key"
PG_NL = "E'\\n'"  # a line break, in PostgreSQL's escaped string syntax

POSTGRESQL = f"""
UPDATE cases_case c SET search_names = {NAMES.format(p="p.", nl=PG_NL)}, search_keys = {KEYS.format(p="p.")}
  FROM cases_person p WHERE p.id = c.person_id;

CREATE FUNCTION case_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {NAMES.format(p="p.", nl=PG_NL)}, {KEYS.format(p="p.")}
      INTO NEW.search_names, NEW.search_keys
      FROM cases_person p WHERE p.id = NEW.person_id;
    NEW.search_names := COALESCE(NEW.search_names, '');
    NEW.search_keys := COALESCE(NEW.search_keys, '');
    RETURN NEW;
END $$;
CREATE TRIGGER case_search_fill BEFORE INSERT OR UPDATE OF person_id, search_names, search_keys
    ON cases_case FOR EACH ROW EXECUTE FUNCTION case_search_fill();

CREATE FUNCTION case_search_spread() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_case SET search_names = {NAMES.format(p="NEW.", nl=PG_NL)},
                          search_keys = {KEYS.format(p="NEW.")}
     WHERE person_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER case_search_spread AFTER UPDATE OF {PERSON_FIELDS} ON cases_person
    FOR EACH ROW EXECUTE FUNCTION case_search_spread();

CREATE INDEX case_search_names_trgm ON cases_case USING gin ((UPPER(("search_names")::text)) gin_trgm_ops);
CREATE INDEX case_search_keys_trgm ON cases_case USING gin ((("search_keys")::text) gin_trgm_ops);
DROP INDEX IF EXISTS person_search_names_trgm;
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS case_search_spread ON cases_person;
DROP FUNCTION IF EXISTS case_search_spread();
DROP TRIGGER IF EXISTS case_search_fill ON cases_case;
DROP FUNCTION IF EXISTS case_search_fill();
DROP INDEX IF EXISTS case_search_names_trgm;
DROP INDEX IF EXISTS case_search_keys_trgm;
CREATE INDEX IF NOT EXISTS person_search_names_trgm ON cases_person
    USING gin ((UPPER(("first_name" || E'\\n' || "last_name" || E'\\n' || "alias")::text)) gin_trgm_ops);
"""


def _from_person(person_id: str) -> str:
    """SQLite: the SET of a case's columns from the person ``person_id`` names ('' without one)."""
    return (
        f"search_names = COALESCE((SELECT {NAMES.format(p='p.', nl='char(10)')} FROM cases_person p "
        f"WHERE p.id = {person_id}), ''), "
        f"search_keys = COALESCE((SELECT {KEYS.format(p='p.')} FROM cases_person p WHERE p.id = {person_id}), '')"
    )


_FROM_PERSON = f"UPDATE cases_case SET {_from_person('NEW.person_id')} WHERE id = NEW.id;"

SQLITE = [
    f"UPDATE cases_case SET {_from_person('cases_case.person_id')}",
    f"CREATE TRIGGER case_search_insert AFTER INSERT ON cases_case BEGIN {_FROM_PERSON} END",
    "CREATE TRIGGER case_search_update AFTER UPDATE OF person_id, search_names, search_keys ON cases_case "
    f"BEGIN {_FROM_PERSON} END",
    f"""CREATE TRIGGER case_search_spread AFTER UPDATE OF {PERSON_FIELDS} ON cases_person BEGIN
        UPDATE cases_case SET search_names = {NAMES.format(p="NEW.", nl="char(10)")},
                              search_keys = {KEYS.format(p="NEW.")}
         WHERE person_id = NEW.id;
    END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_search_insert",
    "DROP TRIGGER IF EXISTS case_search_update",
    "DROP TRIGGER IF EXISTS case_search_spread",
]


def _run(statements: dict):
    """A RunPython step that executes the statements written for the database in use."""

    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


create = _run({"postgresql": [POSTGRESQL], "sqlite": SQLITE})
drop = _run({"postgresql": [POSTGRESQL_REVERSE], "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_person_search_names_trigram")]

    operations = [
        migrations.AddField(
            model_name="case", name="search_names", field=models.TextField(default="", editable=False)
        ),
        migrations.AddField(model_name="case", name="search_keys", field=models.TextField(default="", editable=False)),
        migrations.RunPython(create, drop, elidable=False),
    ]
