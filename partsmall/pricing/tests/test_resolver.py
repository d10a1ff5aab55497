"""The price resolver: precedence, quantity breaks, validity, ties, rounding, batching.

The property tests build a random pricing world for one offer (contract lists for the
buyer and for another shop, groups by name and by tier, with fixed prices and
percentages) and check the resolver against an oracle written straight from the rules
in resolver.py, on plain data rather than rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.core.money import to_money
from partsmall.organizations.models import Organization
from partsmall.organizations.tests.factories import OrganizationFactory
from partsmall.pricing.models import ContractPrice, ContractPriceList, CustomerGroup, GroupPrice, PriceSource
from partsmall.pricing.resolver import (
    Verdict,
    percent_price,
    price_explain,
    resolve_price,
    resolve_prices,
)
from partsmall.pricing.tests.factories import (
    ContractPriceFactory,
    ContractPriceListFactory,
    CustomerGroupFactory,
    CustomerGroupMemberFactory,
    GroupPriceFactory,
    ShopFactory,
)

DAY = date(2026, 6, 15)


@pytest.fixture
def offer(db) -> Offer:
    return OfferFactory.create(price=Decimal("100.00"))


@pytest.fixture
def buyer(db) -> Organization:
    return ShopFactory.create(name="上海安途汽车服务连锁有限公司")


# Examples -----------------------------------------------------------------------------------


def test_without_a_buyer_the_standard_price_applies(offer):
    ContractPriceFactory.create(price_list__supplier=offer.supplier, offer=offer, price=Decimal("50.00"))

    resolved = resolve_price(buyer=None, offer=offer, quantity=5, on=DAY)

    assert (resolved.unit_price, resolved.source, resolved.ref_type, resolved.ref_id, resolved.ref_label) == (
        Decimal("100.00"),
        PriceSource.STANDARD,
        "",
        None,
        "",
    )


def test_the_highest_break_not_above_the_quantity_applies(offer, buyer):
    price_list = ContractPriceListFactory.create(supplier=offer.supplier, buyer=buyer, name="2026 年度协议价")
    ContractPriceFactory.create(price_list=price_list, offer=offer, min_quantity=1, price=Decimal("90.00"))
    tenth = ContractPriceFactory.create(
        price_list=price_list, offer=offer, min_quantity=10, price=Decimal("85.00")
    )
    ContractPriceFactory.create(price_list=price_list, offer=offer, min_quantity=50, price=Decimal("80.00"))

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=49, on=DAY)

    assert (resolved.unit_price, resolved.source, resolved.ref_type, resolved.ref_id) == (
        Decimal("85.00"),
        PriceSource.CONTRACT,
        "contract_price",
        tenth.pk,
    )
    assert resolved.ref_label == "2026 年度协议价 (≥10 件)"


def test_below_every_break_the_group_price_applies(offer, buyer):
    ContractPriceFactory.create(
        price_list__supplier=offer.supplier, price_list__buyer=buyer, offer=offer, min_quantity=10
    )
    group = CustomerGroupFactory.create(
        supplier=offer.supplier, name="华东修理厂", discount_percent=Decimal("5")
    )
    CustomerGroupMemberFactory.create(group=group, buyer=buyer)

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=9, on=DAY)

    assert (resolved.unit_price, resolved.source, resolved.ref_type, resolved.ref_id, resolved.ref_label) == (
        Decimal("95.00"),
        PriceSource.GROUP,
        "customer_group",
        group.pk,
        "华东修理厂 (优惠 5%)",
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "applies"),
    [
        (DAY, DAY, True),
        (DAY - timedelta(days=30), None, True),
        (DAY + timedelta(days=1), None, False),
        (DAY - timedelta(days=30), DAY - timedelta(days=1), False),
    ],
)
def test_a_contract_applies_only_on_its_valid_days(offer, buyer, valid_from, valid_until, applies):
    ContractPriceFactory.create(
        price_list__supplier=offer.supplier,
        price_list__buyer=buyer,
        price_list__valid_from=valid_from,
        price_list__valid_until=valid_until,
        offer=offer,
        price=Decimal("70.00"),
    )

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY)

    assert resolved.unit_price == (Decimal("70.00") if applies else Decimal("100.00"))


def test_an_inactive_contract_or_group_is_ignored(offer, buyer):
    ContractPriceFactory.create(
        price_list__supplier=offer.supplier, price_list__buyer=buyer, price_list__is_active=False, offer=offer
    )
    group = CustomerGroupFactory.create(
        supplier=offer.supplier, discount_percent=Decimal("10"), is_active=False
    )
    CustomerGroupMemberFactory.create(group=group, buyer=buyer)

    assert resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY).source == PriceSource.STANDARD


def test_another_shop_never_gets_the_contract_price(offer, buyer):
    ContractPriceFactory.create(price_list__supplier=offer.supplier, price_list__buyer=buyer, offer=offer)
    other = ShopFactory.create()

    resolved = resolve_price(buyer=other, offer=offer, quantity=1, on=DAY)

    assert (resolved.unit_price, resolved.source) == (Decimal("100.00"), PriceSource.STANDARD)


def test_a_contract_of_another_supplier_never_prices_this_offer(offer, buyer):
    # A line written past the services (they refuse it): the resolver still checks the supplier.
    foreign = ContractPriceListFactory.create(buyer=buyer)
    ContractPrice.objects.create(price_list=foreign, offer=offer, min_quantity=1, price=Decimal("1.00"))

    assert resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY).source == PriceSource.STANDARD


def test_a_tier_group_prices_every_buyer_of_that_tier(offer, buyer):
    Organization.objects.filter(pk=buyer.pk).update(tier=Organization.Tier.KEY_ACCOUNT)
    buyer.refresh_from_db()
    group = CustomerGroupFactory.create(
        supplier=offer.supplier,
        basis=CustomerGroup.Basis.TIER,
        tier=Organization.Tier.KEY_ACCOUNT,
        discount_percent=Decimal("8"),
    )
    standard_shop = ShopFactory.create()

    mine = resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY)
    theirs = resolve_price(buyer=standard_shop, offer=offer, quantity=1, on=DAY)

    assert (mine.unit_price, mine.ref_id) == (Decimal("92.00"), group.pk)
    assert theirs.source == PriceSource.STANDARD


def test_a_groups_fixed_price_wins_over_its_percentage(offer, buyer):
    group = CustomerGroupFactory.create(supplier=offer.supplier, name="VIP", discount_percent=Decimal("50"))
    CustomerGroupMemberFactory.create(group=group, buyer=buyer)
    fixed = GroupPriceFactory.create(group=group, offer=offer, price=Decimal("88.00"))

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY)

    assert (resolved.unit_price, resolved.ref_type, resolved.ref_id, resolved.ref_label) == (
        Decimal("88.00"),
        "group_price",
        fixed.pk,
        "VIP",
    )


def test_a_buyer_in_several_groups_gets_the_lowest_and_equal_prices_go_to_the_older_group(offer, buyer):
    older = CustomerGroupFactory.create(supplier=offer.supplier, discount_percent=Decimal("10"))
    newer = CustomerGroupFactory.create(supplier=offer.supplier)
    dearer = CustomerGroupFactory.create(supplier=offer.supplier, discount_percent=Decimal("3"))
    for group in (older, newer, dearer):
        CustomerGroupMemberFactory.create(group=group, buyer=buyer)
    GroupPriceFactory.create(group=newer, offer=offer, price=Decimal("90.00"))

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY)

    assert (resolved.unit_price, resolved.ref_type, resolved.ref_id) == (
        Decimal("90.00"),
        "customer_group",
        older.pk,
    )


def test_overlapping_contract_lists_the_one_that_took_effect_last_wins(offer, buyer):
    old = ContractPriceListFactory.create(
        supplier=offer.supplier, buyer=buyer, valid_from=date(2026, 1, 1), valid_until=None
    )
    new = ContractPriceListFactory.create(
        supplier=offer.supplier, buyer=buyer, valid_from=date(2026, 6, 1), valid_until=None
    )
    ContractPriceFactory.create(price_list=old, offer=offer, min_quantity=1, price=Decimal("60.00"))
    ContractPriceFactory.create(price_list=new, offer=offer, min_quantity=1, price=Decimal("75.00"))
    bulk = ContractPriceFactory.create(price_list=new, offer=offer, min_quantity=20, price=Decimal("70.00"))
    ContractPriceFactory.create(price_list=old, offer=offer, min_quantity=100, price=Decimal("50.00"))

    assert resolve_price(buyer=buyer, offer=offer, quantity=5, on=DAY).unit_price == Decimal("75.00")
    assert resolve_price(buyer=buyer, offer=offer, quantity=100, on=DAY).ref_id == bulk.pk
    before_new = resolve_price(buyer=buyer, offer=offer, quantity=5, on=date(2026, 5, 31))
    assert before_new.unit_price == Decimal("60.00")


def test_a_contract_is_not_cut_further_by_a_group(offer, buyer):
    ContractPriceFactory.create(
        price_list__supplier=offer.supplier, price_list__buyer=buyer, offer=offer, price=Decimal("98.00")
    )
    group = CustomerGroupFactory.create(supplier=offer.supplier, discount_percent=Decimal("20"))
    CustomerGroupMemberFactory.create(group=group, buyer=buyer)

    resolved = resolve_price(buyer=buyer, offer=offer, quantity=1, on=DAY)

    assert (resolved.unit_price, resolved.source) == (Decimal("98.00"), PriceSource.CONTRACT)


@pytest.mark.parametrize(
    ("standard", "percent", "expected"),
    [
        ("10.05", "10", "9.05"),  # 9.045 rounds half up
        ("0.01", "50", "0.01"),  # 0.005 rounds half up
        ("33.33", "12.5", "29.16"),  # 29.163…
        ("19.99", "0.01", "19.99"),  # 19.988… once, not twice
        ("0.01", "60", "0.01"),  # 0.004 would round to nothing: never below a cent
    ],
)
def test_a_percentage_rounds_once_half_up(standard, percent, expected):
    assert percent_price(Decimal(standard), Decimal(percent)) == Decimal(expected)


def test_many_offers_resolve_in_two_statements(db, buyer, django_assert_num_queries):
    suppliers = OrganizationFactory.create_batch(3)
    offers = [OfferFactory.create(supplier=s) for s in suppliers for _ in range(4)]
    for supplier in suppliers:
        first, second, *_rest = (o for o in offers if o.supplier == supplier)
        group = CustomerGroupFactory.create(supplier=supplier, discount_percent=Decimal("5"))
        CustomerGroupMemberFactory.create(group=group, buyer=buyer)
        GroupPriceFactory.create(group=group, offer=first)
        ContractPriceFactory.create(price_list__supplier=supplier, price_list__buyer=buyer, offer=second)

    with django_assert_num_queries(2):
        batch = resolve_prices(buyer=buyer, offers=offers, quantity=1, on=DAY)

    assert batch == {o.pk: resolve_price(buyer=buyer, offer=o, quantity=1, on=DAY) for o in offers}
    assert {r.source for r in batch.values()} == {PriceSource.CONTRACT, PriceSource.GROUP}


def test_quantities_per_offer_override_the_common_quantity(offer, buyer):
    ContractPriceFactory.create(
        price_list__supplier=offer.supplier, price_list__buyer=buyer, offer=offer, min_quantity=10
    )
    other = OfferFactory.create(supplier=offer.supplier)

    batch = resolve_prices(buyer=buyer, offers=[offer, other], quantity=1, on=DAY, quantities={offer.pk: 10})

    assert (batch[offer.pk].source, batch[other.pk].source) == (PriceSource.CONTRACT, PriceSource.STANDARD)


def test_a_quantity_below_one_is_a_programming_error(offer, buyer):
    with pytest.raises(ValueError, match="quantity"):
        resolve_price(buyer=buyer, offer=offer, quantity=0, on=DAY)


def test_the_explanation_gives_each_candidate_its_verdict(offer, buyer):
    live = ContractPriceListFactory.create(supplier=offer.supplier, buyer=buyer, valid_from=date(2026, 1, 1))
    expired = ContractPriceListFactory.create(
        supplier=offer.supplier, buyer=buyer, valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)
    )
    applied = ContractPriceFactory.create(
        price_list=live, offer=offer, min_quantity=1, price=Decimal("80.00")
    )
    bulk = ContractPriceFactory.create(price_list=live, offer=offer, min_quantity=50, price=Decimal("70.00"))
    old = ContractPriceFactory.create(price_list=expired, offer=offer, price=Decimal("60.00"))
    group = CustomerGroupFactory.create(supplier=offer.supplier, discount_percent=Decimal("5"))
    CustomerGroupMemberFactory.create(group=group, buyer=buyer)

    explanation = price_explain(buyer=buyer, offer=offer, quantity=5, on=DAY)

    assert explanation.resolved.ref_id == applied.pk
    assert [(c.line.pk, c.verdict) for c in explanation.contracts] == [
        (applied.pk, Verdict.APPLIED),
        (bulk.pk, Verdict.BREAK_ABOVE_QUANTITY),
        (old.pk, Verdict.EXPIRED),
    ]
    assert [(g.group.pk, g.price, g.verdict) for g in explanation.groups] == [
        (group.pk, Decimal("95.00"), Verdict.CONTRACT_FIRST)
    ]


# Properties ---------------------------------------------------------------------------------

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
percents = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2)
offsets = st.integers(min_value=-40, max_value=40)


@dataclass(frozen=True)
class ListSpec:
    for_buyer: bool
    starts: int  # days from DAY
    ends: int | None  # days after the start, None = open-ended
    active: bool
    breaks: dict[int, Decimal]  # min_quantity → price

    def valid(self) -> bool:
        start = DAY + timedelta(days=self.starts)
        end = None if self.ends is None else start + timedelta(days=self.ends)
        return self.active and start <= DAY and (end is None or DAY <= end)


@dataclass(frozen=True)
class GroupSpec:
    by_tier: bool
    tier: str
    member: bool
    percent: Decimal | None
    fixed: Decimal | None
    active: bool


list_specs = st.builds(
    ListSpec,
    for_buyer=st.booleans(),
    starts=offsets,
    ends=st.none() | st.integers(min_value=0, max_value=60),
    active=st.booleans(),
    breaks=st.dictionaries(st.integers(min_value=1, max_value=60), money, min_size=1, max_size=4),
)
group_specs = st.builds(
    GroupSpec,
    by_tier=st.booleans(),
    tier=st.sampled_from(Organization.Tier.values),
    member=st.booleans(),
    percent=st.none() | percents,
    fixed=st.none() | money,
    active=st.booleans(),
)
worlds = st.fixed_dictionaries(
    {
        "standard": money,
        "buyer_tier": st.sampled_from(Organization.Tier.values),
        "lists": st.lists(list_specs, max_size=4),
        "groups": st.lists(group_specs, max_size=4),
        "quantity": st.integers(min_value=1, max_value=80),
    }
)


def _oracle_contract(world: dict) -> Decimal | None:
    best: tuple[int, int, int, Decimal] | None = None
    for index, spec in enumerate(world["lists"]):
        if not (spec.for_buyer and spec.valid()):
            continue
        for min_quantity, price in spec.breaks.items():
            if min_quantity <= world["quantity"]:
                key = (spec.starts, index, min_quantity, price)
                best = key if best is None or key[:3] > best[:3] else best
    return None if best is None else best[3]


def _oracle_group(world: dict) -> Decimal | None:
    prices = []
    for spec in world["groups"]:
        belongs = spec.tier == world["buyer_tier"] if spec.by_tier else spec.member
        if not (spec.active and belongs):
            continue
        if spec.fixed is not None:
            prices.append(spec.fixed)
        elif spec.percent is not None:
            prices.append(max(to_money(world["standard"] * (100 - spec.percent) / 100), Decimal("0.01")))
    return min(prices, default=None)


def _build(world: dict) -> tuple[Offer, Organization, Organization]:
    supplier = OrganizationFactory.create()
    offer = OfferFactory.create(supplier=supplier, price=world["standard"])
    buyer = ShopFactory.create(tier=world["buyer_tier"])
    other = ShopFactory.create(tier=world["buyer_tier"])
    for spec in world["lists"]:
        start = DAY + timedelta(days=spec.starts)
        price_list = ContractPriceList.objects.create(
            supplier=supplier,
            buyer=buyer if spec.for_buyer else other,
            name="协议",
            valid_from=start,
            valid_until=None if spec.ends is None else start + timedelta(days=spec.ends),
            is_active=spec.active,
        )
        ContractPrice.objects.bulk_create(
            ContractPrice(price_list=price_list, offer=offer, min_quantity=q, price=p)
            for q, p in spec.breaks.items()
        )
    for index, spec in enumerate(world["groups"]):
        group = CustomerGroup.objects.create(
            supplier=supplier,
            name=f"组{index}",
            basis=CustomerGroup.Basis.TIER if spec.by_tier else CustomerGroup.Basis.MEMBERS,
            tier=spec.tier if spec.by_tier else "",
            discount_percent=spec.percent,
            is_active=spec.active,
        )
        if spec.member and not spec.by_tier:
            group.members.create(buyer=buyer)
        if spec.fixed is not None:
            GroupPrice.objects.create(group=group, offer=offer, price=spec.fixed)
    return offer, buyer, other


property_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@property_settings
@given(world=worlds)
def test_contract_beats_group_beats_standard_never_stacked(db, world):
    with transaction.atomic():
        offer, buyer, _other = _build(world)

        resolved = resolve_price(buyer=buyer, offer=offer, quantity=world["quantity"], on=DAY)

        transaction.set_rollback(True)
    contract, group = _oracle_contract(world), _oracle_group(world)
    if contract is not None:
        assert (resolved.source, resolved.unit_price) == (PriceSource.CONTRACT, contract)
    elif group is not None:
        assert (resolved.source, resolved.unit_price) == (PriceSource.GROUP, group)
    else:
        assert (resolved.source, resolved.unit_price) == (PriceSource.STANDARD, world["standard"])


@property_settings
@given(world=worlds)
def test_a_contract_price_is_always_a_valid_break_of_that_buyer_not_above_the_quantity(db, world):
    with transaction.atomic():
        offer, buyer, other = _build(world)
        stranger = ShopFactory.create(tier=world["buyer_tier"])
        quantity = world["quantity"]

        resolved = {
            shop.pk: resolve_price(buyer=shop, offer=offer, quantity=quantity, on=DAY)
            for shop in (buyer, other, stranger)
        }
        lines = ContractPrice.objects.select_related("price_list").in_bulk(
            [r.ref_id or 0 for r in resolved.values()]
        )

        transaction.set_rollback(True)
    for shop_id, price in resolved.items():
        if price.source != PriceSource.CONTRACT:
            continue
        line = lines[price.ref_id]
        assert line.price_list.buyer_id == shop_id
        assert line.min_quantity <= quantity
        assert line.price_list.is_active
        assert line.price_list.valid_from <= DAY
        assert line.price_list.valid_until is None or line.price_list.valid_until >= DAY
        assert price.unit_price == line.price
    # A shop of the same tier in no named group and with no contract of its own.
    assert resolved[stranger.pk].source != PriceSource.CONTRACT
    if resolved[stranger.pk].source == PriceSource.GROUP:
        assert any(g.by_tier and g.tier == world["buyer_tier"] and g.active for g in world["groups"])


@property_settings
@given(world=worlds, more=st.integers(min_value=0, max_value=40))
def test_buying_more_of_one_contract_list_never_picks_a_lower_break(db, world, more):
    with transaction.atomic():
        offer, buyer, _other = _build(world)
        quantity = world["quantity"]

        few = resolve_price(buyer=buyer, offer=offer, quantity=quantity, on=DAY)
        many = resolve_price(buyer=buyer, offer=offer, quantity=quantity + more, on=DAY)
        lines = {
            line.pk: line for line in ContractPrice.objects.filter(pk__in=[few.ref_id or 0, many.ref_id or 0])
        }

        transaction.set_rollback(True)
    if few.source == PriceSource.CONTRACT:
        assert many.source == PriceSource.CONTRACT
        first, second = lines[few.ref_id or 0], lines[many.ref_id or 0]
        if first.price_list_id == second.price_list_id:
            assert second.min_quantity >= first.min_quantity
