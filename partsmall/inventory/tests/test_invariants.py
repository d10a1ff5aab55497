"""The stock invariants: random sequences of receive / reserve / release / ship / adjust /
stocktake keep 0 <= reserved <= on_hand, on_hand == Σ movements and Offer.stock_quantity
in step (hypothesis state machine); `manage.py check_invariants` finds a corrupted row and
exits non-zero."""

import io
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from partsmall.catalog.models import Offer
from partsmall.catalog.tests.factories import OfferFactory
from partsmall.core.errors import ApplicationError
from partsmall.inventory.models import MovementKind, StockLevel
from partsmall.inventory.selectors import invariant_violations
from partsmall.inventory.services import (
    InsufficientStock,
    ReserveLine,
    stock_adjust,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_ship,
    stocktake_record,
)
from partsmall.inventory.tests.factories import BEIJING, GUANGDONG, ZHEJIANG, WarehouseFactory, stock_level_of
from partsmall.organizations.tests.factories import OrganizationFactory

REF = "order_line"


class StockMachine(RuleBasedStateMachine):
    """One supplier, two offers, three warehouses; a model of what each level should hold."""

    def __init__(self) -> None:
        super().__init__()
        # Each run in a savepoint rolled back at its end: the runs do not see each other.
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        supplier = OrganizationFactory.create()
        self.offers = [OfferFactory.create(supplier=supplier, stock_quantity=0) for _ in range(2)]
        self.warehouses = [
            WarehouseFactory.create(organization=supplier, province_id=code)
            for code in (GUANGDONG, ZHEJIANG, BEIJING)
        ]
        # (warehouse index, offer index) → [on_hand, reserved]
        self.model: dict[tuple[int, int], list[int]] = {}
        # ref id → {(warehouse index, offer index): held}
        self.held: dict[int, dict[tuple[int, int], int]] = {}
        self.next_ref = 1

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def _key_of(self, warehouse_id: int, offer: Offer) -> tuple[int, int]:
        w = next(i for i, wh in enumerate(self.warehouses) if wh.pk == warehouse_id)
        return w, self.offers.index(offer)

    def _level(self, key: tuple[int, int]) -> StockLevel:
        offer = self.offers[key[1]]
        return StockLevel.objects.get(warehouse=self.warehouses[key[0]], part=offer.part, grade=offer.grade)

    @initialize(quantities=st.lists(st.integers(0, 20), min_size=6, max_size=6))
    def first_stock(self, quantities: list[int]) -> None:
        for index, quantity in enumerate(quantities):
            if quantity:
                self.receive(w=index // 2, o=index % 2, quantity=quantity, returned=False)

    @rule(w=st.integers(0, 2), o=st.integers(0, 1), quantity=st.integers(1, 30), returned=st.booleans())
    def receive(self, w: int, o: int, quantity: int, returned: bool) -> None:
        offer = self.offers[o]
        stock_receive(
            warehouse=self.warehouses[w],
            part=offer.part,
            grade=offer.grade,
            quantity=quantity,
            kind=MovementKind.RETURN if returned else MovementKind.RECEIPT,
            ref_type="test",
            ref_id=None,
            ref_label="",
            by=None,
        )
        self.model.setdefault((w, o), [0, 0])[0] += quantity

    @rule(
        lines=st.lists(
            st.tuples(st.integers(0, 1), st.integers(1, 8)), min_size=1, max_size=2, unique_by=lambda t: t[0]
        ),
        province=st.sampled_from([GUANGDONG, ZHEJIANG, BEIJING, "65", None]),
    )
    def reserve(self, lines: list[tuple[int, int]], province: str | None) -> None:
        refs = list(range(self.next_ref, self.next_ref + len(lines)))
        self.next_ref += len(lines)
        wanted = [
            ReserveLine(offer=self.offers[o], quantity=q, ref_id=r)
            for (o, q), r in zip(lines, refs, strict=True)
        ]
        free = {o: sum(v[0] - v[1] for (_w, oo), v in self.model.items() if oo == o) for o, _q in lines}
        try:
            allocations = stock_reserve(
                lines=wanted, ref_type=REF, ref_label="SO", province_code=province, by=None
            )
        except InsufficientStock:
            assert any(q > free[o] for o, q in lines)
            return
        assert all(q <= free[o] for o, q in lines)
        for line in wanted:
            mine = [a for a in allocations if a.ref_id == line.ref_id]
            assert sum(a.quantity for a in mine) == line.quantity
            for allocation in mine:
                key = self._key_of(allocation.warehouse_id, line.offer)
                self.model[key][1] += allocation.quantity
                self.held.setdefault(line.ref_id, {})[key] = allocation.quantity

    @precondition(lambda self: bool(self.held))
    @rule(data=st.data())
    def release(self, data: Any) -> None:
        ref = data.draw(st.sampled_from(sorted(self.held)))
        stock_release(ref_type=REF, ref_ids=[ref], ref_label="SO", by=None)
        for key, quantity in self.held.pop(ref).items():
            self.model[key][1] -= quantity

    @precondition(lambda self: bool(self.held))
    @rule(data=st.data(), extra=st.integers(-1, 2))
    def ship(self, data: Any, extra: int) -> None:
        ref = data.draw(st.sampled_from(sorted(self.held)))
        key = data.draw(st.sampled_from(sorted(self.held[ref])))
        held = self.held[ref][key]
        quantity = max(1, held + extra)
        try:
            stock_ship(
                ref_type=REF,
                ref_id=ref,
                warehouse_id=self.warehouses[key[0]].pk,
                quantity=quantity,
                shipment_ref_type="shipment",
                shipment_ref_id=ref,
                ref_label="SO",
                by=None,
            )
        except ApplicationError:
            assert quantity > held
            return
        assert quantity <= held
        self.model[key][0] -= quantity
        self.model[key][1] -= quantity
        self.held[ref][key] -= quantity

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), delta=st.integers(-10, 10).filter(bool))
    def adjust(self, data: Any, delta: int) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        on_hand, reserved = self.model[key]
        try:
            stock_adjust(stock_level=self._level(key), delta=delta, reason="测试", by=None)
        except ApplicationError:
            assert on_hand + delta < reserved
            return
        self.model[key][0] += delta

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), counted=st.integers(0, 30))
    def stocktake(self, data: Any, counted: int) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        level = self._level(key)
        try:
            stocktake_record(warehouse=self.warehouses[key[0]], counts={level.pk: counted}, by=None)
        except ApplicationError:
            assert counted < self.model[key][1]
            return
        self.model[key][0] = counted

    @invariant()
    def levels_match_the_model_and_the_ledger(self) -> None:
        for key, (on_hand, reserved) in self.model.items():
            level = self._level(key)
            assert (level.on_hand, level.reserved) == (on_hand, reserved)
        assert invariant_violations(offers=True) == []

    @invariant()
    def offers_show_what_is_available(self) -> None:
        for o, offer in enumerate(self.offers):
            available = sum(v[0] - v[1] for (_w, oo), v in self.model.items() if oo == o)
            assert Offer.objects.get(pk=offer.pk).stock_quantity == available


