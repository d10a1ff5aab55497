"""The pricing services: what they write, and for bad input the field and message, with
nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.pricing import errors, services
from partsmall.pricing.models import (
    ContractPrice,
    ContractPriceList,
    CustomerGroup,
    CustomerGroupMember,
    GroupPrice,
)
from partsmall.pricing.tests.factories import (
    ContractPriceFactory,
    ContractPriceListFactory,
    CustomerGroupFactory,
    CustomerGroupMemberFactory,
    ShopFactory,
)


@pytest.fixture
def supplier(db) -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.SUPPLIER)


@pytest.fixture
def shop(db) -> Organization:
    return ShopFactory.create(name="上海安途汽车服务连锁有限公司")


def _errors(exc_info: pytest.ExceptionInfo) -> dict[str, list[str]]:
    exc = exc_info.value
    return exc.errors if isinstance(exc, FieldErrors) else {exc.field or "": [str(exc.message)]}


# Customer groups ----------------------------------------------------------------------------------


def test_a_group_by_members_with_a_percentage(supplier):
    group = services.customer_group_create(
        supplier=supplier, name=" 华东连锁 ", discount_percent="5%", by=None
    )

    group.refresh_from_db()
    assert (group.name, group.basis, group.tier, group.discount_percent, group.is_active) == (
        "华东连锁",
        CustomerGroup.Basis.MEMBERS,
        "",
        Decimal("5.00"),
        True,
    )


def test_a_group_by_tier_keeps_its_tier_and_a_group_by_members_drops_it(supplier):
    by_tier = services.customer_group_create(
        supplier=supplier, name="大客户", basis="tier", tier=Organization.Tier.KEY_ACCOUNT, by=None
    )
    by_members = services.customer_group_create(
        supplier=supplier, name="指定", basis="members", tier=Organization.Tier.KEY_ACCOUNT, by=None
    )

    assert (by_tier.tier, by_members.tier) == (Organization.Tier.KEY_ACCOUNT, "")


def test_every_wrong_group_field_is_named_and_nothing_is_written(supplier):
    CustomerGroupFactory.create(supplier=supplier, name="华东连锁")

    with pytest.raises(FieldErrors) as caught:
        services.customer_group_create(
            supplier=supplier, name="", basis="tier", tier="", discount_percent="100", by=None
        )

    assert _errors(caught) == {
        "name": [str(errors.GROUP_NAME_REQUIRED)],
        "tier": [str(errors.GROUP_TIER_REQUIRED)],
        "discount_percent": [str(errors.GROUP_PERCENT_INVALID)],
    }
    assert CustomerGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "华东连锁"}, "name", errors.GROUP_NAME_TAKEN),
        ({"name": "长" * 51}, "name", errors.GROUP_NAME_TOO_LONG),
        ({"basis": "everyone"}, "basis", errors.GROUP_BASIS_INVALID),
        ({"discount_percent": "0"}, "discount_percent", errors.GROUP_PERCENT_INVALID),
        ({"discount_percent": "5.555"}, "discount_percent", errors.GROUP_PERCENT_INVALID),
        ({"discount_percent": "abc"}, "discount_percent", errors.GROUP_PERCENT_INVALID),
        ({"discount_percent": 5.5}, "discount_percent", errors.GROUP_PERCENT_INVALID),
    ],
)
def test_a_refused_group_change_names_the_field_and_changes_nothing(supplier, changes, field, message):
    CustomerGroupFactory.create(supplier=supplier, name="华东连锁")
    group = CustomerGroupFactory.create(supplier=supplier, name="华南连锁", discount_percent=Decimal("3"))

    with pytest.raises(FieldErrors) as caught:
        services.customer_group_update(group=group, by=None, **changes)

    assert _errors(caught) == {field: [str(message)]}
    group.refresh_from_db()
    assert (group.name, group.basis, group.discount_percent) == ("华南连锁", "members", Decimal("3.00"))


def test_another_supplier_may_use_the_same_group_name(supplier):
    CustomerGroupFactory.create(name="大客户")

    assert services.customer_group_create(supplier=supplier, name="大客户", by=None).pk


def test_a_group_with_members_cannot_become_a_tier_group(supplier, shop):
    group = CustomerGroupFactory.create(supplier=supplier)
    CustomerGroupMemberFactory.create(group=group, buyer=shop)

    with pytest.raises(FieldErrors) as caught:
        services.customer_group_update(group=group, basis="tier", tier=Organization.Tier.KEY_ACCOUNT, by=None)

    assert _errors(caught) == {"basis": [str(errors.GROUP_HAS_MEMBERS)]}


def test_only_a_supplier_makes_groups_and_lists(shop):
    with pytest.raises(ApplicationError) as caught:
        services.customer_group_create(supplier=shop, name="组", by=None)

    assert str(caught.value.message) == str(errors.SUPPLIER_ONLY)


def test_deleting_a_group_removes_its_members_and_prices(supplier, shop):
    group = CustomerGroupFactory.create(supplier=supplier)
    CustomerGroupMemberFactory.create(group=group, buyer=shop)
    services.group_price_set(group=group, offer=OfferFactory.create(supplier=supplier), price="9.90", by=None)

    services.customer_group_delete(group=group, by=None)

    assert (CustomerGroupMember.objects.count(), GroupPrice.objects.count()) == (0, 0)


# Members ------------------------------------------------------------------------------------------


def test_a_shop_joins_a_group_once(supplier, shop):
    group = CustomerGroupFactory.create(supplier=supplier)

    member = services.customer_group_member_add(group=group, buyer=shop, by=None)
    with pytest.raises(FieldErrors) as caught:
        services.customer_group_member_add(group=group, buyer=shop, by=None)

    assert member.buyer == shop
    assert _errors(caught) == {"buyer": [str(errors.MEMBER_DUPLICATE)]}
    assert group.members.count() == 1


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        (Organization.Kind.SUPPLIER, Organization.Status.ACTIVE, errors.BUYER_NOT_SHOP),
        (Organization.Kind.REPAIR_SHOP, Organization.Status.PENDING, errors.BUYER_NOT_SHOP),
        (Organization.Kind.REPAIR_SHOP, Organization.Status.SUSPENDED, errors.BUYER_NOT_SHOP),
        (None, None, errors.BUYER_REQUIRED),
    ],
)
def test_only_active_shops_become_members(supplier, kind, status, message):
    group = CustomerGroupFactory.create(supplier=supplier)
    buyer = OrganizationFactory.create(kind=kind, status=status) if kind else None

    with pytest.raises(FieldErrors) as caught:
        services.customer_group_member_add(group=group, buyer=buyer, by=None)

    assert _errors(caught) == {"buyer": [str(message)]}
    assert not group.members.exists()


def test_a_tier_group_takes_no_named_members(supplier, shop):
    group = CustomerGroupFactory.create(supplier=supplier, basis="tier", tier=Organization.Tier.KEY_ACCOUNT)

    with pytest.raises(ApplicationError) as caught:
        services.customer_group_member_add(group=group, buyer=shop, by=None)

    assert _errors(caught) == {"buyer": [str(errors.GROUP_BY_TIER_NO_MEMBERS)]}


# Fixed group prices --------------------------------------------------------------------------------


def test_setting_a_group_price_twice_changes_the_one_row(supplier):
    group = CustomerGroupFactory.create(supplier=supplier)
    offer = OfferFactory.create(supplier=supplier)

    first = services.group_price_set(group=group, offer=offer, price="¥1,234.50", by=None)
    second = services.group_price_set(group=group, offer=offer, price="1200", by=None)

    assert first.pk == second.pk
    assert list(GroupPrice.objects.values_list("price", flat=True)) == [Decimal("1200.00")]


@pytest.mark.parametrize(
    ("offer_of", "price", "found"),
    [
        ("other", "10", {"offer": [str(errors.OFFER_NOT_OWN)]}),
        ("none", "10", {"offer": [str(errors.OFFER_NOT_FOUND)]}),
        ("own", "0", {"price": ["单价须为大于 0 的金额。"]}),
        ("own", "1.234", {"price": ["单价最多保留 2 位小数。"]}),
        ("other", "", {"offer": [str(errors.OFFER_NOT_OWN)], "price": ["请输入单价。"]}),
    ],
)
def test_a_refused_group_price_names_the_fields(supplier, offer_of, price, found):
    group = CustomerGroupFactory.create(supplier=supplier)
    offer = {"own": OfferFactory.create(supplier=supplier), "other": OfferFactory.create(), "none": None}[
        offer_of
    ]

    with pytest.raises(FieldErrors) as caught:
        services.group_price_set(group=group, offer=offer, price=price, by=None)

    assert _errors(caught) == found
    assert not GroupPrice.objects.exists()


# Contract price lists ---------------------------------------------------------------------------------


def test_a_contract_list_for_a_shop(supplier, shop):
    price_list = services.contract_price_list_create(
        supplier=supplier,
        buyer=shop,
        name="2026 年度协议价",
        valid_from="2026-01-01",
        valid_until=None,
        by=None,
    )

    price_list.refresh_from_db()
    assert (price_list.buyer, price_list.valid_from, price_list.valid_until, price_list.is_active) == (
        shop,
        date(2026, 1, 1),
        None,
        True,
    )


def test_every_wrong_contract_field_is_named_and_nothing_is_written(supplier):
    with pytest.raises(FieldErrors) as caught:
        services.contract_price_list_create(
            supplier=supplier,
            buyer=supplier,
            name="",
            valid_from="2026-13-01",
            valid_until="someday",
            note="长" * 201,
            by=None,
        )

    assert _errors(caught) == {
        "buyer": [str(errors.BUYER_NOT_SHOP)],
        "name": [str(errors.CONTRACT_NAME_REQUIRED)],
        "valid_from": [str(errors.CONTRACT_DATE_INVALID)],
        "valid_until": [str(errors.CONTRACT_DATE_INVALID)],
        "note": [str(errors.CONTRACT_NOTE_TOO_LONG)],
    }
    assert not ContractPriceList.objects.exists()


def test_a_contract_ends_on_or_after_it_starts(supplier, shop):
    with pytest.raises(FieldErrors) as caught:
        services.contract_price_list_create(
            supplier=supplier,
            buyer=shop,
            name="协议",
            valid_from=date(2026, 6, 1),
            valid_until=date(2026, 5, 31),
            by=None,
        )

    assert _errors(caught) == {"valid_until": [str(errors.CONTRACT_DATES_ORDER)]}
    one_day = services.contract_price_list_create(
        supplier=supplier,
        buyer=shop,
        name="协议",
        valid_from=date(2026, 6, 1),
        valid_until=date(2026, 6, 1),
        by=None,
    )
    assert one_day.valid_until == date(2026, 6, 1)


def test_a_list_keeps_its_suspended_buyer_but_takes_no_new_one(supplier, shop):
    price_list = ContractPriceListFactory.create(supplier=supplier, buyer=shop)
    Organization.objects.filter(pk=shop.pk).update(status=Organization.Status.SUSPENDED)
    shop.refresh_from_db()
    suspended = ShopFactory.create(status=Organization.Status.SUSPENDED)

    services.contract_price_list_update(price_list=price_list, buyer=shop, name="改名", by=None)
    with pytest.raises(FieldErrors) as caught:
        services.contract_price_list_update(price_list=price_list, buyer=suspended, by=None)

    price_list.refresh_from_db()
    assert (price_list.name, price_list.buyer_id) == ("改名", shop.pk)
    assert _errors(caught) == {"buyer": [str(errors.BUYER_NOT_SHOP)]}


def test_quantity_breaks_of_a_list(supplier, shop):
    price_list = ContractPriceListFactory.create(supplier=supplier, buyer=shop)
    offer = OfferFactory.create(supplier=supplier)

    services.contract_price_add(price_list=price_list, offer=offer, min_quantity=1, price="90", by=None)
    tenth = services.contract_price_add(
        price_list=price_list, offer=offer, min_quantity="10", price="85.5", by=None
    )
    with pytest.raises(FieldErrors) as caught:
        services.contract_price_add(price_list=price_list, offer=offer, min_quantity=10, price="80", by=None)

    assert _errors(caught) == {"min_quantity": [str(errors.BREAK_DUPLICATE)]}
    assert list(price_list.lines.values_list("min_quantity", "price")) == [
        (1, Decimal("90.00")),
        (10, Decimal("85.50")),
    ]
    services.contract_price_update(line=tenth, min_quantity=20, price="80.00", by=None)
    tenth.refresh_from_db()
    assert (tenth.min_quantity, tenth.price) == (20, Decimal("80.00"))


@pytest.mark.parametrize(
    ("offer_of", "min_quantity", "price", "found"),
    [
        ("other", 1, "10", {"offer": [str(errors.OFFER_NOT_OWN)]}),
        ("own", 0, "10", {"min_quantity": [str(errors.MIN_QUANTITY_INVALID)]}),
        (
            "own",
            "x",
            "-1",
            {"min_quantity": [str(errors.MIN_QUANTITY_INVALID)], "price": ["单价须为大于 0 的金额。"]},
        ),
        (
            "none",
            True,
            "",
            {
                "offer": [str(errors.OFFER_NOT_FOUND)],
                "min_quantity": [str(errors.MIN_QUANTITY_INVALID)],
                "price": ["请输入单价。"],
            },
        ),
    ],
)
def test_a_refused_break_names_the_fields(supplier, shop, offer_of, min_quantity, price, found):
    price_list = ContractPriceListFactory.create(supplier=supplier, buyer=shop)
    offer = {"own": OfferFactory.create(supplier=supplier), "other": OfferFactory.create(), "none": None}[
        offer_of
    ]

    with pytest.raises(FieldErrors) as caught:
        services.contract_price_add(
            price_list=price_list, offer=offer, min_quantity=min_quantity, price=price, by=None
        )

    assert _errors(caught) == found
    assert not ContractPrice.objects.exists()


def test_a_refused_break_change_changes_nothing(supplier, shop):
    line = ContractPriceFactory.create(
        price_list__supplier=supplier, price_list__buyer=shop, price=Decimal("50")
    )
    ContractPriceFactory.create(price_list=line.price_list, offer=line.offer, min_quantity=10)

    with pytest.raises(FieldErrors) as caught:
        services.contract_price_update(line=line, min_quantity=10, by=None)

    assert _errors(caught) == {"min_quantity": [str(errors.BREAK_DUPLICATE)]}
    line.refresh_from_db()
    assert (line.min_quantity, line.price) == (1, Decimal("50.00"))


def test_deleting_a_list_removes_its_lines(supplier, shop):
    line = ContractPriceFactory.create(price_list__supplier=supplier, price_list__buyer=shop)

    services.contract_price_list_delete(price_list=line.price_list, by=None)

    assert not ContractPrice.objects.exists()


# Parsing ---------------------------------------------------------------------------------------------


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2))
def test_every_percentage_with_two_places_between_0_and_100_is_accepted_as_written(percent):
    assert services.parse_percent(f"{percent}%") == (percent, None)


@pytest.mark.parametrize("text", ["", None, "  "])
def test_no_percentage_is_none(text):
    assert services.parse_percent(text) == (None, None)


@pytest.mark.parametrize("text", ["０.５", "５％"])
def test_full_width_percentages_are_read(text):
    assert services.parse_percent(text)[1] is None
