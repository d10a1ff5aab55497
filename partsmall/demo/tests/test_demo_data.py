"""The demo data, loaded once for the whole module (a load takes most of a minute):

- the platform, suppliers, repair shops, car owners, review queue and the logins that
  `load_demo` prints, and its refusal to load twice;
- the catalogue: real rows as the sources write them, generated rows plainly demo,
  offers from every demo supplier, and demo VINs that decode to their vehicle types;
- inventory, pricing and past orders (the sections below)."""

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from partsmall.accounts.models import Consent, User
from partsmall.catalog.models import Category, Fitment, Grade, OeNumber, Offer, Part, PartLink, ReviewStatus
from partsmall.catalog.normalize import normalize_number
from partsmall.core.money import to_money
from partsmall.core.validators import normalize_credit_code
from partsmall.demo import data
from partsmall.demo.catalog_data import DEMO_NAME_PREFIX, OE_PARTS_CSV, VEHICLES_CSV, demo_vins
from partsmall.demo.selectors import demo_logins
from partsmall.demo.services import DEMO_ALREADY_LOADED
from partsmall.inventory.models import MovementKind, StockLevel, StockMovement, StockReservation, Warehouse
from partsmall.inventory.selectors import invariant_violations
from partsmall.notifications.models import Message
from partsmall.orders.models import Address, OrderEvent, OrderLine, ReturnRequest, SupplierOrder
from partsmall.orders.services.timeouts import timeouts_run
from partsmall.organizations.models import Application, Membership, Organization, Region
from partsmall.organizations.roles import Role
from partsmall.pricing.models import ContractPriceList, CustomerGroup, ListStatus, PriceSource
from partsmall.pricing.resolver import resolve_price
from partsmall.vehicles.models import Fuel, VehicleType, VinPattern
from partsmall.vehicles.services import vin_decode
from partsmall.vehicles.vin import check_digit_of


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[str]:
    """The demo loaded once for this module, rolled back afterwards.

    Its foreign keys are checked here, once. Left deferred, PostgreSQL would check them
    all again after every test: the test's own constraint check runs in the test's
    savepoint, and rolling that back makes the demo's checks pending again.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: str, db: None) -> str:
    return demo


def _csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The platform, suppliers, repair shops, car owners and review queue, and the logins printed.

OrgKind, OrgStatus = Organization.Kind, Organization.Status
PRINTED_LOGIN = re.compile(r"(1380000\d{4})\s+" + re.escape(data.DEMO_PASSWORD) + r"\s")


def _counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Application.objects.count(),
    )


def _roles_of(org: Organization) -> list[str]:
    return sorted(org.memberships.values_list("role", flat=True))


def test_load_demo_creates_the_platform_suppliers_shops_and_owners(loaded):
    platform = Organization.objects.get(kind=OrgKind.PLATFORM)
    suppliers = Organization.objects.filter(kind=OrgKind.SUPPLIER, status=OrgStatus.ACTIVE)
    shops = Organization.objects.filter(kind=OrgKind.REPAIR_SHOP, status=OrgStatus.ACTIVE)
    assert platform.status == OrgStatus.ACTIVE
    assert _roles_of(platform) == sorted(
        [Role.PLATFORM_ADMIN, Role.PLATFORM_FINANCE, Role.PLATFORM_OPERATOR, Role.PLATFORM_REVIEWER]
    )
    assert suppliers.count() == 5
    assert shops.count() == 10
    assert list(shops.filter(tier=Organization.Tier.KEY_ACCOUNT).values_list("name", flat=True)) == [
        "上海安途汽车服务连锁有限公司"
    ]
    assert all(
        _roles_of(org) == sorted([Role.OWNER, Role.SALES, Role.WAREHOUSE, Role.FINANCE]) for org in suppliers
    )
    assert all(_roles_of(org) == sorted([Role.OWNER, Role.PURCHASER, Role.TECHNICIAN]) for org in shops)
    assert User.objects.filter(memberships__isnull=True).count() == 20
    assert Consent.objects.filter(user__memberships__isnull=True).count() == 40


def test_demo_organizations_have_valid_credit_codes_and_addresses_in_different_provinces(loaded):
    businesses = Organization.objects.exclude(kind=OrgKind.PLATFORM).select_related(
        "province", "city", "district"
    )
    assert all(normalize_credit_code(org.credit_code) == org.credit_code for org in businesses)
    assert all(org.district and org.district.parent_id == org.city_id for org in businesses)
    assert all(org.city and org.city.parent_id == org.province_id for org in businesses)
    suppliers = businesses.filter(kind=OrgKind.SUPPLIER, status=OrgStatus.ACTIVE)
    supplier_provinces = set(
        Region.objects.filter(code__in=suppliers.values("province")).values_list("name", flat=True)
    )
    assert supplier_provinces == {"广东省", "浙江省", "江苏省", "山东省", "河北省"}
    assert all(org.licence.name for org in businesses)


def test_the_review_queue_holds_a_new_application_and_a_resubmitted_one(loaded):
    waiting = Application.objects.filter(status=Application.Status.SUBMITTED).order_by("attempt")
    assert [(a.organization.status, a.attempt) for a in waiting] == [
        (OrgStatus.PENDING, 1),
        (OrgStatus.PENDING, 2),
    ]
    resubmitted = waiting[1]
    assert [(e.from_status, e.to_status, e.reason) for e in resubmitted.events.all()] == [
        ("", "submitted", ""),
        ("submitted", "rejected", data.PENDING_SHOP_REJECT_REASON),
        ("rejected", "submitted", ""),
    ]
    assert resubmitted.reject_reason == ""


def test_reviewers_find_the_waiting_applications_in_their_inbox(loaded):
    reviewer = User.objects.get(memberships__role=Role.PLATFORM_REVIEWER)
    titles = list(
        Message.objects.filter(recipient=reviewer, read_at__isnull=True).values_list("title", flat=True)
    )
    assert sorted(titles) == [
        "入驻申请重新提交：南京金陵车友汽车维修有限公司",
        "新的入驻申请：宁波甬兴汽车电器有限公司",
    ]


def test_every_printed_login_logs_in_with_the_demo_password(loaded):
    phones = PRINTED_LOGIN.findall(loaded)
    assert len(phones) == 15
    assert phones == [login.phone for login in demo_logins()]
    logged_in = [
        getattr(authenticate(None, phone=phone, password=data.DEMO_PASSWORD), "phone", None)
        for phone in phones
    ]
    assert logged_in == phones


def test_the_printed_logins_cover_every_role_once(loaded):
    roles = [login.role for login in demo_logins()]
    assert len(roles) == len(set(roles))
    assert "车主" in roles
    assert "平台 · 平台审核" in roles
    assert "配件厂商 · 仓管" in roles
    assert "汽修门店（大客户） · 所有者" in roles


def test_loading_twice_is_refused_and_changes_nothing(loaded):
    before = _counts()

    with pytest.raises(CommandError, match=re.escape(str(DEMO_ALREADY_LOADED))):
        call_command("load_demo", stdout=StringIO())

    assert _counts() == before


def test_the_catalogue_has_thirty_categories_in_a_two_level_tree(loaded):
    categories = Category.objects.all()

    assert categories.count() == 30
    assert categories.filter(parent__isnull=True).count() == 7
    assert not categories.filter(parent__parent__isnull=False).exists()
    oil = categories.get(code="oil-filter")
    assert oil.parent is not None
    assert (oil.name, oil.parent.name, oil.initials) == ("机油滤清器", "滤清器", "jylqq")


def test_about_two_thousand_parts_the_generated_ones_plainly_demo(loaded):
    parts = Part.objects.all()
    generated = parts.filter(is_demo=True)

    assert parts.count() == 2000
    assert generated.exclude(name__startswith=DEMO_NAME_PREFIX).count() == 0
    assert generated.exclude(number__startswith="DEMO-").count() == 0
    assert parts.filter(is_demo=False, name__startswith=DEMO_NAME_PREFIX).count() == 0
    assert parts.filter(search_text="").count() == 0
    used = set(generated.values_list("category__code", flat=True))
    assert len(used) == 23
    brands = set(generated.values_list("brand__name", flat=True))
    assert {"博世", "马勒", "曼牌", "NGK", "布雷博", "ACDelco", "丰田", "大众原厂"} <= brands


def test_every_real_oe_number_is_there_as_written_on_a_part_of_its_brand(loaded):
    rows = _csv(OE_PARTS_CSV)

    for row in rows:
        oe = OeNumber.objects.filter(number=row["oe_number"], part__brand__name_en=row["oe_brand"])
        assert oe.exists(), row["oe_number"]
        part = Part.objects.get(
            brand__name_en=row["oe_brand"], number_norm=normalize_number(row["oe_number"])
        )
        assert (part.number, part.is_demo, part.source) == (row["oe_number"], False, part.source)
        assert row["source"] in part.source


def test_aftermarket_equivalents_interchange_with_the_oe_part_and_carry_its_number(loaded):
    oe_part = Part.objects.get(brand__name="丰田", number="90915-10003")
    acdelco = Part.objects.get(brand__name="ACDelco", number="PF304J")

    assert PartLink.objects.filter(
        from_part=oe_part, to_part=acdelco, kind=PartLink.Kind.INTERCHANGE
    ).exists()
    assert set(acdelco.oe_numbers.values_list("number", flat=True)) >= {"90915-10003", "90915-10001"}
    nisshinbo = Part.objects.get(brand__name="Nisshinbo", number="ND8008K")
    assert "dust-cover hole differs" in nisshinbo.description


def test_stated_fitment_is_matched_to_the_chinese_models_of_the_same_name(loaded):
    oe_part = Part.objects.get(brand__name="丰田", number="90915-10003")
    models = set(oe_part.fitments.values_list("vehicle_type__model__name", flat=True))

    assert "卡罗拉" in models
    assert "雷凌" not in models
    corolla = Fitment.objects.filter(part=oe_part, vehicle_type__model__name="卡罗拉").first()
    assert corolla is not None
    assert "NRE210" in corolla.notes
    assert corolla.source.startswith("github:nanana-na/oil_and_filter")


def test_a_model_missing_from_vehicles_cn_gets_a_type_marked_as_from_the_fits_text(loaded):
    chr_part = Part.objects.get(brand__name="丰田", number="90915-10003")
    chr_type = VehicleType.objects.get(model__make__name="丰田", model__name="C-HR")

    assert chr_type.generation == "日本市场 NGX50"
    assert "oe_parts.csv" in chr_type.source
    assert Fitment.objects.filter(part=chr_part, vehicle_type=chr_type).exists()


def test_vehicle_types_follow_vehicles_cn_with_fuel_and_years_mapped(loaded):
    rows = _csv(VEHICLES_CSV)
    types = VehicleType.objects.filter(model__make__name__in={r["make_zh"] for r in rows})

    # 103 rows; three pairs differ only in their English variant name (Passat 183/217 hp …).
    assert types.exclude(generation__startswith="日本市场").count() == 100
    lavida = types.get(model__name="朗逸", displacement_l="1.6")
    assert (lavida.fuel, lavida.year_from, lavida.year_to, lavida.engine_code) == (
        Fuel.PETROL,
        2008,
        2012,
        "EA113/EA111 (family)",
    )
    assert "wikipedia" in lavida.source
    assert types.get(model__name="宋", fuel=Fuel.EV).year_to is None


def test_a_start_year_the_source_does_not_state_stays_empty(loaded):
    rows = _csv(VEHICLES_CSV)
    unstated = [r for r in rows if not r["year_from"]]
    types = VehicleType.objects.exclude(generation__startswith="日本市场")

    assert len(unstated) == 27
    matched = set()
    for row in unstated:
        found = types.get(
            model__name=row["model_zh"],
            generation=row["generation"],
            engine_code=row["engine_code"],
            displacement_l=row["displacement_l"] or None,
            transmission=row["transmission"],
            year_to=row["year_to"] or None,
        )
        assert (found.year_from, row["source"] in found.source) == (None, True), row["model_en"]
        matched.add(found.pk)
    assert len(matched) == 27
    assert set(types.filter(year_from__isnull=True).values_list("pk", flat=True)) == matched
    camry = types.get(model__name="凯美瑞")
    assert (camry.year_from, camry.year_to, camry.years) == (None, None, "–")
    assert camry.label == "丰田 凯美瑞 2.5L AR (family)"
    assert camry.source == next(r["source"] for r in rows if r["model_zh"] == "凯美瑞")
    excelle = types.get(model__name="凯越", engine_code="TWIN-TEC")
    assert (excelle.year_from, excelle.year_to) == (None, None)  # "2003–2016 model" is no start year
    crv_phev = types.get(model__name="CR-V", year_to=2023, fuel=Fuel.PHEV)
    assert (crv_phev.year_from, crv_phev.years) == (None, "–2023")
    assert not VehicleType.objects.filter(source__contains="起始年份").exists()
    assert not VehicleType.objects.filter(source__contains="演示数据按").exists()


def test_a_type_made_from_the_fits_text_has_years_only_where_that_text_states_them(loaded):
    stated = VehicleType.objects.get(generation="日本市场 RP5 hybrid")
    unstated = VehicleType.objects.get(model__name="C-HR")

    assert (stated.year_from, stated.year_to) == (2017, 2021)
    assert (unstated.year_from, unstated.year_to, unstated.years) == (None, None, "–")
    assert "日本市场 NGX50" in unstated.label
    assert "–" not in unstated.label


def test_generated_combustion_parts_never_fit_electric_cars(loaded):
    assert not Fitment.objects.filter(
        part__category__code__in=["oil-filter", "spark-plug"], vehicle_type__fuel=Fuel.EV
    ).exists()


def test_every_demo_supplier_offers_in_at_least_three_grades_with_decimal_prices(loaded):
    suppliers = Organization.objects.filter(
        kind=Organization.Kind.SUPPLIER, status=Organization.Status.ACTIVE
    )
    grades = Offer.objects.values_list("grade", flat=True).distinct()

    assert suppliers.count() == 5
    assert all(Offer.objects.filter(supplier=s).count() > 100 for s in suppliers)
    assert set(grades) == set(Grade.values)
    prices = list(Offer.objects.values_list("price", flat=True)[:50])
    assert all(p > 0 and p == p.quantize(p.__class__("0.01")) for p in prices)
    summarised = Part.objects.filter(offer_count__gt=0)
    assert summarised.count() > 1500
    sample = summarised.first()
    assert sample is not None
    listed = Offer.objects.filter(part=sample, is_listed=True)
    assert sample.min_price == min(o.price for o in listed)


def test_supplier_added_rows_wait_for_review_with_their_source(loaded):
    pending_parts = Part.objects.filter(review_status=ReviewStatus.PENDING)
    pending_fitments = Fitment.objects.filter(review_status=ReviewStatus.PENDING)

    assert pending_parts.count() == 4
    assert pending_parts.values("source_organization").distinct().count() == 1
    assert pending_fitments.values("source_organization").annotate(n=Count("id")).count() == 2


def test_demo_vins_have_valid_check_digits_and_decode_to_their_vehicle_types(loaded):
    expected: dict[str, set[str]] = defaultdict(set)
    for row in demo_vins():
        expected[row.vin].add(row.vehicle_type_key)

    for vin, keys in expected.items():
        assert vin[8] == check_digit_of(vin)
        decoding = vin_decode(vin=vin)
        assert {t.key for t in decoding.candidates} == keys, vin
    assert sum(len(keys) > 1 for keys in expected.values()) == 1
    assert len(expected) == VinPattern.objects.count() == 16
    assert {vin[:3] for vin in expected} >= {"LSV", "LFV", "LVG"}


def test_the_demo_vins_are_printed_with_the_logins(loaded):
    assert "LFMZE18B8J0356120" in loaded
    assert "卡罗拉" in loaded


# Inventory: warehouses of every supplier in several provinces, stock for most offers.


def test_every_supplier_has_two_or_three_warehouses_in_different_provinces(loaded):
    suppliers = Organization.objects.filter(
        kind=Organization.Kind.SUPPLIER, status=Organization.Status.ACTIVE
    )

    for supplier in suppliers:
        warehouses = Warehouse.objects.filter(organization=supplier)
        assert 2 <= warehouses.count() <= 3
        assert warehouses.values("province").distinct().count() == warehouses.count()


def test_every_active_shop_has_a_warehouse_with_a_few_parts(loaded):
    shops = Organization.objects.filter(kind=Organization.Kind.REPAIR_SHOP, status=Organization.Status.ACTIVE)
    kept = dict(
        StockLevel.objects.filter(warehouse__organization__in=shops)
        .values_list("warehouse__organization")
        .annotate(n=Count("id"))
    )

    assert shops.exists()
    assert set(kept) == {shop.pk for shop in shops}
    assert all(1 <= n <= 8 for n in kept.values())


def test_most_offers_are_in_stock_some_made_to_order_some_out_of_stock(loaded):
    offers = Offer.objects.all()
    total = offers.count()
    in_stock = offers.filter(stock_quantity__gt=0).count()
    made = offers.filter(made_to_order=True).count()
    out = offers.filter(stock_quantity=0, made_to_order=False).count()

    assert in_stock > total * 0.6
    assert made > 0
    assert out > 0
    assert StockLevel.objects.exclude(low_stock_threshold=None).exists()


def test_the_demo_stock_keeps_the_invariants(loaded):
    assert invariant_violations(offers=True) == []


# Orders: a few hundred past orders in every status, made through the services.

Status = SupplierOrder.Status


def test_a_few_hundred_orders_in_every_status(loaded):
    counts = dict(SupplierOrder.objects.values_list("status").annotate(n=Count("id")))

    assert SupplierOrder.objects.count() >= 200
    assert set(counts) == set(Status.values)
    assert set(SupplierOrder.objects.values_list("payment_status", flat=True)) == set(
        SupplierOrder.PaymentStatus.values
    )


def test_every_shop_has_an_address_book_and_orders(loaded):
    shops = Organization.objects.filter(kind=Organization.Kind.REPAIR_SHOP, status=Organization.Status.ACTIVE)

    for shop in shops:
        assert Address.objects.filter(organization=shop, is_default=True).count() == 1
    assert SupplierOrder.objects.values("buyer").distinct().count() >= 5
    assert SupplierOrder.objects.values("supplier").distinct().count() >= 3


def test_events_chain_from_checkout_to_the_current_state(loaded):
    for order in SupplierOrder.objects.prefetch_related("events"):
        events = sorted(order.events.all(), key=lambda e: (e.created_at, e.pk))
        assert events[0].from_status == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert (event.from_status, event.from_payment_status) == (
                previous.to_status,
                previous.to_payment_status,
            )
        assert (events[-1].to_status, events[-1].to_payment_status) == (order.status, order.payment_status)


def test_timestamps_are_in_the_past_and_in_order(loaded):
    now = timezone.now()

    assert not SupplierOrder.objects.filter(created_at__gt=now).exists()
    assert not SupplierOrder.objects.filter(confirmed_at__lt=F("created_at")).exists()
    assert not SupplierOrder.objects.filter(delivered_at__lt=F("confirmed_at")).exists()
    assert not SupplierOrder.objects.filter(completed_at__lt=F("delivered_at")).exists()
    assert SupplierOrder.objects.filter(created_at__lt=now - timedelta(days=30)).exists()
    assert OrderEvent.objects.filter(created_at__lt=now - timedelta(days=30)).exists()


def test_stock_is_held_exactly_by_the_open_lines(loaded):
    ended = {Status.CANCELLED, Status.CLOSED}
    for line in OrderLine.objects.filter(made_to_order=False).select_related("order"):
        held = sum(r.held for r in StockReservation.objects.filter(ref_type="order_line", ref_id=line.pk))
        assert held == (0 if line.order.status in ended else line.quantity - line.shipped_quantity)


def test_stock_invariants_hold(loaded):
    call_command("check_invariants", stdout=StringIO())


def test_the_timeouts_find_nothing_left_to_do_now(loaded):
    assert timeouts_run(now=timezone.now()) == {"closed": 0, "completed": 0, "expired_checkouts": 0}


def test_a_few_returns_and_received_ones_put_stock_back(loaded):
    requests = ReturnRequest.objects.all()
    received = requests.filter(status=ReturnRequest.Status.RECEIVED)

    assert 5 <= requests.count() <= 40
    assert requests.values("status").distinct().count() >= 4
    assert requests.filter(reason=ReturnRequest.Reason.DOESNT_FIT, fitment__isnull=False).exists()
    assert all(r.photos.exists() for r in requests)
    assert received.exists()
    for request in received:
        assert StockMovement.objects.filter(
            kind=MovementKind.RETURN, ref_type="return_request", ref_id=request.pk
        ).exists()


# Pricing: two suppliers' customer groups and the key account's contract lists.


def _org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def test_two_suppliers_have_customer_groups(loaded):
    groups = CustomerGroup.objects.order_by("supplier_id", "name")

    assert [(g.supplier.name, g.name, g.basis, g.discount_percent) for g in groups] == [
        (data.SUPPLIERS[0].name, "华南连锁门店", "members", Decimal("5.00")),
        (data.SUPPLIERS[0].name, "平台大客户", "tier", Decimal("8.00")),
        (data.SUPPLIERS[1].name, "长期合作门店", "members", Decimal("3.00")),
    ]
    south = groups.get(name="华南连锁门店")
    assert sorted(m.buyer.name for m in south.members.all()) == [
        "广州天河车之道汽车维修服务有限公司",
        "深圳南山车管家汽车服务有限公司",
    ]
    assert groups.get(name="平台大客户").prices.count() == 5


def test_the_key_account_has_this_years_contract_with_three_breaks(loaded):
    key_account = _org(data.SHOPS[0].name)
    today = timezone.localdate()

    lists = ContractPriceList.objects.filter(buyer=key_account).order_by("valid_from")

    assert key_account.tier == Organization.Tier.KEY_ACCOUNT
    assert [pl.status_on(today) for pl in lists] == [
        ListStatus.EXPIRED,
        ListStatus.VALID,
        ListStatus.UPCOMING,
    ]
    current = lists[1]
    assert current.name == f"{today.year} 年度协议价"
    assert (current.valid_from, current.valid_until) == (date(today.year, 1, 1), date(today.year, 12, 31))
    assert current.lines.values("offer").distinct().count() == 12
    assert sorted(set(current.lines.values_list("min_quantity", flat=True))) == [1, 10, 50]
    assert not ContractPriceList.objects.exclude(buyer=key_account).exists()


def test_the_key_account_pays_its_contract_price_and_another_shop_does_not(loaded):
    key_account, other = _org(data.SHOPS[0].name), _org(data.SHOPS[2].name)  # Beijing: in no group
    current = ContractPriceList.objects.get(buyer=key_account, valid_from__year=timezone.localdate().year)
    offer = Offer.objects.get(pk=current.lines.order_by("id").values_list("offer", flat=True)[0])

    one = resolve_price(buyer=key_account, offer=offer, quantity=1)
    ten = resolve_price(buyer=key_account, offer=offer, quantity=10)
    theirs = resolve_price(buyer=other, offer=offer, quantity=10)

    assert (one.source, one.unit_price) == (PriceSource.CONTRACT, to_money(offer.price * Decimal("0.92")))
    assert (ten.source, ten.unit_price) == (PriceSource.CONTRACT, to_money(offer.price * Decimal("0.88")))
    assert (theirs.source, theirs.unit_price) == (PriceSource.STANDARD, offer.price)


def test_a_guangzhou_shop_gets_its_groups_price(loaded):
    guangzhou = _org("广州天河车之道汽车维修服务有限公司")
    offer = Offer.objects.filter(supplier=_org(data.SUPPLIERS[0].name), is_listed=True).order_by("-id")[0]

    resolved = resolve_price(buyer=guangzhou, offer=offer, quantity=1)

    assert (resolved.source, resolved.unit_price) == (
        PriceSource.GROUP,
        to_money(offer.price * Decimal("0.95")),
    )
