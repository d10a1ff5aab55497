"""The search index of parts (search.models.PartIndex) follows every change of a part,
whoever makes it: services, set-based updates, deletes (database triggers)."""

from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partsmall.catalog.indexing import refresh_offer_summary
from partsmall.catalog.models import Part, ReviewStatus
from partsmall.catalog.tests.factories import CategoryFactory, OfferFactory, PartFactory
from partsmall.search.models import PartIndex

COPIED = (
    "name",
    "category_id",
    "brand_id",
    "min_price",
    "fastest_lead_days",
    "in_stock",
    "supplier_count",
    "listed_grades",
)


def _expected() -> dict[int, tuple]:
    return {
        part.pk: (
            part.review_status != ReviewStatus.REJECTED,
            part.name.upper(),
            *(getattr(part, f) for f in COPIED),
        )
        for part in Part.objects.all()
    }


def _indexed() -> dict[int, tuple]:
    return {
        row.id: (row.visible, row.name_upper, *(getattr(row, f) for f in COPIED))
        for row in PartIndex.objects.all()
    }


def _assert_in_step() -> None:
    assert _indexed() == _expected()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalog_part p JOIN search_partindex i ON i.id = p.id"
                " WHERE i.tsv IS DISTINCT FROM strip(to_tsvector('simple', p.search_text))"
            )
            assert cursor.fetchone() == (0,)


def test_a_new_part_is_indexed_with_its_columns(db):
    part = PartFactory.create(name="机油滤清器", search_text="机油滤清器 jylq")

    row = PartIndex.objects.get(pk=part.pk)

    assert (row.visible, row.name, row.category_id, row.brand_id) == (
        True,
        "机油滤清器",
        part.category_id,
        part.brand_id,
    )
    _assert_in_step()


def test_set_based_updates_the_offer_summary_and_deletes_reach_the_index(db):
    parts = PartFactory.create_batch(3)
    OfferFactory.create(part=parts[0], price=Decimal("12.50"), stock_quantity=3)
    refresh_offer_summary([p.pk for p in parts])
    Part.objects.filter(pk=parts[1].pk).update(review_status=ReviewStatus.REJECTED, name="改名")
    Part.objects.filter(pk=parts[2].pk).delete()

    assert PartIndex.objects.get(pk=parts[0].pk).min_price == Decimal("12.50")
    assert PartIndex.objects.get(pk=parts[1].pk).visible is False
    assert not PartIndex.objects.filter(pk=parts[2].pk).exists()
    _assert_in_step()


CHANGES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),
        st.sampled_from(["name", "category", "review", "summary", "text", "delete", "create"]),
        st.integers(min_value=0, max_value=999),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=CHANGES)
def test_any_sequence_of_changes_leaves_the_index_equal_to_the_parts(db, changes):
    parts = list(Part.objects.all()[:4]) or PartFactory.create_batch(4)
    other_category = CategoryFactory.create()
    for index, change, n in changes:
        part = parts[index % len(parts)]
        rows = Part.objects.filter(pk=part.pk)
        if change == "name":
            rows.update(name=f"配件{n}")
        elif change == "category":
            rows.update(category=other_category)
        elif change == "review":
            rows.update(
                review_status=[ReviewStatus.APPROVED, ReviewStatus.PENDING, ReviewStatus.REJECTED][n % 3]
            )
        elif change == "summary":
            rows.update(
                min_price=Decimal(n) / 4 or None,
                in_stock=n % 2 == 0,
                supplier_count=n % 7,
                listed_grades=n % 16,
                fastest_lead_days=n % 30,
            )
        elif change == "text":
            rows.update(search_text=f"词{n} jy{n}")
        elif change == "delete":
            rows.delete()
            parts[index % len(parts)] = PartFactory.create()
        else:
            parts.append(PartFactory.create(name=f"新配件{n}"))
    _assert_in_step()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_the_sqlite_triggers_of_the_index_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_partindex%'"
        )
        found = {name for (name,) in cursor.fetchall()}

    assert found == {"search_partindex_insert", "search_partindex_update", "search_partindex_delete"}
