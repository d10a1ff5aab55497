"""Quick order: reading pasted lines and Excel, matching numbers to offers, adding picks."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from partsmall.catalog.models import Offer, ReviewStatus
from partsmall.catalog.tests.factories import OeNumberFactory, OfferFactory, PartFactory
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.orders import errors
from partsmall.orders.models import CartLine
from partsmall.orders.services.quick_order import (
    AMBIGUOUS,
    INVALID,
    MATCHED,
    MAX_ROWS,
    UNMATCHED,
    Pick,
    QuickRow,
    parse_text,
    parse_workbook,
    quick_order_add,
    quick_order_match,
    template_bytes,
)
from partsmall.orders.tests.factories import ShopFactory
from partsmall.organizations.models import Organization
from partsmall.pricing.models import PriceSource
from partsmall.pricing.tests.factories import ContractPriceFactory, ContractPriceListFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


# Reading -------------------------------------------------------------------------------------


def test_pasted_lines_take_any_usual_separator_and_default_to_one():
    rows = parse_text("90915-YZZD4, 10\n\n0986AF0134\t4\nABC-1，3\n90915 YZZD4 6\nXYZ\nQ1, 2.5\n, 3")

    assert rows == [
        QuickRow(1, "90915-YZZD4", 10),
        QuickRow(3, "0986AF0134", 4),
        QuickRow(4, "ABC-1", 3),
        QuickRow(5, "90915 YZZD4", 6),
        QuickRow(6, "XYZ", 1),
        QuickRow(7, "Q1", None, "第 7 行：数量「2.5」不是正整数。"),
        QuickRow(8, "", None, "第 8 行：缺少 OE号或零件号。"),
    ]


def test_nothing_pasted_or_too_many_lines_is_refused():
    with pytest.raises(ApplicationError) as empty:
        parse_text(" \n ")
    with pytest.raises(ApplicationError) as many:
        parse_text("\n".join(f"N{i}, 1" for i in range(MAX_ROWS + 1)))

    assert (empty.value.message, empty.value.field) == (errors.QUICK_ORDER_EMPTY, "text")
    assert str(many.value.message) == f"一次最多 {MAX_ROWS} 行。"


def test_a_workbook_is_read_from_its_first_two_columns_after_the_header():
    upload = _xlsx(
        [["OE号/零件号", "数量"], ["90915-YZZD4", 10], [None, None], ["0986AF0134", 4.0], ["X", "abc"]]
    )

    rows = parse_workbook(upload)

    assert rows == [
        QuickRow(2, "90915-YZZD4", 10),
        QuickRow(4, "0986AF0134", 4),
        QuickRow(5, "X", None, "第 5 行：数量「abc」不是正整数。"),
    ]


def test_a_file_that_is_no_workbook_is_refused_naming_the_field():
    with pytest.raises(ApplicationError) as caught:
        parse_workbook(io.BytesIO(b"not a workbook"))

    assert (caught.value.message, caught.value.field) == (errors.QUICK_ORDER_FILE, "file")


def test_the_template_reads_back_as_its_own_example():
    workbook = load_workbook(io.BytesIO(template_bytes()))

    assert [c.value for c in workbook.worksheets[0][1]] == ["OE号/零件号", "数量"]
    assert parse_workbook(io.BytesIO(template_bytes())) == [
        QuickRow(2, "90915-YZZD4", 10),
        QuickRow(3, "0986AF0134", 4),
    ]


# Matching ------------------------------------------------------------------------------------


@pytest.fixture
def shop() -> Organization:
    return ShopFactory.create()


def test_numbers_match_by_part_number_or_oe_number_whatever_the_spelling(shop):
    filter_part = PartFactory.create(number="04152-YZZA1")
    OeNumberFactory.create(part=filter_part, number="90915-YZZD4")
    single = OfferFactory.create(part=filter_part, stock_quantity=0)
    pads = PartFactory.create(number="0986AF0134")
    cheap = OfferFactory.create(part=pads, price=Decimal("20.00"), stock_quantity=0)
    dear = OfferFactory.create(part=pads, price=Decimal("30.00"), stock_quantity=0)
    PartFactory.create(number="NO-OFFERS")
    rows = parse_text("９０９１５ｙｚｚｄ４, 2\n0986-af-0134, 4\nno offers\nUNKNOWN-1\nX, 0")

    matches = quick_order_match(buyer=shop, rows=rows)

    assert [m.status for m in matches] == [MATCHED, AMBIGUOUS, UNMATCHED, UNMATCHED, INVALID]
    assert matches[0].chosen is not None
    assert matches[0].chosen.offer == single
    assert [o.offer for o in matches[1].options] == [cheap, dear]
    assert [m.message for m in matches[2:4]] == ["暂无供应商在售", "未找到该编号的配件"]


def test_matching_shows_the_buyers_own_price_and_skips_what_it_cannot_buy(shop):
    part = PartFactory.create(number="A-1")
    contract = OfferFactory.create(part=part, price=Decimal("100.00"), stock_quantity=0)
    price_list = ContractPriceListFactory.create(supplier=contract.supplier, buyer=shop, valid_until=None)
    price_list.valid_from = price_list.valid_from.replace(year=2020)
    price_list.save()
    ContractPriceFactory.create(price_list=price_list, offer=contract, price=Decimal("60.00"))
    OfferFactory.create(part=part, is_listed=False)
    OfferFactory.create(part=part, supplier__status=Organization.Status.SUSPENDED)
    PartFactory.create(number="A-1", review_status=ReviewStatus.REJECTED)

    (match,) = quick_order_match(buyer=shop, rows=parse_text("A-1, 1"))

    assert match.status == MATCHED
    option = match.options[0]
    assert (option.offer, option.price.unit_price, option.price.source) == (
        contract,
        Decimal("60.00"),
        PriceSource.CONTRACT,
    )


def test_matching_reads_a_constant_number_of_statements(shop, django_assert_max_num_queries):
    numbers = []
    for i in range(20):
        part = PartFactory.create(number=f"Q-{i}")
        OeNumberFactory.create(part=part, number=f"OE-{i}")
        OfferFactory.create(part=part, stock_quantity=0)
        numbers.append(f"OE-{i}, {i % 3 + 1}")
    rows = parse_text("\n".join(numbers))

    with django_assert_max_num_queries(12):
        matches = quick_order_match(buyer=shop, rows=rows)

    assert {m.status for m in matches} == {MATCHED}


# Adding --------------------------------------------------------------------------------------


def test_picked_offers_go_into_the_cart_all_or_none(shop):
    good = OfferFactory.create(stock_quantity=0)
    moq = OfferFactory.create(min_order_quantity=10, stock_quantity=0)

    with pytest.raises(FieldErrors) as caught:
        quick_order_add(
            buyer=shop, by=None, picks=[Pick(1, good.pk, 2), Pick(2, moq.pk, 3), Pick(3, None, 1)]
        )

    assert set(caught.value.errors) == {"row_2", "row_3"}
    assert caught.value.errors["row_2"][0].startswith("第 2 行：「")
    assert "起订量为 10 件" in caught.value.errors["row_2"][0]
    assert caught.value.errors["row_3"] == ["第 3 行：请选择一个报价。"]
    assert not CartLine.objects.exists()

    added = quick_order_add(buyer=shop, by=None, picks=[Pick(1, good.pk, 2), Pick(2, moq.pk, 10)])

    assert added == 2
    assert sorted(CartLine.objects.values_list("offer_id", "quantity")) == sorted(
        [(good.pk, 2), (moq.pk, 10)]
    )
    assert Offer.objects.count() == 2
