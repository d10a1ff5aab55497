"""The full-text index over Part.search_text (the tokens written by catalog.indexing).

SQLite: an FTS5 external-content table `catalog_part_fts` (rowid = part id) kept in step
by triggers on catalog_part; the update trigger fires only when search_text changes, so
the offer summary's bulk updates do not touch the index. A later migration that makes
SQLite rebuild catalog_part (a table remake drops its triggers) must run this one's SQL
again; search's tests check that the triggers exist.

PostgreSQL: a GIN index on to_tsvector('simple', search_text): the tokens are already
words, so the `simple` configuration only lower-cases them; prefix queries (`tok:*`)
use the same index.

Both: a partial index on the listed offers' (part_id, grade), so that search's grade
facet reads the grades of the counted parts from the index alone. It lives here, not in
Offer.Meta, because Django cannot declare its partial, covering shape on both databases
the same way; a later remake of catalog_offer on SQLite drops it (search still works,
slower): run this SQL again then.
"""

from django.db import migrations

from partsmall.core.migration_ops import RunSQLOn

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE catalog_part_fts USING fts5(
        search_text, content='catalog_part', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER catalog_part_fts_insert AFTER INSERT ON catalog_part BEGIN
        INSERT INTO catalog_part_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER catalog_part_fts_delete AFTER DELETE ON catalog_part BEGIN
        INSERT INTO catalog_part_fts(catalog_part_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER catalog_part_fts_update AFTER UPDATE OF search_text ON catalog_part BEGIN
        INSERT INTO catalog_part_fts(catalog_part_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO catalog_part_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    "INSERT INTO catalog_part_fts(catalog_part_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_part_fts_update",
    "DROP TRIGGER IF EXISTS catalog_part_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_part_fts_insert",
    "DROP TABLE IF EXISTS catalog_part_fts",
]
BOTH_FORWARD = ["CREATE INDEX catalog_offer_listed_grade ON catalog_offer (part_id, grade) WHERE is_listed"]
BOTH_BACKWARD = ["DROP INDEX IF EXISTS catalog_offer_listed_grade"]
POSTGRESQL_FORWARD = [
    "CREATE INDEX catalog_part_search_gin ON catalog_part USING gin (to_tsvector('simple'::regconfig, search_text))"
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS catalog_part_search_gin"]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_initial"),
    ]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLOn("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
        migrations.RunSQL(BOTH_FORWARD, BOTH_BACKWARD),
    ]
