"""An offer's stock_quantity is set from the stock levels when the offer is made or moves
to another supplier, part or grade (triggers on catalog_offer), so that an offer listed
after its stock was received sells it at once.

The inventory services keep stock_quantity in step on every stock movement
(ledger.offers_sync); stock received before its offer existed had nothing to update, and
the offer showed 无货 until the next movement; an offer moved to another grade kept the
old grade's quantity. On insert, where the supplier holds no level of the part and
grade, the value written stands (the catalogue writes 0). The offers already out of step
are brought in step here, with their parts' offer summaries.

AVAILABLE is ledger.available_sql as of this migration: Σ on_hand − reserved over the
supplier's active warehouses for the offer's part and grade, never below 0.
"""

from typing import Any

from django.db import migrations

from partsmall.core.migration_ops import RunSQLOn

FROM = (
    "FROM inventory_stocklevel s JOIN inventory_warehouse w ON w.id = s.warehouse_id"
    " WHERE w.is_active AND w.organization_id = {r}.supplier_id"
    " AND s.part_id = {r}.part_id AND s.grade = {r}.grade"
)
AVAILABLE = (
    "(SELECT CASE WHEN SUM(s.on_hand - s.reserved) > 0 THEN SUM(s.on_hand - s.reserved) ELSE 0 END "
    + FROM
    + ")"
)
HELD = f"EXISTS (SELECT 1 {FROM})"  # the supplier has a level of the part and grade
MOVED = "OLD.supplier_id <> NEW.supplier_id OR OLD.part_id <> NEW.part_id OR OLD.grade <> NEW.grade"

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION inventory_offer_stock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' OR {HELD.format(r="NEW")} THEN
            NEW.stock_quantity := {AVAILABLE.format(r="NEW")};
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER inventory_offer_stock_insert BEFORE INSERT ON catalog_offer"
    " FOR EACH ROW EXECUTE FUNCTION inventory_offer_stock()",
    "CREATE TRIGGER inventory_offer_stock_update BEFORE UPDATE OF supplier_id, part_id, grade ON catalog_offer"
    f" FOR EACH ROW WHEN ({MOVED}) EXECUTE FUNCTION inventory_offer_stock()",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS inventory_offer_stock_update ON catalog_offer",
    "DROP TRIGGER IF EXISTS inventory_offer_stock_insert ON catalog_offer",
    "DROP FUNCTION IF EXISTS inventory_offer_stock()",
]
# SQLite cannot assign NEW: the row is updated after it is written, only when it differs.
_SQLITE_SET = f"UPDATE catalog_offer SET stock_quantity = {AVAILABLE.format(r='NEW')} WHERE id = NEW.id;"
SQLITE_FORWARD = [
    "CREATE TRIGGER inventory_offer_stock_insert AFTER INSERT ON catalog_offer"
    f" WHEN {HELD.format(r='NEW')} AND NEW.stock_quantity <> {AVAILABLE.format(r='NEW')}"
    f" BEGIN {_SQLITE_SET} END",
    "CREATE TRIGGER inventory_offer_stock_update AFTER UPDATE OF supplier_id, part_id, grade ON catalog_offer"
    f" WHEN ({MOVED}) AND NEW.stock_quantity <> {AVAILABLE.format(r='NEW')}"
    f" BEGIN {_SQLITE_SET} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS inventory_offer_stock_update",
    "DROP TRIGGER IF EXISTS inventory_offer_stock_insert",
]


def bring_offers_in_step(apps: Any, schema_editor: Any) -> None:
    """The offers whose stock_quantity differs from their levels, and their parts' summaries."""
    from partsmall.catalog.indexing import refresh_offer_summary

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE catalog_offer SET stock_quantity = {AVAILABLE.format(r='catalog_offer')}"
            f" WHERE stock_quantity <> {AVAILABLE.format(r='catalog_offer')} RETURNING part_id"
        )
        part_ids = {row[0] for row in cursor.fetchall()}
    if part_ids:
        refresh_offer_summary(sorted(part_ids))


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations: list[Any] = [
        RunSQLOn("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        migrations.RunPython(bring_offers_in_step, migrations.RunPython.noop),
    ]
