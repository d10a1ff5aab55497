"""Where a price came from, as each side may read it: the supplier sees its customer group
or contract by name; the buyer sees the kind of price and its own contract, never the
name or id of the supplier's customer group (pages, exports, API)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partsmall.orders.buying_apis import CartPriceSerializer
from partsmall.orders.models import OrderLine, SupplierOrder
from partsmall.orders.tests.lifecycle_helpers import placed_order
from partsmall.pricing.models import PriceSource
from partsmall.pricing.resolver import ResolvedPrice

pytestmark = pytest.mark.django_db

GROUP = "华南连锁门店 (优惠 5%)"
CONTRACT = "2026 年度协议价 (≥1 件)"


@pytest.fixture
def order(suppliers, shops) -> SupplierOrder:
    """Three lines: a customer group's price, a contract's, the standard price."""
    made = placed_order(supplier=suppliers.organization, buyer=shops.organization, quantities=(1, 2, 3))
    grouped, contracted, _standard = made.lines.order_by("id")
    OrderLine.objects.filter(pk=grouped.pk).update(
        price_source=PriceSource.GROUP, price_ref_type="customer_group", price_ref_id=7, price_ref_label=GROUP
    )
    OrderLine.objects.filter(pk=contracted.pk).update(
        price_source=PriceSource.CONTRACT,
        price_ref_type="contract_price",
        price_ref_id=9,
        price_ref_label=CONTRACT,
    )
    return made


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_order_page_names_the_group_to_the_supplier_only(suppliers, shops, order):
    grouped, contracted, standard = order.lines.order_by("id")

    buyer = _html(shops.member_client, reverse("orders:purchase_order", args=[order.pk]))
    supplier = _html(suppliers.member_client, reverse("orders:sales_order", args=[order.pk]))

    assert GROUP not in buyer
    assert f'data-testid="line-price-source-{grouped.pk}">客户组价<' in buyer
    assert f'data-testid="line-price-source-{contracted.pk}">协议价 · {CONTRACT}<' in buyer
    assert f'data-testid="line-price-source-{standard.pk}">标准价<' in buyer
    assert f'data-testid="line-price-source-{grouped.pk}">客户组价 · {GROUP}<' in supplier
    assert f'data-testid="line-price-source-{contracted.pk}">协议价 · {CONTRACT}<' in supplier


def _line_sources(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("价格来源")
    return sorted(str(row[column]) for row in rows[1:])


def test_the_exports_name_the_group_to_the_supplier_only(suppliers, shops, order):
    buyer = shops.member_client.get(reverse("orders:purchase_orders_export"))
    supplier = suppliers.member_client.get(reverse("orders:sales_orders_export"))

    assert _line_sources(buyer.content) == sorted(["客户组价", f"协议价 · {CONTRACT}", "标准价"])
    assert _line_sources(supplier.content) == sorted(
        [f"客户组价 · {GROUP}", f"协议价 · {CONTRACT}", "标准价"]
    )


def _refs(lines: list[dict]) -> list[tuple]:
    return [
        (line["price_source"], line["price_ref_type"], line["price_ref_id"], line["price_ref_label"])
        for line in lines
    ]


def test_the_buyers_api_keeps_the_group_reference_the_suppliers_shows_it(suppliers, shops, order):
    buyer = shops.member_client.get(f"/api/v1/purchase/orders/{order.pk}/").json()
    supplier = suppliers.member_client.get(f"/api/v1/sales/orders/{order.pk}/").json()

    assert _refs(buyer["lines"]) == [
        ("group", "", None, ""),
        ("contract", "contract_price", 9, CONTRACT),
        ("standard", "", None, ""),
    ]
    assert _refs(supplier["lines"])[0] == ("group", "customer_group", 7, GROUP)


def test_the_checkout_api_keeps_the_group_reference(shops, order):
    checkout = order.checkout

    body = shops.member_client.get(reverse("api-checkout", args=[checkout.pk])).json()

    [answered] = body["orders"]
    assert GROUP not in str(body)
    assert _refs(answered["lines"])[:2] == [
        ("group", "", None, ""),
        ("contract", "contract_price", 9, CONTRACT),
    ]


def test_the_cart_price_shows_a_contract_and_hides_a_group():
    group = ResolvedPrice(Decimal("9.50"), PriceSource.GROUP, "customer_group", 7, GROUP)
    contract = ResolvedPrice(Decimal("9.00"), PriceSource.CONTRACT, "contract_price", 9, CONTRACT)

    assert CartPriceSerializer(group).data == {
        "unit_price": "9.50",
        "source": "group",
        "ref_type": "",
        "ref_id": None,
        "ref_label": "",
    }
    assert CartPriceSerializer(contract).data["ref_label"] == CONTRACT
