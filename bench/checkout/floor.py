"""The floor of the checkout benchmark: the checkout transaction of
`orders.services.checkout.checkout_submit` written by hand in SQL, on a plain psycopg
connection, doing the same work: lock the cart, look the key up, read the cart lines, the
same price look-ups (contract lines, customer groups, group prices), the approval rule,
refuse a line whose offer cannot cover it (what each offer can sell, read with the lines),
insert the checkout, one order per supplier (numbered), the lines, the first events,
empty the cart; then, last, lock the candidate stock levels in primary-key order,
allocate (same province → same region → most stock), and write the reservations,
movements and levels and bring the offers' stock_quantity in step in one pipeline (one
round trip), as the service does.

It trusts its input (no validation messages, no model layer): what is left is the SQL a
checkout cannot do without.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg

from partsmall.inventory.regions import proximity

CENT = Decimal("0.01")


class Shortage(Exception):
    """Not enough stock for a line (the transaction rolled back)."""


@dataclass(frozen=True)
class Buyer:
    id: int
    tier: str
    address: tuple[
        str, str, str, str, str, str, str
    ]  # contact, phone, province code/name, city, district, detail
    ordered_before: bool = False  # first_order_at is set (as the service reads it off the buyer)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def checkout(conn: psycopg.Connection, buyer: Buyer, key: str, user_id: int | None) -> int:
    """One checkout of the buyer's whole cart; returns the checkout id (raises Shortage)."""
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT id FROM orders_cart WHERE organization_id = %s FOR UPDATE", [buyer.id])
        (cart_id,) = cur.fetchone()  # type: ignore[misc]
        cur.execute(
            "SELECT id FROM orders_checkout WHERE buyer_id = %s AND idempotency_key = %s", [buyer.id, key]
        )
        first = cur.fetchone()
        if first:
            return int(first[0])
        cur.execute(
            """SELECT cl.id, cl.quantity, o.id, o.supplier_id, o.part_id, o.grade, o.price, o.sku,
                      o.made_to_order, o.lead_time_days, p.number, p.name, b.name,
                      (SELECT COALESCE(SUM(s.on_hand - s.reserved), 0) FROM inventory_stocklevel s
                       JOIN inventory_warehouse w ON w.id = s.warehouse_id
                       WHERE w.is_active AND w.organization_id = o.supplier_id
                         AND s.part_id = o.part_id AND s.grade = o.grade)
               FROM orders_cartline cl JOIN catalog_offer o ON o.id = cl.offer_id
               JOIN catalog_part p ON p.id = o.part_id JOIN catalog_brand b ON b.id = p.brand_id
               WHERE cl.cart_id = %s ORDER BY cl.id""",
            [cart_id],
        )
        lines = cur.fetchall()
        for row in lines:
            if not row[8] and row[1] > row[13]:
                raise Shortage(row[7])
        offer_ids = [row[2] for row in lines]
        suppliers = sorted({row[3] for row in lines})
        prices = _prices(cur, buyer, lines, offer_ids, suppliers, today)
        total = _money(sum((prices[row[2]] * row[1] for row in lines), Decimal(0)))
        cur.execute(
            "SELECT threshold FROM orders_approvalrule WHERE organization_id = %s AND is_active LIMIT 1",
            [buyer.id],
        )
        rule = cur.fetchone()
        pending = rule is not None and total > rule[0]
        contact, phone, province, province_name, city, district, detail = buyer.address
        cur.execute(
            """INSERT INTO orders_checkout (buyer_id, idempotency_key, created_by_id, contact_name,
                   contact_phone, province_code, province_name, city_name, district_name,
                   address_detail, total, approval_status, approval_reason, approval_deadline, created_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', NULL, %s) RETURNING id""",
            [
                buyer.id,
                key,
                user_id,
                contact,
                phone,
                province,
                province_name,
                city,
                district,
                detail,
                total,
                "pending" if pending else "not_required",
                now,
            ],
        )
        (checkout_id,) = cur.fetchone()  # type: ignore[misc]
        status = "awaiting_approval" if pending else "submitted"
        deadline = None if pending else now + dt.timedelta(minutes=30)
        orders: dict[int, int] = {}
        for supplier in suppliers:
            goods = _money(sum((prices[r[2]] * r[1] for r in lines if r[3] == supplier), Decimal(0)))
            cur.execute(
                """INSERT INTO orders_supplierorder (checkout_id, buyer_id, supplier_id, number, status,
                       payment_status, freight, goods_total, on_account, cancel_reason, reject_reason,
                       submitted_at, payment_deadline, created_at, updated_at)
                   VALUES (%s, %s, %s, %s, %s, 'unpaid', NULL, %s, false, '', '', %s, %s, %s, %s)
                   RETURNING id""",
                [
                    checkout_id,
                    buyer.id,
                    supplier,
                    f"TMP-{uuid.uuid4().hex}",
                    status,
                    goods,
                    None if pending else now,
                    deadline,
                    now,
                    now,
                ],
            )
            (order_id,) = cur.fetchone()  # type: ignore[misc]
            cur.execute(
                "UPDATE orders_supplierorder SET number = %s WHERE id = %s",
                [f"SO{today:%Y%m%d}-{order_id:06d}", order_id],
            )
            orders[supplier] = order_id
        line_ids: dict[int, int] = {}
        for row in lines:
            _cl, quantity, offer_id, supplier, part_id, grade, _price, sku, mto, lead, number, name, brand = (
                row[:13]
            )
            unit = prices[offer_id]
            cur.execute(
                """INSERT INTO orders_orderline (order_id, offer_id, part_id, grade, sku, part_number,
                       part_name, brand_name, quantity, unit_price, vat_rate, price_source,
                       price_ref_type, price_ref_id, price_ref_label, discount, commission_rate, amount,
                       made_to_order, lead_time_days, shipped_quantity, returned_quantity)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0.13, 'standard', '', NULL, '', 0,
                           NULL, %s, %s, %s, 0, 0) RETURNING id""",
                [
                    orders[supplier],
                    offer_id,
                    part_id,
                    grade,
                    sku,
                    number,
                    name,
                    brand,
                    quantity,
                    unit,
                    _money(unit * quantity),
                    mto,
                    lead,
                ],
            )
            (line_ids[offer_id],) = cur.fetchone()  # type: ignore[misc]
        for order_id in orders.values():
            cur.execute(
                """INSERT INTO orders_orderevent (order_id, actor_id, from_status, to_status,
                       from_payment_status, to_payment_status, reason, created_at)
                   VALUES (%s, %s, '', %s, '', 'unpaid', '', %s)""",
                [order_id, user_id, status, now],
            )
        cur.execute("DELETE FROM orders_cartline WHERE id = ANY(%s)", [[row[0] for row in lines]])
        cur.execute("UPDATE orders_cart SET updated_at = %s WHERE id = %s", [now, cart_id])
        if not buyer.ordered_before:
            cur.execute(
                "UPDATE organizations_organization SET first_order_at = %s"
                " WHERE id = %s AND first_order_at IS NULL",
                [now, buyer.id],
            )
        stocked = [row for row in lines if not row[8]]
        if stocked:
            _reserve(conn, cur, stocked, line_ids, orders, province, user_id, now)
        return int(checkout_id)


