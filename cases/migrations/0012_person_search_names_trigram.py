"""A trigram index on a person's names read together, for the case list's search (PostgreSQL only).

The search looks for each word (and each run of words) in the first name, last name and alias at
once: ``UPPER(first_name || '\\n' || last_name || '\\n' || alias) LIKE UPPER('%word%')``, the
expression ``cases.case_file.selectors.PERSON_SEARCH_NAMES`` writes. One index on that expression
serves the whole search, where three indexes (one per name, 0005) made a query of many ORs that
took longer to plan than to run. SQLite has no trigram index and does without (its databases are
small); the 0005 indexes stay for the searches that look in one name.
"""

from django.db import migrations

NAME = "person_search_names_trgm"
EXPRESSION = """UPPER(("first_name" || E'\\n' || "last_name" || E'\\n' || "alias")::text)"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_person USING gin (({EXPRESSION}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_team_active")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
