"""The supplier's pricing pages, tried by the three actors: a sales member (allowed), a
warehouse colleague without Perm.SALES (403) and a sales member of another supplier (404
on this supplier's groups, lists and lines)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partsmall.catalog.tests.factories import OfferFactory
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.navigation import navigation_for
from partsmall.organizations.roles import Role
from partsmall.pricing import errors
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
    GroupPriceFactory,
    ShopFactory,
)


@pytest.fixture
def actors(make_actors):
    return make_actors(kind=Organization.Kind.SUPPLIER, role=Role.SALES, wrong_role=Role.WAREHOUSE)


@pytest.fixture
def shop(db) -> Organization:
    return ShopFactory.create(name="上海安途汽车服务连锁有限公司")


def _html(response) -> str:
    return response.content.decode()


def _objects(actors, shop):
    supplier = actors.organization
    group = CustomerGroupFactory.create(supplier=supplier, name="甲方专属客户组")
    member = CustomerGroupMemberFactory.create(group=group, buyer=shop)
    price = GroupPriceFactory.create(group=group)
    price_list = ContractPriceListFactory.create(supplier=supplier, buyer=shop, name="甲方专属协议")
    line = ContractPriceFactory.create(price_list=price_list)
    return {"group": group, "member": member, "price": price, "list": price_list, "line": line}


# Three actors --------------------------------------------------------------------------------------


OBJECT_ROUTES = [
    ("pricing:group_detail", "group", "get"),
    ("pricing:group_edit", "group", "get"),
    ("pricing:group_delete", "group", "post"),
    ("pricing:group_member_add", "group", "post"),
    ("pricing:group_member_remove", "member", "post"),
    ("pricing:group_price_set", "group", "post"),
    ("pricing:group_price_remove", "price", "post"),
    ("pricing:contract_detail", "list", "get"),
    ("pricing:contract_edit", "list", "get"),
    ("pricing:contract_delete", "list", "post"),
    ("pricing:contract_line_add", "list", "post"),
    ("pricing:contract_line_remove", "line", "post"),
]


@pytest.mark.parametrize(("name", "kind", "method"), OBJECT_ROUTES)
def test_an_outsider_gets_404_and_a_colleague_403_on_every_object_page(actors, shop, name, kind, method):
    objects = _objects(actors, shop)
    url = reverse(name, args=[objects[kind].pk])

    outsider = getattr(actors.outsider_client, method)(url)
    colleague = getattr(actors.colleague_client, method)(url)

    assert (outsider.status_code, colleague.status_code) == (404, 403)
    assert CustomerGroup.objects.count() == 1
    assert (CustomerGroupMember.objects.count(), GroupPrice.objects.count()) == (1, 1)
    assert (ContractPriceList.objects.count(), ContractPrice.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    "name",
    [
        "pricing:groups",
        "pricing:group_create",
        "pricing:contracts",
        "pricing:contract_create",
        "pricing:price_check",
    ],
)
def test_lists_show_only_the_suppliers_own_and_refuse_the_colleague(actors, shop, name):
    _objects(actors, shop)

    mine = actors.member_client.get(reverse(name))
    theirs = actors.outsider_client.get(reverse(name))

    assert (mine.status_code, theirs.status_code) == (200, 200)
    assert actors.colleague_client.get(reverse(name)).status_code == 403
    assert "甲方专属客户组" not in _html(theirs)
    assert "甲方专属协议" not in _html(theirs)


def test_a_repair_shop_owner_is_refused_the_supplier_pages(make_actors):
    shop_actors = make_actors(kind=Organization.Kind.REPAIR_SHOP, role=Role.OWNER)

    assert shop_actors.member_client.get(reverse("pricing:groups")).status_code == 403


def test_the_sidebar_shows_pricing_to_sales_only(actors):
    def labels(membership) -> set[str]:
        actor = Actor(user=membership.user, organization=membership.organization, role=membership.role)
        return {str(e["label"]) for g in navigation_for(actor) for e in g["entries"]}

    assert {"客户组", "协议价", "价格查询"} <= labels(actors.member)
    assert not {"客户组", "协议价", "价格查询"} & labels(actors.colleague)


# Customer groups ------------------------------------------------------------------------------------


def test_the_groups_page_lists_scope_percentage_and_counts(actors, shop):
    objects = _objects(actors, shop)
    CustomerGroupFactory.create(
        supplier=actors.organization,
        name="大客户九五折",
        basis="tier",
        tier="key_account",
        discount_percent=5,
    )

    html = _html(actors.member_client.get(reverse("pricing:groups")))

    row = html[html.index(f'data-testid="group-row-{objects["group"].pk}"') :]
    assert "指定客户 1 家" in row[: row.index("</tr>")]
    assert "平台等级：大客户" in html
    assert "5%" in html


def test_the_groups_page_invites_to_create_the_first_group(actors):
    html = _html(actors.member_client.get(reverse("pricing:groups")))

    assert 'data-testid="empty"' in html
    assert "暂无客户组" in html


def test_creating_a_group_then_editing_it(actors):
    created = actors.member_client.post(
        reverse("pricing:group_create"),
        {"name": "华东连锁", "basis": "members", "discount_percent": "5", "is_active": "on"},
    )
    group = CustomerGroup.objects.get()
    edited = actors.member_client.post(
        reverse("pricing:group_edit", args=[group.pk]),
        {"name": "华东连锁门店", "basis": "members", "discount_percent": "", "is_active": ""},
    )

    assert created.status_code == edited.status_code == 302
    assert created["Location"] == reverse("pricing:group_detail", args=[group.pk])
    group.refresh_from_db()
    assert (group.supplier, group.name, group.discount_percent, group.is_active) == (
        actors.organization,
        "华东连锁门店",
        None,
        False,
    )


def test_a_refused_group_shows_the_errors_under_the_fields(actors):
    response = actors.member_client.post(
        reverse("pricing:group_create"), {"name": "", "basis": "tier", "tier": "", "discount_percent": "120"}
    )

    html = _html(response)
    assert response.status_code == 200
    assert f'data-testid="error-name">{errors.GROUP_NAME_REQUIRED}' in html
    assert f'data-testid="error-tier">{errors.GROUP_TIER_REQUIRED}' in html
    assert 'data-testid="error-discount_percent">' in html
    assert not CustomerGroup.objects.exists()


def test_members_join_and_leave_a_group(actors, shop):
    group = CustomerGroupFactory.create(supplier=actors.organization)
    url = reverse("pricing:group_member_add", args=[group.pk])

    joined = actors.member_client.post(url, {"buyer": shop.pk})
    member = group.members.get()
    page = _html(actors.member_client.get(reverse("pricing:group_detail", args=[group.pk])))
    left = actors.member_client.post(reverse("pricing:group_member_remove", args=[member.pk]))

    assert joined.status_code == left.status_code == 302
    assert shop.name in page
    assert not group.members.exists()


def test_a_supplier_cannot_be_named_a_member(actors):
    group = CustomerGroupFactory.create(supplier=actors.organization)

    response = actors.member_client.post(
        reverse("pricing:group_member_add", args=[group.pk]), {"buyer": actors.other_organization.pk}
    )

    assert response.status_code == 200
    assert f'data-testid="error-buyer">{errors.BUYER_REQUIRED}' in _html(response)
    assert not group.members.exists()


def test_group_prices_by_sku(actors):
    group = CustomerGroupFactory.create(supplier=actors.organization)
    offer = OfferFactory.create(supplier=actors.organization, sku="JC-0001", price=Decimal("45.00"))
    url = reverse("pricing:group_price_set", args=[group.pk])

    set_ = actors.member_client.post(url, {"offer": "JC-0001", "price": "39.90"})
    refused = actors.member_client.post(url, {"offer": "NOPE", "price": "abc"})

    assert set_.status_code == 302
    assert GroupPrice.objects.get().price == Decimal("39.90")
    assert GroupPrice.objects.get().offer == offer
    assert refused.status_code == 200
    html = _html(refused)
    assert f'data-testid="error-offer">{errors.OFFER_NOT_FOUND}' in html
    assert 'data-testid="error-price">单价须为大于 0 的金额。' in html
    assert "¥39.90" in html


def test_another_suppliers_sku_is_not_found(actors):
    group = CustomerGroupFactory.create(supplier=actors.organization)
    OfferFactory.create(supplier=actors.other_organization, sku="OTHER-1")

    response = actors.member_client.post(
        reverse("pricing:group_price_set", args=[group.pk]), {"offer": "OTHER-1", "price": "1"}
    )

    assert f'data-testid="error-offer">{errors.OFFER_NOT_FOUND}' in _html(response)
    assert not GroupPrice.objects.exists()


def test_deleting_a_group(actors):
    group = CustomerGroupFactory.create(supplier=actors.organization)

    response = actors.member_client.post(reverse("pricing:group_delete", args=[group.pk]))

    assert response["Location"] == reverse("pricing:groups")
    assert not CustomerGroup.objects.exists()


# Contract price lists ----------------------------------------------------------------------------------


def test_the_contracts_page_has_status_tabs_with_counts(actors, shop):
    today = timezone.localdate()
    ContractPriceListFactory.create(
        supplier=actors.organization, buyer=shop, name="当前协议", valid_from=today, valid_until=None
    )
    ContractPriceListFactory.create(
        supplier=actors.organization,
        buyer=shop,
        name="去年协议",
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
    )
    ContractPriceListFactory.create(name="别家协议", valid_from=today, valid_until=None)

    everything = _html(actors.member_client.get(reverse("pricing:contracts")))
    expired = _html(actors.member_client.get(reverse("pricing:contracts"), {"status": "expired"}))

    assert 'data-testid="count-all">2<' in everything
    assert 'data-testid="count-valid">1<' in everything
    assert 'data-testid="count-expired">1<' in everything
    assert "别家协议" not in everything
    assert "去年协议" in expired
    assert "当前协议" not in expired


def test_creating_a_contract_then_adding_breaks(actors, shop):
    offer = OfferFactory.create(supplier=actors.organization, sku="JC-0001", price=Decimal("45.00"))

    created = actors.member_client.post(
        reverse("pricing:contract_create"),
        {
            "buyer": shop.pk,
            "name": "2026 年度协议价",
            "valid_from": "2026-01-01",
            "valid_until": "",
            "is_active": "on",
        },
    )
    price_list = ContractPriceList.objects.get()
    lines_url = reverse("pricing:contract_line_add", args=[price_list.pk])
    actors.member_client.post(lines_url, {"offer": "JC-0001", "min_quantity": "1", "price": "42"})
    actors.member_client.post(lines_url, {"offer": "JC-0001", "min_quantity": "10", "price": "39.5"})
    page = _html(actors.member_client.get(reverse("pricing:contract_detail", args=[price_list.pk])))

    assert created["Location"] == reverse("pricing:contract_detail", args=[price_list.pk])
    assert (price_list.supplier, price_list.buyer) == (actors.organization, shop)
    assert list(price_list.lines.values_list("offer", "min_quantity", "price")) == [
        (offer.pk, 1, Decimal("42.00")),
        (offer.pk, 10, Decimal("39.50")),
    ]
    assert shop.name in page
    assert "≥ 10" in page
    assert "¥39.50" in page


def test_a_refused_contract_shows_the_errors_and_keeps_the_chosen_buyer(actors, shop):
    response = actors.member_client.post(
        reverse("pricing:contract_create"),
        {"buyer": shop.pk, "name": "", "valid_from": "2026-06-01", "valid_until": "2026-05-01"},
    )

    html = _html(response)
    assert f'data-testid="error-name">{errors.CONTRACT_NAME_REQUIRED}' in html
    assert f'data-testid="error-valid_until">{errors.CONTRACT_DATES_ORDER}' in html
    assert shop.name in html
    assert not ContractPriceList.objects.exists()


def test_a_refused_break_shows_the_errors(actors, shop):
    price_list = ContractPriceListFactory.create(supplier=actors.organization, buyer=shop)
    OfferFactory.create(supplier=actors.organization, sku="JC-0001")

    response = actors.member_client.post(
        reverse("pricing:contract_line_add", args=[price_list.pk]),
        {"offer": "JC-0001", "min_quantity": "0", "price": "5"},
    )

    assert f'data-testid="error-min_quantity">{errors.MIN_QUANTITY_INVALID}' in _html(response)
    assert not ContractPrice.objects.exists()


def test_editing_and_deleting_a_contract(actors, shop):
    line = ContractPriceFactory.create(price_list__supplier=actors.organization, price_list__buyer=shop)
    price_list = line.price_list

    edited = actors.member_client.post(
        reverse("pricing:contract_edit", args=[price_list.pk]),
        {"buyer": shop.pk, "name": "改签协议", "valid_from": "2026-02-01", "valid_until": "2026-12-31"},
    )
    price_list.refresh_from_db()
    removed = actors.member_client.post(reverse("pricing:contract_line_remove", args=[line.pk]))
    deleted = actors.member_client.post(reverse("pricing:contract_delete", args=[price_list.pk]))

    assert edited.status_code == removed.status_code == deleted.status_code == 302
    assert (price_list.name, price_list.is_active, str(price_list.valid_from)) == (
        "改签协议",
        False,
        "2026-02-01",
    )
    assert not ContractPriceList.objects.exists()


# The price check and the buyer picker -------------------------------------------------------------------


def test_the_price_check_shows_what_the_shop_pays_and_why(actors, shop):
    offer = OfferFactory.create(supplier=actors.organization, sku="JC-0001", price=Decimal("45.00"))
    today = timezone.localdate()
    price_list = ContractPriceListFactory.create(
        supplier=actors.organization, buyer=shop, name="2026 年度协议价", valid_from=today, valid_until=None
    )
    ContractPriceFactory.create(price_list=price_list, offer=offer, min_quantity=1, price=Decimal("42.00"))
    ContractPriceFactory.create(price_list=price_list, offer=offer, min_quantity=10, price=Decimal("39.50"))
    group = CustomerGroupFactory.create(
        supplier=actors.organization, name="华东连锁", discount_percent=Decimal("5")
    )
    CustomerGroupMemberFactory.create(group=group, buyer=shop)

    response = actors.member_client.get(
        reverse("pricing:price_check"), {"buyer": shop.pk, "offer": "JC-0001", "quantity": "12"}
    )

    html = _html(response)
    assert 'data-testid="check-price">¥39.50<' in html
    assert "2026 年度协议价 (≥10 件)" in html
    assert re.findall(r'data-verdict="(\w+)"', html) == ["other_break", "applied", "contract_first"]
    assert "¥42.75" in html  # the group's 5% off ¥45.00, not taken


def test_the_price_check_names_what_is_missing(actors):
    response = actors.member_client.get(
        reverse("pricing:price_check"), {"buyer": "", "offer": "NOPE", "quantity": "0"}
    )

    html = _html(response)
    assert f'data-testid="error-buyer">{errors.BUYER_REQUIRED}' in html
    assert f'data-testid="error-offer">{errors.OFFER_NOT_FOUND}' in html
    assert f'data-testid="error-quantity">{errors.QUANTITY_INVALID}' in html
    assert 'data-testid="check-result"' not in html


def test_the_price_check_never_explains_another_suppliers_offer(actors, shop):
    OfferFactory.create(supplier=actors.other_organization, sku="OTHER-1")

    response = actors.member_client.get(
        reverse("pricing:price_check"), {"buyer": shop.pk, "offer": "OTHER-1"}
    )

    assert f'data-testid="error-offer">{errors.OFFER_NOT_FOUND}' in _html(response)


def test_the_buyer_picker_finds_active_shops_only(actors, shop):
    ShopFactory.create(name="上海安途待审门店", status=Organization.Status.PENDING)
    Organization.objects.filter(pk=actors.other_organization.pk).update(name="上海安途汽配厂")

    html = _html(actors.member_client.get(reverse("pricing:buyer_lookup"), {"q": "上海安途"}))

    assert re.findall(r'data-pick-buyer="(\d+)"', html) == [str(shop.pk)]
    assert actors.colleague_client.get(reverse("pricing:buyer_lookup"), {"q": "上海"}).status_code == 403


def test_the_price_check_opened_from_a_contract_starts_with_its_shop(actors, shop):
    html = _html(actors.member_client.get(reverse("pricing:price_check"), {"buyer": shop.pk}))

    assert f'value="{shop.pk}"' in html
    assert shop.name in html
    assert "invalid-feedback" not in html
