"""The search index of parts (search.models.PartIndex), kept in step by triggers on
catalog_part and filled from the parts already there.

Only ids never change; every other column of the index follows its part: on insert, on
any update of a copied column (the text on PostgreSQL only when search_text changed) and
on delete. The SQL of both databases copies the same columns the same way (COPIED).
"""

from typing import Any

from django.db import migrations, models

import partsmall.search.models
from partsmall.core.migration_ops import RunSQLOn

# index column ← catalog_part expression (NEW. / new. prefixed in triggers).
COPIED = {
    "visible": "{r}.review_status <> 'rejected'",
    "name": "{r}.name",
    "name_upper": "UPPER({r}.name)",
    "category_id": "{r}.category_id",
    "brand_id": "{r}.brand_id",
    "min_price": "{r}.min_price",
    "fastest_lead_days": "{r}.fastest_lead_days",
    "in_stock": "{r}.in_stock",
    "supplier_count": "{r}.supplier_count",
    "listed_grades": "{r}.listed_grades",
}
TSV = "strip(to_tsvector('simple'::regconfig, {r}.search_text))"
WATCHED = ["review_status", "name", "category_id", "brand_id", "min_price", "fastest_lead_days", "in_stock",
           "supplier_count", "listed_grades", "search_text"]  # fmt: skip


def _values(row: str, columns: dict[str, str]) -> str:
    return ", ".join(expression.format(r=row) for expression in columns.values())


def _assignments(row: str, columns: dict[str, str]) -> str:
    return ", ".join(f"{column} = {expression.format(r=row)}" for column, expression in columns.items())


ALL = {"id": "{r}.id", **COPIED}
NAMES = ", ".join(ALL)
PG_ALL = {**ALL, "tsv": TSV}
PG_NAMES = ", ".join(PG_ALL)

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION search_partindex_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_partindex WHERE id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
            UPDATE search_partindex SET {_assignments("NEW", COPIED)} WHERE id = NEW.id;
            IF FOUND THEN
                RETURN NULL;
            END IF;
        END IF;
        INSERT INTO search_partindex ({PG_NAMES}) VALUES ({_values("NEW", PG_ALL)})
        ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in PG_ALL if c != "id")};
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER search_partindex_insert AFTER INSERT ON catalog_part"
    " FOR EACH ROW EXECUTE FUNCTION search_partindex_sync()",
    "CREATE TRIGGER search_partindex_update AFTER UPDATE ON catalog_part FOR EACH ROW"
    f" WHEN (({', '.join(f'OLD.{c}' for c in WATCHED)}) IS DISTINCT FROM ({', '.join(f'NEW.{c}' for c in WATCHED)}))"
    " EXECUTE FUNCTION search_partindex_sync()",
    "CREATE TRIGGER search_partindex_delete AFTER DELETE ON catalog_part"
    " FOR EACH ROW EXECUTE FUNCTION search_partindex_sync()",
    f"INSERT INTO search_partindex ({PG_NAMES}) SELECT {_values('p', PG_ALL)} FROM catalog_part p",
    "CREATE INDEX search_partindex_tsv ON search_partindex USING gin (tsv)",
    # Searches read the index table: the expression index on catalog_part would only cost writes.
    "DROP INDEX IF EXISTS catalog_part_search_gin",
]
POSTGRESQL_BACKWARD = [
    "CREATE INDEX catalog_part_search_gin ON catalog_part USING gin (to_tsvector('simple'::regconfig, search_text))",
    "DROP TRIGGER IF EXISTS search_partindex_delete ON catalog_part",
    "DROP TRIGGER IF EXISTS search_partindex_update ON catalog_part",
    "DROP TRIGGER IF EXISTS search_partindex_insert ON catalog_part",
    "DROP FUNCTION IF EXISTS search_partindex_sync()",
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER search_partindex_insert AFTER INSERT ON catalog_part BEGIN
        INSERT INTO search_partindex ({NAMES}) VALUES ({_values("new", ALL)});
    END
    """,
    f"""
    CREATE TRIGGER search_partindex_update AFTER UPDATE ON catalog_part BEGIN
        UPDATE search_partindex SET {_assignments("new", COPIED)} WHERE id = new.id;
    END
    """,
    """
    CREATE TRIGGER search_partindex_delete AFTER DELETE ON catalog_part BEGIN
        DELETE FROM search_partindex WHERE id = old.id;
    END
    """,
    f"INSERT INTO search_partindex ({NAMES}) SELECT {_values('p', ALL)} FROM catalog_part p",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_partindex_delete",
    "DROP TRIGGER IF EXISTS search_partindex_update",
    "DROP TRIGGER IF EXISTS search_partindex_insert",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalog", "0005_part_listed_grades")]

    operations: list[Any] = [
        migrations.CreateModel(
            name="PartIndex",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("visible", models.BooleanField()),
                ("name", models.CharField(max_length=200)),
                ("name_upper", models.CharField(max_length=200)),
                ("category_id", models.BigIntegerField()),
                ("brand_id", models.BigIntegerField()),
                ("min_price", models.DecimalField(decimal_places=2, max_digits=12, null=True)),
                ("fastest_lead_days", models.PositiveSmallIntegerField(null=True)),
                ("in_stock", models.BooleanField()),
                ("supplier_count", models.PositiveIntegerField()),
                ("listed_grades", models.PositiveSmallIntegerField()),
                ("tsv", partsmall.search.models.TsVectorField(null=True)),
            ],
            options={
                "db_table": "search_partindex",
                "indexes": [
                    models.Index(fields=["category_id", "min_price"], name="search_partindex_category"),
                    models.Index(fields=["brand_id"], name="search_partindex_brand"),
                ],
            },
        ),
        RunSQLOn("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
