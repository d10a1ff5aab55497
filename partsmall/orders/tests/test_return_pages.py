"""After-sales pages with three actors: the buyer requests a return with photos, disputes,
ships back; the supplier approves, rejects, receives; operators arbitrate and read the
"doesn't fit" counts; photos are shown to the two parties and operators only."""

import pytest
from django.urls import reverse

from conftest import login_client
from partsmall.catalog.tests.factories import FitmentFactory
from partsmall.orders.models import ReturnRequest, SupplierOrder
from partsmall.orders.services import returns
from partsmall.orders.tests.lifecycle_helpers import delivered, placed_order, warehouse_of
from partsmall.orders.tests.test_returns import photo
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory
from partsmall.vehicles.models import VehicleType

pytestmark = pytest.mark.django_db

RStatus = ReturnRequest.Status


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def operators(make_actors):
    return make_actors(kind=Organization.Kind.PLATFORM, role=Role.PLATFORM_OPERATOR)


@pytest.fixture
def order(suppliers, shops) -> SupplierOrder:
    return delivered(placed_order(supplier=suppliers.organization, buyer=shops.organization, quantities=(4,)))


def _request(order: SupplierOrder, **kwargs: object) -> ReturnRequest:
    values = {"quantity": 1, "reason": ReturnRequest.Reason.DAMAGED, "photos": [photo()], "by": None} | kwargs
    return returns.return_request_create(line=order.lines.get(), **values)  # type: ignore[arg-type]


def test_the_order_page_offers_a_return_per_delivered_line(shops, order):
    line = order.lines.get()

    html = _html(shops.member_client.get(reverse("orders:purchase_order", args=[order.pk])))

    assert f'data-testid="line-return-{line.pk}"' in html


def test_request_a_return_with_photos(shops, order):
    line = order.lines.get()
    fitment = FitmentFactory.create(part=line.part)
    url = reverse("orders:purchase_return_create", args=[line.pk])

    form = shops.member_client.get(url)
    response = shops.member_client.post(
        url,
        {
            "quantity": "2",
            "reason": "doesnt_fit",
            "fitment": str(fitment.pk),
            "description": "装不上，孔位不对",
            "photos": [photo("1.jpg"), photo("2.png", "PNG")],
        },
    )

    created = ReturnRequest.objects.get()
    assert form.status_code == 200
    assert f'value="{fitment.pk}"' in _html(form)
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:purchase_return", args=[created.pk])
    assert (created.quantity, created.reason, created.fitment, created.status) == (
        2,
        "doesnt_fit",
        fitment,
        RStatus.REQUESTED,
    )
    assert created.photos.count() == 2


def test_request_errors_are_named_under_their_fields(shops, order):
    url = reverse("orders:purchase_return_create", args=[order.lines.get().pk])

    response = shops.member_client.post(url, {"quantity": "9", "reason": "", "description": ""})

    html = _html(response)
    assert response.status_code == 400
    for field in ("quantity", "reason", "photos"):
        assert f'data-testid="error-{field}"' in html
    assert "最多还能退 4 件" in html
    assert not ReturnRequest.objects.exists()


def test_request_three_actors(shops, order):
    url = reverse("orders:purchase_return_create", args=[order.lines.get().pk])

    assert shops.colleague_client.get(url).status_code == 403
    assert shops.outsider_client.get(url).status_code == 404
    assert (
        shops.outsider_client.post(
            url, {"quantity": "1", "reason": "damaged", "photos": [photo()]}
        ).status_code
        == 404
    )
    assert not ReturnRequest.objects.exists()


def test_return_lists_show_each_party_its_own(shops, suppliers, order):
    mine = _request(order)
    theirs = _request(delivered(placed_order()))

    buyer = _html(shops.member_client.get(reverse("orders:purchase_returns")))
    supplier = _html(suppliers.member_client.get(reverse("orders:sales_returns")))
    outsider_shop = _html(shops.outsider_client.get(reverse("orders:purchase_returns")))
    outsider_supplier = _html(suppliers.outsider_client.get(reverse("orders:sales_returns")))

    assert f'data-testid="return-row-{mine.pk}"' in buyer
    assert f'data-testid="return-row-{theirs.pk}"' not in buyer
    assert f'data-testid="return-row-{mine.pk}"' in supplier
    assert f'data-testid="return-row-{theirs.pk}"' not in supplier
    assert f'data-testid="return-row-{mine.pk}"' not in outsider_shop
    assert f'data-testid="return-row-{mine.pk}"' not in outsider_supplier


