"""Inventory pages with three actors: the member with STOCK_MANAGE (allowed), a colleague
without it (403), an outsider from another organization (404 on objects)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Actors, login_client
from partsmall.catalog.models import Grade, Offer
from partsmall.catalog.tests.factories import OfferFactory, PartFactory
from partsmall.catalog.tests.import_files import template_headers, upload, xlsx
from partsmall.inventory import errors
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, Stocktake, Warehouse
from partsmall.inventory.services import ReserveLine, stock_reserve
from partsmall.inventory.tests.factories import WarehouseFactory, stock_level_of, stock_offer
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import CITY, DISTRICT, PROVINCE, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(make_actors: Callable[..., Actors]) -> Actors:
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.WAREHOUSE, wrong_role=Role.SALES)


def _html(response) -> str:
    return response.content.decode()


def _offer(actors: Actors, **kwargs) -> Offer:
    return OfferFactory.create(supplier=actors.organization, stock_quantity=0, **kwargs)


LIST_PAGES = [
    "inventory:warehouses",
    "inventory:warehouse_create",
    "inventory:levels",
    "inventory:receive",
    "inventory:movements",
    "inventory:low_stock",
    "inventory:stocktakes",
    "inventory:imports",
    "inventory:import_upload",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_the_pages_open_for_the_keeper_and_refuse_a_colleague_without_stock_rights(actors, name):
    allowed = actors.member_client.get(reverse(name))
    refused = actors.colleague_client.get(reverse(name))

    assert (allowed.status_code, refused.status_code) == (200, 403)


def test_the_sidebar_has_the_stock_group_for_suppliers_and_shops(actors, make_actors):
    shop = make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.OWNER)

    supplier_page = _html(actors.member_client.get(reverse("inventory:levels")))
    shop_page = _html(shop.member_client.get(reverse("inventory:levels")))
    colleague_home = _html(actors.colleague_client.get(reverse("organizations:home")))

    assert reverse("inventory:imports") in supplier_page
    assert reverse("inventory:warehouses") in shop_page
    assert reverse("inventory:imports") not in shop_page
    assert reverse("inventory:levels") not in colleague_home


def test_a_warehouse_is_created_with_the_region_pickers(actors):
    client = actors.member_client
    body = {
        "name": "广州白云仓",
        "code": "gz01",
        "province": PROVINCE,
        "city": CITY,
        "district": DISTRICT,
        "address_detail": "太和镇 1 号",
        "is_active": "on",
    }

    response = client.post(reverse("inventory:warehouse_create"), body)

    assert response.status_code == 302
    warehouse = Warehouse.objects.get(organization=actors.organization)
    assert (warehouse.code, warehouse.province_id, warehouse.city_id, warehouse.district_id) == (
        "GZ01",
        PROVINCE,
        CITY,
        DISTRICT,
    )
    listing = _html(client.get(reverse("inventory:warehouses")))
    assert "广州白云仓" in listing
    assert "太和镇 1 号" in listing


def test_a_wrong_warehouse_form_names_each_field(actors):
    WarehouseFactory.create(organization=actors.organization, code="GZ01")

    response = actors.member_client.post(
        reverse("inventory:warehouse_create"), {"name": "", "code": "GZ01", "province": ""}
    )

    page = _html(response)
    assert response.status_code == 200
    assert 'data-testid="error-name"' in page
    assert str(errors.WAREHOUSE_NAME_REQUIRED) in page
    assert str(errors.WAREHOUSE_CODE_TAKEN) in page
    assert 'data-testid="error-province"' in page
    assert Warehouse.objects.filter(organization=actors.organization).count() == 1


def test_a_warehouse_is_edited_and_an_outsider_gets_404(actors):
    warehouse = WarehouseFactory.create(organization=actors.organization, name="旧名")
    url = reverse("inventory:warehouse_edit", args=[warehouse.pk])
    body = {
        "name": "新名",
        "code": warehouse.code,
        "province": warehouse.province_id,
        "city": warehouse.city_id,
        "district": warehouse.district_id or "",
    }

    outsider = actors.outsider_client.post(url, body)
    response = actors.member_client.post(url, body)

    assert (outsider.status_code, response.status_code) == (404, 302)
    warehouse.refresh_from_db()
    assert (warehouse.name, warehouse.is_active) == ("新名", False)


def test_stock_levels_filter_and_count_by_status(actors):
    offer = _offer(actors)
    stock_offer(offer, 2)
    empty = _offer(actors)
    stock_offer(empty, 1)
    stock_reserve(
        lines=[ReserveLine(offer=empty, quantity=1, ref_id=5)],
        ref_type="order_line",
        ref_label="SO-5",
        province_code=None,
        by=None,
    )
    url = reverse("inventory:levels")

    everything = _html(actors.member_client.get(url))
    out = _html(actors.member_client.get(url, {"status": "out_of_stock"}))
    by_number = _html(actors.member_client.get(url, {"keyword": offer.part.number}))

    assert 'data-testid="count-all">2<' in everything
    assert 'data-testid="count-out_of_stock">1<' in everything
    assert 'data-testid="count-low">2<' in everything
    assert empty.part.number in out
    assert offer.part.number not in out
    assert offer.part.number in by_number
    assert empty.part.number not in by_number


def test_a_level_is_adjusted_with_a_reason_and_refusals_name_the_field(actors):
    level = stock_level_of(actors.organization, quantity=5)
    url = reverse("inventory:level_adjust", args=[level.pk])

    missing_reason = actors.member_client.post(url, {"delta": "-2", "reason": ""})
    too_many = actors.member_client.post(url, {"delta": "-9", "reason": "丢失"})
    done = actors.member_client.post(url, {"delta": "-2", "reason": "包装破损"})
    outsider = actors.outsider_client.post(url, {"delta": "-1", "reason": "x"})
    colleague = actors.colleague_client.post(url, {"delta": "-1", "reason": "x"})

    assert missing_reason.status_code == 400
    assert str(errors.REASON_REQUIRED) in _html(missing_reason)
    assert too_many.status_code == 400
    assert str(errors.BELOW_ZERO % {"on_hand": 5}) in _html(too_many)
    assert (done.status_code, outsider.status_code, colleague.status_code) == (302, 404, 403)
    assert StockLevel.objects.get(pk=level.pk).on_hand == 3
    detail = _html(actors.member_client.get(reverse("inventory:level_detail", args=[level.pk])))
    assert "包装破损" in detail
    assert "−2" in detail


def test_a_level_threshold_puts_it_on_the_low_stock_list(actors):
    level = stock_level_of(actors.organization, quantity=30)
    low_url = reverse("inventory:low_stock")
    before = _html(actors.member_client.get(low_url))

    response = actors.member_client.post(
        reverse("inventory:level_threshold", args=[level.pk]), {"threshold": "40"}
    )

    assert response.status_code == 302
    assert f'data-testid="low-row-{level.pk}"' not in before
    assert f'data-testid="low-row-{level.pk}"' in _html(actors.member_client.get(low_url))


def test_goods_in_by_hand(actors):
    warehouse = WarehouseFactory.create(organization=actors.organization)
    part = PartFactory.create()
    body = {
        "warehouse": warehouse.pk,
        "brand": part.brand_id,
        "number": part.number,
        "grade": Grade.GENUINE,
        "quantity": "8",
        "note": "采购单 PO-1",
    }

    response = actors.member_client.post(reverse("inventory:receive"), body)
    unknown = actors.member_client.post(reverse("inventory:receive"), body | {"number": "NOPE"})

    assert response.status_code == 302
    level = StockLevel.objects.get(warehouse=warehouse)
    assert (level.part, level.grade, level.on_hand) == (part, Grade.GENUINE, 8)
    assert str(errors.PART_NOT_FOUND) in _html(unknown)
    assert StockMovement.objects.get().note == "采购单 PO-1"


def test_movements_show_their_references_and_filter_by_one(actors):
    offer = _offer(actors)
    stock_offer(offer, 3)
    stock_reserve(
        lines=[ReserveLine(offer=offer, quantity=2, ref_id=11)],
        ref_type="order_line",
        ref_label="SO20261203-000011",
        province_code=None,
        by=None,
    )
    url = reverse("inventory:movements")

    everything = _html(actors.member_client.get(url))
    one_order = _html(actors.member_client.get(url, {"ref": "000011"}))
    outsider = _html(actors.outsider_client.get(url))

    assert "SO20261203-000011" in everything
    assert "测试入库" in everything
    assert one_order.count('data-testid="movement-row-') == 1
    assert "SO20261203-000011" not in outsider


def test_a_stocktake_from_its_page(actors):
    level = stock_level_of(actors.organization, quantity=5)
    url = reverse("inventory:stocktake_new", args=[level.warehouse_id])

    form = actors.member_client.get(url)
    wrong = actors.member_client.post(url, {f"count_{level.pk}": "abc"})
    outsider = actors.outsider_client.post(url, {f"count_{level.pk}": "1"})
    done = actors.member_client.post(url, {f"count_{level.pk}": "4", "note": "月末盘点"})

    assert form.status_code == 200
    assert f'data-testid="count-{level.pk}"' in _html(form)
    assert wrong.status_code == 400
    assert f'data-testid="error-count-{level.pk}"' in _html(wrong)
    assert (outsider.status_code, done.status_code) == (404, 302)
    stocktake = Stocktake.objects.get()
    assert (stocktake.counted, stocktake.changed, StockLevel.objects.get(pk=level.pk).on_hand) == (1, 1, 4)
    detail = _html(actors.member_client.get(reverse("inventory:stocktake_detail", args=[stocktake.pk])))
    assert "月末盘点" in detail
    assert str(MovementKind.STOCKTAKE.label) in detail


def test_a_stock_sheet_is_uploaded_previewed_and_confirmed(actors, django_capture_on_commit_callbacks):
    offer = _offer(actors, sku="BS-1")
    WarehouseFactory.create(organization=actors.organization, code="GZ01")
    content = xlsx(template_headers("stock"), [["BS-1", "GZ01", 9]])
    client = actors.member_client

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(reverse("inventory:import_upload"), {"kind": "stock", "file": upload(content)})
    detail = client.get(uploaded["Location"])
    job_id = int(uploaded["Location"].rstrip("/").split("/")[-1])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("inventory:import_confirm", args=[job_id]))
    catalog_page = client.get(reverse("catalog_imports:detail", args=[job_id]))
    outsider = actors.outsider_client.get(reverse("inventory:import_detail", args=[job_id]))

    assert uploaded.status_code == 302
    assert "BS-1" in _html(detail)
    assert confirmed.status_code == 302
    assert Offer.objects.get(pk=offer.pk).stock_quantity == 9
    assert (catalog_page.status_code, outsider.status_code) == (403, 404)


def test_the_template_and_the_export_download(actors):
    template = actors.member_client.get(reverse("inventory:import_template"))
    export = actors.member_client.get(reverse("inventory:stock_export"))

    assert (template.status_code, export.status_code) == (200, 200)
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_repair_shop_keeps_its_own_warehouse(make_actors):
    shop = make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.WAREHOUSE, wrong_role=Role.TECHNICIAN)
    level = stock_level_of(shop.organization, quantity=2)

    own = shop.member_client.get(reverse("inventory:level_detail", args=[level.pk]))
    technician = shop.colleague_client.get(reverse("inventory:levels"))
    other_shop = shop.outsider_client.get(reverse("inventory:level_detail", args=[level.pk]))
    keeper = MembershipFactory.create(organization=shop.organization, role=Role.OWNER)
    imports = login_client(keeper).get(reverse("inventory:imports"))

    assert (own.status_code, technician.status_code, other_shop.status_code) == (200, 403, 404)
    assert imports.status_code == 200
    assert 'data-testid="import-new"' not in _html(imports)


def test_anonymous_visitors_log_in_first():
    assert Client().get(reverse("inventory:levels")).status_code == 302
