from typing import Any

from django.db import migrations

# PostgreSQL only (core/textsearch.py): the bigrams' tsvector stored beside them and indexed,
# instead of an index on the expression. A query that matches most documents is planned as a
# scan that stops at a LIMIT; with the expression every row scanned was parsed again
# (to_tsvector: 430 ms for 5,000 rows at 100,000 documents), a stored tsvector is only read.
POSTGRES_UP = [
    "ALTER TABLE core_searchdocument ADD COLUMN grams_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', grams)) STORED",
    "CREATE INDEX core_searchdocument_grams_tsv_gin ON core_searchdocument USING gin (grams_tsv)",
    "DROP INDEX IF EXISTS core_searchdocument_grams_gin",
]
POSTGRES_DOWN = [
    "CREATE INDEX core_searchdocument_grams_gin ON core_searchdocument "
    "USING gin (to_tsvector('simple', grams))",
    "DROP INDEX IF EXISTS core_searchdocument_grams_tsv_gin",
    "ALTER TABLE core_searchdocument DROP COLUMN grams_tsv",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_search_document"),
    ]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
