"""The demo's customer prices: two suppliers' groups, and the key account's contract with
quantity breaks that the resolver applies to it and to no other shop."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from partsmall.catalog.models import Offer
from partsmall.core.money import to_money
from partsmall.demo import data
from partsmall.organizations.models import Organization
from partsmall.pricing.models import ContractPriceList, CustomerGroup, ListStatus, PriceSource
from partsmall.pricing.resolver import resolve_price


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """The demo loaded once for this module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: None, db: None) -> None:
    return demo


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
