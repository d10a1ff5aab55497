"""Order pages with three actors: the supplier's sales orders (to confirm, to ship, all,
ship form, export), the buyer's purchase orders (cancel, declare a transfer, confirm
delivery, export), platform finance's offline payments. A supplier sees only its own
orders, a shop only its own; another's order answers 404."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login_client
from partsmall.orders.models import OrderEvent, Shipment, SupplierOrder
from partsmall.orders.tests.lifecycle_helpers import confirmed, paid, placed_order, shipped, warehouse_of
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = SupplierOrder.Status
Payment = SupplierOrder.PaymentStatus


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def order(suppliers, shops) -> SupplierOrder:
    return placed_order(supplier=suppliers.organization, buyer=shops.organization, quantities=(2, 3))


@pytest.fixture
def finance(make_actors):
    return make_actors(
        kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_FINANCE, wrong_role=Role.PLATFORM_OPERATOR
    )


# --- Supplier ---------------------------------------------------------------------------------


def test_sales_orders_three_actors(suppliers, order):
    theirs = placed_order(supplier=suppliers.other_organization)
    url = reverse("orders:sales_orders")

    member = suppliers.member_client.get(url)
    colleague = suppliers.colleague_client.get(url)
    outsider = suppliers.outsider_client.get(url)

    html = _html(member)
    assert member.status_code == 200
    assert f'data-testid="order-row-{order.pk}"' in html
    assert order.number in html
    assert theirs.number not in html
    assert "¥175.00" in html
    assert 'data-testid="count-all">1<' in html
    assert colleague.status_code == 200
    assert outsider.status_code == 200
    assert order.number not in _html(outsider)
    assert theirs.number in _html(outsider)


def test_a_shop_is_refused_the_sales_pages(shops, order):
    assert shops.member_client.get(reverse("orders:sales_orders")).status_code == 403
    assert shops.member_client.get(reverse("orders:sales_order", args=[order.pk])).status_code == 403


def test_to_confirm_and_to_ship_tabs(suppliers, order):
    waiting_payment = placed_order(supplier=suppliers.organization)
    paid(order)

    to_confirm = _html(suppliers.member_client.get(reverse("orders:sales_to_confirm")))
    confirmed(order)
    to_ship = _html(suppliers.member_client.get(reverse("orders:sales_to_ship")))

    assert order.number in to_confirm
    assert waiting_payment.number not in to_confirm
    assert order.number in to_ship
    assert waiting_payment.number not in to_ship
    assert 'data-testid="count-awaiting_payment">1<' in to_ship


def test_sales_orders_filter_by_keyword_and_payment_status(suppliers, order):
    other = paid(placed_order(supplier=suppliers.organization))
    client = suppliers.member_client
    url = reverse("orders:sales_orders")

    by_number = _html(client.get(url, {"keyword": order.number}))
    by_payment = _html(client.get(url, {"payment_status": Payment.PAID}))

    assert order.number in by_number
    assert other.number not in by_number
    assert other.number in by_payment
    assert order.number not in by_payment


def test_sales_order_detail_shows_lines_and_events(suppliers, order):
    response = suppliers.member_client.get(reverse("orders:sales_order", args=[order.pk]))

    html = _html(response)
    assert response.status_code == 200
    for line in order.lines.all():
        assert f'data-testid="line-{line.pk}"' in html
    assert 'data-testid="event-history"' in html
    assert 'data-testid="order-confirm"' not in html  # unpaid: nothing to confirm yet
    assert 'data-testid="order-reject-open"' in html
    assert suppliers.outsider_client.get(reverse("orders:sales_order", args=[order.pk])).status_code == 404


def test_confirm_three_actors(suppliers, order):
    paid(order)
    url = reverse("orders:sales_order_confirm", args=[order.pk])

    colleague = suppliers.colleague_client.post(url)
    outsider = suppliers.outsider_client.post(url)
    order.refresh_from_db()
    untouched = order.status
    member = suppliers.member_client.post(url)

    order.refresh_from_db()
    assert (colleague.status_code, outsider.status_code, untouched) == (403, 404, Status.SUBMITTED)
    assert member.status_code == 302
    assert order.status == Status.CONFIRMED
    assert OrderEvent.objects.filter(order=order).last().actor == suppliers.member.user  # type: ignore[union-attr]


def test_confirming_an_unpaid_order_says_why(suppliers, order):
    response = suppliers.member_client.post(
        reverse("orders:sales_order_confirm", args=[order.pk]), follow=True
    )

    assert "只有已付款或账期订单才能确认" in _html(response)
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED


def test_reject_needs_a_reason_shown_under_the_field(suppliers, order):
    url = reverse("orders:sales_order_reject", args=[order.pk])

    empty = suppliers.member_client.post(url, {"reason": ""})
    done = suppliers.member_client.post(url, {"reason": "库存盘点有误，暂时无货"})

    assert empty.status_code == 400
    assert 'data-testid="error-reason"' in _html(empty)
    assert "请填写原因。" in _html(empty)
    assert done.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.reject_reason) == (Status.CANCELLED, "库存盘点有误，暂时无货")


def test_ship_form_partial_then_rest(suppliers, order):
    confirmed(order)
    url = reverse("orders:sales_order_ship", args=[order.pk])
    first, second = order.lines.order_by("id")
    warehouse = warehouse_of(order)

    form = suppliers.member_client.get(url)
    partial = suppliers.member_client.post(
        url,
        {
            "carrier": "顺丰速运",
            "tracking_number": "SF001",
            f"wh_{first.pk}": warehouse.pk,
            f"qty_{first.pk}": "2",
            f"wh_{second.pk}": warehouse.pk,
            f"qty_{second.pk}": "1",
        },
    )
    order.refresh_from_db()
    after_partial = order.status
    rest = suppliers.member_client.post(
        url, {"carrier": "顺丰速运", f"wh_{second.pk}": warehouse.pk, f"qty_{second.pk}": "2"}
    )

    order.refresh_from_db()
    assert form.status_code == 200
    assert f'data-testid="ship-line-{first.pk}"' in _html(form)
    assert partial.status_code == rest.status_code == 302
    assert after_partial == Status.PARTIALLY_SHIPPED
    assert order.status == Status.SHIPPED
    assert Shipment.objects.filter(order=order).count() == 2


def test_ship_form_errors_are_shown(suppliers, order):
    confirmed(order)
    first = order.lines.order_by("id").first()
    assert first is not None
    url = reverse("orders:sales_order_ship", args=[order.pk])

    no_carrier = suppliers.member_client.post(url, {"carrier": "", f"qty_{first.pk}": "1"})
    too_many = suppliers.member_client.post(
        url, {"carrier": "德邦", f"wh_{first.pk}": warehouse_of(order).pk, f"qty_{first.pk}": "9"}
    )

    assert no_carrier.status_code == too_many.status_code == 400
    assert 'data-testid="error-carrier"' in _html(no_carrier)
    assert "最多还能发 2 件" in _html(too_many)
    assert not Shipment.objects.exists()


def test_ship_three_actors(suppliers, order):
    confirmed(order)
    url = reverse("orders:sales_order_ship", args=[order.pk])

    assert suppliers.colleague_client.get(url).status_code == 403
    assert suppliers.outsider_client.get(url).status_code == 404
    warehouse_role = MembershipFactory.create(organization=suppliers.organization, role=Role.WAREHOUSE)
    assert login_client(warehouse_role).get(url).status_code == 200


def test_sales_export_holds_only_the_suppliers_orders(suppliers, order):
    theirs = placed_order(supplier=suppliers.other_organization)

    response = suppliers.member_client.get(reverse("orders:sales_orders_export"))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    orders, lines = book.worksheets
    numbers = [row[0] for row in orders.iter_rows(min_row=2, values_only=True)]
    assert numbers == [order.number]
    assert theirs.number not in numbers
    assert orders.cell(row=1, column=3).value == "采购方"
    assert orders.cell(row=2, column=3).value == order.buyer.name
    assert orders.cell(row=2, column=7).value == "运费另议"
    assert orders.cell(row=2, column=6).value == 175  # a number, not text
    skus = sorted(str(row[1]) for row in lines.iter_rows(min_row=2, values_only=True))
    assert skus == sorted(order.lines.values_list("sku", flat=True))


# --- Buyer ----------------------------------------------------------------------------------------


def test_purchase_orders_three_actors(shops, order):
    theirs = placed_order(buyer=shops.other_organization)
    url = reverse("orders:purchase_orders")

    member = _html(shops.member_client.get(url))
    outsider = _html(shops.outsider_client.get(url))

    assert order.number in member
    assert theirs.number not in member
    assert theirs.number in outsider
    assert order.number not in outsider
    assert shops.colleague_client.get(url).status_code == 200


def test_purchase_orders_status_filter(shops, order):
    cancelled = placed_order(buyer=shops.organization)
    shops.member_client.post(reverse("orders:purchase_order_cancel", args=[cancelled.pk]), {"reason": ""})

    closed_tab = _html(shops.member_client.get(reverse("orders:purchase_orders"), {"tab": "closed"}))
    by_status = _html(
        shops.member_client.get(reverse("orders:purchase_orders"), {"status": Status.SUBMITTED})
    )

    assert cancelled.number in closed_tab
    assert order.number not in closed_tab
    assert order.number in by_status
    assert cancelled.number not in by_status


def test_purchase_order_detail_and_its_actions(shops, order):
    url = reverse("orders:purchase_order", args=[order.pk])

    member = _html(shops.member_client.get(url))
    colleague = _html(shops.colleague_client.get(url))

    assert 'data-testid="order-cancel-open"' in member
    assert 'data-testid="order-declare-open"' in member
    assert 'data-testid="payment-deadline"' in member
    assert 'data-testid="order-cancel-open"' not in colleague  # finance may look, not act
    assert shops.outsider_client.get(url).status_code == 404


def test_an_order_awaiting_approval_points_to_its_checkout(shops):
    waiting = placed_order(buyer=shops.organization, status=Status.AWAITING_APPROVAL)

    html = _html(shops.member_client.get(reverse("orders:purchase_order", args=[waiting.pk])))

    assert 'data-testid="awaiting-approval"' in html
    assert reverse("orders:checkout_detail", args=[waiting.checkout_id]) in html
    assert 'data-testid="order-cancel-open"' not in html


def test_cancel_three_actors(shops, order):
    url = reverse("orders:purchase_order_cancel", args=[order.pk])

    assert shops.colleague_client.post(url).status_code == 403
    assert shops.outsider_client.post(url).status_code == 404
    response = shops.member_client.post(url, {"reason": "下错了"})

    order.refresh_from_db()
    assert response.status_code == 302
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "下错了")


def test_cancel_after_confirmation_is_refused_with_its_reason(shops, order):
    confirmed(order)

    response = shops.member_client.post(
        reverse("orders:purchase_order_cancel", args=[order.pk]), {"reason": ""}, follow=True
    )

    assert response.redirect_chain == [(reverse("orders:purchase_order", args=[order.pk]), 302)]
    assert "供应商确认后不能取消" in _html(response)
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


def test_declare_transfer_then_finance_marks_paid(shops, finance, order):
    shops.member_client.post(
        reverse("orders:purchase_order_declare_transfer", args=[order.pk]), {"note": "对公转账 ¥175"}
    )
    queue = finance.member_client.get(
        reverse("orders:platform_payments"), {"payment_status": "awaiting_confirmation"}
    )
    marked = finance.member_client.post(
        reverse("orders:platform_order_mark_paid", args=[order.pk]), {"next": "list"}
    )

    order.refresh_from_db()
    assert f'data-testid="payment-row-{order.pk}"' in _html(queue)
    assert marked.status_code == 302
    assert marked["Location"] == reverse("orders:platform_payments")
    assert order.payment_status == Payment.PAID
    assert OrderEvent.objects.filter(order=order).last().actor == finance.member.user  # type: ignore[union-attr]


def test_platform_order_page_and_transfer_rejection(finance, shops, order):
    shops.member_client.post(reverse("orders:purchase_order_declare_transfer", args=[order.pk]), {"note": ""})
    page = finance.member_client.get(reverse("orders:platform_order", args=[order.pk]))
    empty = finance.member_client.post(
        reverse("orders:platform_order_transfer_reject", args=[order.pk]), {"reason": ""}
    )
    done = finance.member_client.post(
        reverse("orders:platform_order_transfer_reject", args=[order.pk]), {"reason": "银行未到账"}
    )

    order.refresh_from_db()
    assert page.status_code == 200
    assert 'data-testid="order-mark-paid"' in _html(page)
    assert empty.status_code == 400
    assert "请填写原因。" in _html(empty)
    assert done.status_code == 302
    assert order.payment_status == Payment.UNPAID
    assert finance.colleague_client.get(reverse("orders:platform_payments")).status_code == 403


def test_confirm_delivery(shops, order):
    shipped(order)
    url = reverse("orders:purchase_order_confirm_delivery", args=[order.pk])

    assert shops.colleague_client.post(url).status_code == 403
    assert shops.outsider_client.post(url).status_code == 404
    shops.member_client.post(url)

    order.refresh_from_db()
    assert order.status == Status.DELIVERED


def test_purchase_export_holds_only_the_shops_orders(shops, order):
    theirs = placed_order(buyer=shops.other_organization)

    response = shops.member_client.get(reverse("orders:purchase_orders_export"))

    orders = load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = [row[0] for row in orders.iter_rows(min_row=2, values_only=True)]
    assert numbers == [order.number]
    assert theirs.number not in numbers
    assert orders.cell(row=1, column=3).value == "供应商"


def test_the_sidebars_list_the_order_pages(suppliers, shops, finance):
    supplier_home = _html(suppliers.member_client.get(reverse("orders:sales_orders")))
    shop_home = _html(shops.member_client.get(reverse("orders:purchase_orders")))
    finance_home = _html(finance.member_client.get(reverse("orders:platform_payments")))

    for name in ("sales_to_confirm", "sales_to_ship", "sales_orders", "sales_returns"):
        assert f'href="{reverse("orders:" + name)}"' in supplier_home
    for name in ("purchase_orders", "purchase_returns"):
        assert f'href="{reverse("orders:" + name)}"' in shop_home
    assert f'href="{reverse("orders:platform_payments")}"' in finance_home
