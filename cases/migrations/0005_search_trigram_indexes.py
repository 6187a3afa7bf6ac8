"""Trigram indexes for the case list's search, on PostgreSQL only.

The search matches a part of a name (``UPPER(last_name) LIKE UPPER('%abdi%')``): a b-tree index
cannot serve it, a GIN trigram index on the same expression can. SQLite has neither, and does
without (its databases are small).
"""

from django.db import migrations

INDEXES = [
    ("cases_person", "person_first_name_trgm", "first_name"),
    ("cases_person", "person_last_name_trgm", "last_name"),
    ("cases_person", "person_alias_trgm", "alias"),
    ("cases_case", "case_reference_trgm", "reference"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_benchmark_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
