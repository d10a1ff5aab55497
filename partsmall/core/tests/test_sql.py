"""core.sql writes what the ORM would write, on SQLite and PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from partsmall.core import sql
from partsmall.orders.models import SupplierOrder
from partsmall.orders.tests.factories import CheckoutFactory, SupplierOrderFactory

pytestmark = pytest.mark.django_db

COMPARED = ("status", "payment_status", "freight", "goods_total", "on_account", "submitted_at", "number")


def _order(checkout, supplier, number: str) -> SupplierOrder:
    return SupplierOrder(
        checkout=checkout,
        buyer=checkout.buyer,
        supplier=supplier,
        number=number,
        goods_total=Decimal("1234.50"),
        freight=None,
        submitted_at=timezone.now().replace(microsecond=123456),
    )


def test_insert_objects_writes_the_row_save_writes_and_gives_the_primary_keys():
    checkout = CheckoutFactory.create()
    saved = _order(checkout, SupplierOrderFactory.create().supplier, "SO-SAVED")
    saved.submitted_at = timezone.now().replace(microsecond=123456)
    saved.save()
    made = [_order(checkout, saved.supplier, f"SO-FAST-{n}") for n in range(3)]
    made[1].submitted_at = saved.submitted_at
    made[1].on_account = True

    sql.insert_objects(made)

    assert [o.pk for o in made] == sorted(o.pk for o in made)
    assert all(not o._state.adding for o in made)
    for order in made:
        read = SupplierOrder.objects.get(pk=order.pk)
        assert read.number == order.number
        assert read.created_at is not None
        assert read.updated_at is not None
    read = SupplierOrder.objects.get(pk=made[1].pk)
    reference = SupplierOrder.objects.get(pk=saved.pk)
    expected = {k: v for k, v in model_to_dict(reference).items() if k in COMPARED and k != "number"}
    assert {k: v for k, v in model_to_dict(read).items() if k in expected} == {
        **expected,
        "on_account": True,
    }
    # Datetimes are stored as the ORM stores them: filtering on them finds the row.
    assert SupplierOrder.objects.filter(pk=made[1].pk, submitted_at=saved.submitted_at).exists()


def test_insert_objects_of_nothing_writes_nothing():
    assert sql.insert_objects([]) == []


def test_update_objects_writes_the_fields_by_primary_key_and_refuses_what_is_not_a_column():
    orders = SupplierOrderFactory.create_batch(3)
    orders[0].number, orders[2].number = "SO-A", "SO-C"
    orders[2].goods_total = Decimal("9.99")

    sql.update_objects([orders[0], orders[2]], ["number", "goods_total"])

    numbers = dict(SupplierOrder.objects.values_list("pk", "number"))
    assert numbers[orders[0].pk] == "SO-A"
    assert numbers[orders[2].pk] == "SO-C"
    assert numbers[orders[1].pk] == orders[1].number
    assert SupplierOrder.objects.get(pk=orders[2].pk).goods_total == Decimal("9.99")
    with pytest.raises(TypeError):
        sql.update_objects(orders, ["lines"])


@pytest.mark.parametrize("wanted", [[], [0], [0, 2], [0, 1, 2]])
def test_is_in_matches_exactly_the_values_given(wanted):
    orders = SupplierOrderFactory.create_batch(3)
    condition, params = sql.is_in("id", [orders[i].pk for i in wanted])

    rows = sql.fetch_all(f"SELECT id FROM orders_supplierorder WHERE {condition} ORDER BY id", params)

    assert [r[0] for r in rows] == [orders[i].pk for i in wanted]


def test_is_in_is_one_text_on_postgresql_whatever_the_number_of_values():
    texts = {sql.is_in("id", list(range(n)))[0] for n in (1, 2, 5)}
    assert len(texts) == (1 if connection.vendor == "postgresql" else 3)


def test_send_runs_a_statement_and_fetch_all_reads_what_matches():
    order = SupplierOrderFactory.create()
    sql.send("UPDATE orders_supplierorder SET number = %s WHERE id = %s", ["SO-X", order.pk], rows=False)
    assert sql.fetch_all("SELECT number FROM orders_supplierorder WHERE id = %s", [order.pk]) == [("SO-X",)]
    assert sql.fetch_all("SELECT number FROM orders_supplierorder WHERE id = %s", [-1]) == []


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
def test_decimal_reads_back_what_a_money_column_holds(value):
    assert sql.decimal(value) == value
    assert sql.decimal(float(value)) == value  # SQLite's float for a NUMERIC column
    assert sql.decimal(str(value)) == value


def test_date_reads_sqlite_text_and_dates_and_refuses_anything_else():
    assert sql.date("2026-12-03") == dt.date(2026, 12, 3)
    assert sql.date(dt.date(2026, 12, 3)) == dt.date(2026, 12, 3)
    with pytest.raises(TypeError):
        sql.date(20261203)