def _prices(
    cur: psycopg.Cursor,
    buyer: Buyer,
    lines: list[Any],
    offer_ids: list[int],
    suppliers: list[int],
    day: dt.date,
) -> dict[int, Decimal]:
    """Contract line → group price → standard, with the resolver's three look-ups."""
    cur.execute(
        """SELECT cp.offer_id, cp.min_quantity, cp.price FROM pricing_contractprice cp
           JOIN pricing_contractpricelist l ON l.id = cp.price_list_id
           WHERE l.buyer_id = %s AND l.is_active AND l.valid_from <= %s
             AND (l.valid_until IS NULL OR l.valid_until >= %s) AND cp.offer_id = ANY(%s)""",
        [buyer.id, day, day, offer_ids],
    )
    contract: dict[int, list[tuple[int, Decimal]]] = {}
    for offer_id, minimum, price in cur.fetchall():
        contract.setdefault(offer_id, []).append((minimum, price))
    cur.execute(
        """SELECT g.id, g.discount_percent FROM pricing_customergroup g
           WHERE g.supplier_id = ANY(%s) AND g.is_active AND (
             (g.basis = 'members' AND EXISTS (SELECT 1 FROM pricing_customergroupmember m
                                              WHERE m.group_id = g.id AND m.buyer_id = %s))
             OR (g.basis = 'tier' AND g.tier = %s))""",
        [suppliers, buyer.id, buyer.tier],
    )
    groups = cur.fetchall()
    fixed: dict[int, Decimal] = {}
    if groups:
        cur.execute(
            "SELECT offer_id, MIN(price) FROM pricing_groupprice"
            " WHERE group_id = ANY(%s) AND offer_id = ANY(%s) GROUP BY offer_id",
            [[g[0] for g in groups], offer_ids],
        )
        fixed = dict(cur.fetchall())
    prices: dict[int, Decimal] = {}
    for row in lines:
        quantity, offer_id, standard = row[1], row[2], row[6]
        breaks = [price for minimum, price in contract.get(offer_id, []) if minimum <= quantity]
        if breaks:
            prices[offer_id] = breaks[-1]
        elif offer_id in fixed:
            prices[offer_id] = min(fixed[offer_id], standard)
        else:
            prices[offer_id] = _money(standard)
    return prices