def test_supplier_approves_buyer_ships_back_supplier_receives(shops, suppliers, order):
    request = _request(order, quantity=2)
    warehouse = warehouse_of(order)

    page = _html(suppliers.member_client.get(reverse("orders:sales_return", args=[request.pk])))
    assert (
        suppliers.colleague_client.post(reverse("orders:sales_return_approve", args=[request.pk])).status_code
        == 403
    )
    suppliers.member_client.post(reverse("orders:sales_return_approve", args=[request.pk]))
    shops.member_client.post(
        reverse("orders:purchase_return_ship_back", args=[request.pk]),
        {"carrier": "顺丰速运", "tracking_number": "SF9"},
    )
    clerk = MembershipFactory.create(organization=suppliers.organization, role=Role.WAREHOUSE)
    received = login_client(clerk).post(
        reverse("orders:sales_return_receive", args=[request.pk]), {"warehouse": warehouse.pk}
    )

    request.refresh_from_db()
    line = order.lines.get()
    assert 'data-testid="return-approve"' in page
    assert received.status_code == 302
    assert (request.status, request.carrier, request.warehouse) == (RStatus.RECEIVED, "顺丰速运", warehouse)
    assert line.returned_quantity == 2


def test_receive_without_a_warehouse_is_named(suppliers, order):
    request = _request(order)
    returns.return_approve(request=request, by=None)
    returns.return_ship_back(request=request, carrier="德邦", by=None)

    response = suppliers.member_client.post(
        reverse("orders:sales_return_receive", args=[request.pk]), {"warehouse": ""}
    )

    assert response.status_code == 400
    assert 'data-testid="error-warehouse"' in _html(response)


def test_rejection_dispute_and_arbitration(shops, suppliers, operators, order):
    request = _request(order)

    empty = suppliers.member_client.post(
        reverse("orders:sales_return_reject", args=[request.pk]), {"reason": ""}
    )
    suppliers.member_client.post(
        reverse("orders:sales_return_reject", args=[request.pk]), {"reason": "人为损坏"}
    )
    shops.member_client.post(
        reverse("orders:purchase_return_dispute", args=[request.pk]), {"reason": "收货即损坏"}
    )
    queue = _html(operators.member_client.get(reverse("orders:platform_returns")))
    bad = operators.member_client.post(
        reverse("orders:platform_return_arbitrate", args=[request.pk]), {"decision": "", "reason": ""}
    )
    decided = operators.member_client.post(
        reverse("orders:platform_return_arbitrate", args=[request.pk]),
        {"decision": "approve", "reason": "签收记录有破损备注"},
    )

    request.refresh_from_db()
    assert empty.status_code == 400
    assert 'data-testid="error-reason"' in _html(empty)
    assert f'data-testid="return-row-{request.pk}"' in queue
    assert bad.status_code == 400
    assert 'data-testid="error-decision"' in _html(bad)
    assert decided.status_code == 302
    assert request.status == RStatus.APPROVED
    assert operators.colleague_client.get(reverse("orders:platform_returns")).status_code == 403


def test_return_detail_three_actors(shops, suppliers, order):
    request = _request(order)

    assert shops.member_client.get(reverse("orders:purchase_return", args=[request.pk])).status_code == 200
    assert shops.outsider_client.get(reverse("orders:purchase_return", args=[request.pk])).status_code == 404
    assert suppliers.outsider_client.get(reverse("orders:sales_return", args=[request.pk])).status_code == 404
    assert shops.member_client.get(reverse("orders:sales_return", args=[request.pk])).status_code == 403


def test_photos_are_served_to_the_parties_and_operators_only(shops, suppliers, operators, order):
    request = _request(order)
    url = reverse("orders:return_photo", args=[request.photos.get().pk])

    assert shops.member_client.get(url).status_code == 200
    assert shops.member_client.get(url)["Content-Type"] == "image/jpeg"
    assert suppliers.member_client.get(url).status_code == 200
    assert operators.member_client.get(url).status_code == 200
    assert shops.outsider_client.get(url).status_code == 404
    assert suppliers.outsider_client.get(url).status_code == 404


def test_doesnt_fit_page_counts_per_part_and_fitment(operators, order):
    line = order.lines.get()
    fitment = FitmentFactory.create(part=line.part)
    _request(order, reason=ReturnRequest.Reason.DOESNT_FIT, fitment=fitment, quantity=2)

    response = operators.member_client.get(reverse("orders:platform_doesnt_fit"))

    html = _html(response)
    assert response.status_code == 200
    assert f'data-testid="doesnt-fit-part-{line.part_id}"' in html
    assert f'data-testid="doesnt-fit-fitment-{fitment.pk}"' in html
    assert VehicleType.objects.get(pk=fitment.vehicle_type_id).label in html
