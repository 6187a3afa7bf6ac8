"""The search's two indexes begin with the team (PostgreSQL; SQLite has none).

The case list searches the cases of the user's teams: with the trigram indexes of 0013 alone,
PostgreSQL found the names' matches in every team (8,000 for a common surname at a million
persons), then ANDed them with a bitmap of the team's 30,000 cases read from the team's index
(3.5 of the search's 5.5 ms). With the team as each index's first column (``btree_gin``), one
index scan reads the team's matches only. The team's ids are written as bigints in the query
(``access.scope_cases``): the extension compares a bigint column with a bigint only (written
as integers, the ids kept PostgreSQL on the team's btree).

The names keep their trigrams (a word is found inside a name). A key is a whole word of
``search_keys`` (letters, between spaces): it is read as a list, one entry of the index per key
(``cases.case_file.selectors.HoldsKey`` writes ``string_to_array(search_keys, ' ') &&
'{key,...}'::text[]``, on the index's expression), where its trigrams were three lookups whose matches in
every team were intersected (0.9 ms against 0.5 for a common surname's key). A search over
every team (an administrator's) reads the same indexes by their second column.
"""

from django.db import migrations

POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX IF EXISTS case_search_names_trgm;
DROP INDEX IF EXISTS case_search_keys_trgm;
CREATE INDEX case_team_search_names ON cases_case USING gin (team_id, (UPPER(("search_names")::text)) gin_trgm_ops);
CREATE INDEX case_team_search_key_list ON cases_case USING gin (team_id, string_to_array("search_keys", ' '));
"""

POSTGRESQL_REVERSE = """
DROP INDEX IF EXISTS case_team_search_names;
DROP INDEX IF EXISTS case_team_search_key_list;
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
