"""The search index's summary columns are rewritten in place (HOT updates on PostgreSQL).

An offers import rewrites the offer summary of every part it touches, and search 0001's
trigger copies it into search_partindex. With min_price in an index, each of those
updates wrote new entries into every index of the table, the tsv's GIN index included:
8–9 s of a 100,000-row import on dataset M. Without an index on a summary column, and
with a fifth of each page left free (fillfactor 80), PostgreSQL updates the row in its
page and writes no index entry.
"""

from typing import Any

from django.db import migrations, models

from partsmall.core.migration_ops import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [("search", "0001_part_index")]

    operations: list[Any] = [
        migrations.RemoveIndex(model_name="partindex", name="search_partindex_category"),
        migrations.AddIndex(
            model_name="partindex",
            index=models.Index(fields=["category_id"], name="search_partindex_category"),
        ),
        RunSQLOn(
            "postgresql",
            ["ALTER TABLE search_partindex SET (fillfactor = 80)"],
            ["ALTER TABLE search_partindex RESET (fillfactor)"],
        ),
    ]