@pytest.mark.django_db
def test_random_sequences_of_stock_changes_keep_the_invariants():
    run_state_machine_as_test(
        StockMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


# --- manage.py check_invariants ---------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    """Runs the command as `manage.py` does: (exit code, output)."""
    out = io.StringIO()
    code = 0
    try:
        call_command("check_invariants", *args, stdout=out)
    except CommandError as error:
        code = error.returncode
    return code, out.getvalue()


@pytest.mark.django_db
def test_check_invariants_passes_when_the_stock_is_consistent():
    stock_level_of(OrganizationFactory.create(), quantity=4)

    assert _run() == (0, "stock invariants hold\n")


@pytest.mark.django_db
def test_check_invariants_exits_non_zero_on_a_level_out_of_step_with_its_movements():
    level = stock_level_of(OrganizationFactory.create(), quantity=4)
    StockLevel.objects.filter(pk=level.pk).update(on_hand=7)

    code, output = _run()

    assert code == 1
    assert output == f"stock_level #{level.pk} [on_hand == sum(movements)] on_hand=7 movements=4\n"


@pytest.mark.django_db
def test_check_invariants_reports_every_violation_and_manage_py_exits_1(capsys):
    first = stock_level_of(OrganizationFactory.create(), quantity=4)
    second = stock_level_of(OrganizationFactory.create(), quantity=2)
    StockLevel.objects.filter(pk=first.pk).update(on_hand=3)
    # reserved > on_hand gets past the database's check constraint only with it switched off.
    _without_check_constraints(lambda: StockLevel.objects.filter(pk=second.pk).update(reserved=5))

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "check_invariants"]).execute()

    lines = capsys.readouterr().out.splitlines()
    assert exited.value.code == 1
    assert lines == [
        f"stock_level #{second.pk} [0 <= reserved <= on_hand] on_hand=2 reserved=5",
        f"stock_level #{first.pk} [on_hand == sum(movements)] on_hand=3 movements=4",
        f"stock_level #{second.pk} [reserved == sum(movements)] reserved=5 movements=0",
        f"stock_level #{second.pk} [reserved == sum(reservations)] reserved=5 held=0",
    ]


@pytest.mark.django_db
def test_check_invariants_with_offers_finds_a_quantity_written_by_hand():
    offer = OfferFactory.create(stock_quantity=0)
    Offer.objects.filter(pk=offer.pk).update(stock_quantity=9)

    assert _run() == (0, "stock invariants hold\n")
    assert _run("--offers") == (1, f"offer [offer.stock_quantity == available] offer #{offer.pk}: 9 != 0\n")


def _without_check_constraints(write: Any) -> None:
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                write()
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            # Inside the test's transaction: rolled back with it (deferred foreign-key checks
            # are run first: a table with pending trigger events cannot be altered).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT stock_reserved_within_on_hand")
            write()
