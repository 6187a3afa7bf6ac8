"""The search's two trigram indexes begin with the team (PostgreSQL; SQLite has none).

The case list searches the cases of the user's teams: with the trigram indexes of 0013 alone,
PostgreSQL found the names' matches in every team (8,000 for a common surname at a million
persons), then ANDed them with a bitmap of the team's 30,000 cases read from the team's index
(3.5 of the search's 5.5 ms). With the team as the index's first column (``btree_gin``), one
index scan reads the team's matches only (1.5 ms). The team's ids are written as bigints in the
query (``access.scope_cases``): the extension compares a bigint column with a bigint only.
A search over every team (an administrator's) reads the same indexes by their second column.
"""

from django.db import migrations

POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX IF EXISTS case_search_names_trgm;
DROP INDEX IF EXISTS case_search_keys_trgm;
CREATE INDEX case_team_search_names ON cases_case USING gin (team_id, (UPPER(("search_names")::text)) gin_trgm_ops);
CREATE INDEX case_team_search_keys ON cases_case USING gin (team_id, (("search_keys")::text) gin_trgm_ops);
"""

POSTGRESQL_REVERSE = """
DROP INDEX IF EXISTS case_team_search_names;
DROP INDEX IF EXISTS case_team_search_keys;
CREATE INDEX case_search_names_trgm ON cases_case USING gin ((UPPER(("search_names")::text)) gin_trgm_ops);
CREATE INDEX case_search_keys_trgm ON cases_case USING gin ((("search_keys")::text) gin_trgm_ops);
"""


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_referral_first_contact_index")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE), elidable=False)]