def _reserve(
    conn: psycopg.Connection,
    cur: psycopg.Cursor,
    stocked: list[Any],
    line_ids: dict[int, int],
    orders: dict[int, int],
    province: str,
    user_id: int | None,
    now: dt.datetime,
) -> None:
    keys = {(row[3], row[4], row[5]) for row in stocked}
    cur.execute(
        """SELECT s.id, s.on_hand, s.reserved, w.organization_id, s.part_id, s.grade, w.province_id
           FROM inventory_stocklevel s JOIN inventory_warehouse w ON w.id = s.warehouse_id
           WHERE w.organization_id = ANY(%s) AND w.is_active AND s.part_id = ANY(%s) AND s.grade = ANY(%s)
           ORDER BY s.id FOR UPDATE OF s""",
        [sorted({k[0] for k in keys}), sorted({k[1] for k in keys}), sorted({k[2] for k in keys})],
    )
    levels = [row for row in cur.fetchall() if (row[3], row[4], row[5]) in keys]
    free = {row[0]: row[1] - row[2] for row in levels}
    reserved_after = {row[0]: row[2] for row in levels}
    on_hand = {row[0]: row[1] for row in levels}
    plan: list[tuple[int, int, int, str]] = []  # level, line, quantity, order number
    for row in stocked:
        candidates = sorted(
            (lv for lv in levels if (lv[3], lv[4], lv[5]) == (row[3], row[4], row[5])),
            key=lambda lv: (proximity(lv[6], province), -free[lv[0]], lv[0]),
        )
        wanted = row[1]
        if sum(max(0, free[lv[0]]) for lv in candidates) < wanted:
            raise Shortage(row[7])
        for lv in candidates:
            take = min(wanted, free[lv[0]])
            if take <= 0:
                continue
            free[lv[0]] -= take
            wanted -= take
            plan.append((lv[0], line_ids[row[2]], take, str(orders[row[3]])))
            if not wanted:
                break
    with conn.pipeline():
        _write_reservations(cur, plan, on_hand, reserved_after, keys, user_id, now)


def _write_reservations(
    cur: psycopg.Cursor,
    plan: list[tuple[int, int, int, str]],
    on_hand: dict[int, int],
    reserved_after: dict[int, int],
    keys: set[tuple[int, int, str]],
    user_id: int | None,
    now: dt.datetime,
) -> None:
    for level_id, line_id, quantity, label in plan:
        reserved_after[level_id] += quantity
        cur.execute(
            """INSERT INTO inventory_stockreservation (stock_level_id, ref_type, ref_id, quantity, shipped,
                   released, created_at, updated_at) VALUES (%s, 'order_line', %s, %s, 0, 0, %s, %s)""",
            [level_id, line_id, quantity, now, now],
        )
        cur.execute(
            """INSERT INTO inventory_stockmovement (stock_level_id, kind, on_hand_delta,
                   reserved_delta, on_hand_after, reserved_after, ref_type, ref_id, ref_label, note,
                   created_by_id, created_at)
               VALUES (%s, 'reservation', 0, %s, %s, %s, 'order_line', %s, %s, '', %s, %s)""",
            [level_id, quantity, on_hand[level_id], reserved_after[level_id], line_id, label, user_id, now],
        )
    touched = sorted({p[0] for p in plan})
    cur.execute(
        """UPDATE inventory_stocklevel s SET reserved = v.reserved, updated_at = %s
           FROM unnest(%s::bigint[], %s::int[]) AS v(id, reserved) WHERE s.id = v.id""",
        [now, touched, [reserved_after[t] for t in touched]],
    )
    # The offers' available quantity, locked by primary key, as the inventory services keep it.
    cur.execute(
        """SELECT o.id FROM catalog_offer o WHERE (o.supplier_id, o.part_id, o.grade) IN
           (SELECT * FROM unnest(%s::int[], %s::int[], %s::text[])) ORDER BY o.id FOR UPDATE""",
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
    )
    cur.execute(
        """UPDATE catalog_offer o SET stock_quantity = GREATEST(0, a.available) FROM (
             SELECT w.organization_id, s.part_id, s.grade, SUM(s.on_hand - s.reserved) AS available
             FROM inventory_stocklevel s JOIN inventory_warehouse w ON w.id = s.warehouse_id
             WHERE w.is_active AND (w.organization_id, s.part_id, s.grade) IN
                   (SELECT * FROM unnest(%s::int[], %s::int[], %s::text[]))
             GROUP BY w.organization_id, s.part_id, s.grade) a
           WHERE o.supplier_id = a.organization_id AND o.part_id = a.part_id AND o.grade = a.grade
             AND o.stock_quantity <> GREATEST(0, a.available)""",
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
    )
