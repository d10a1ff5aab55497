"""Checkouts per second on PostgreSQL (issue 4, acceptance 6).

    .venv/bin/python -m bench.checkout.run [--processes 8] [--checkouts 1600] [--hot-stock 300]

Builds a fresh database `partsmall_bench_checkout` (migrations of today), two suppliers
with two warehouses each, buyers (repair shops) with an address and a filled cart, then
runs each scenario from N processes started together:

- `mixed`: carts of 3 lines over 2 suppliers, stock plentiful: every checkout succeeds;
- `hot`: every cart holds 1 unit of one hot offer whose stock is smaller than the number
  of carts: exactly that many succeed, the others are refused, nothing is oversold;

each through the project's `checkout_submit` (the service), through the same
transaction written by hand in SQL (bench/checkout/floor.py: the floor) and, with
`--http`, through the REST endpoint served by gunicorn. A checkout counts once, however
many supplier orders it makes. After each run the stock invariants are checked
(`manage.py check_invariants`) and oversell is counted.
"""

import argparse
import multiprocessing as mp
import os
import platform
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bench.search.common import format_table, percentile, recreate_postgres_database, setup_django

if TYPE_CHECKING:
    from partsmall.catalog.models import Offer

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/partsmall_bench_checkout"
HOST = "127.0.0.1"
PLENTY = 10_000_000


@dataclass
class WorkerResult:
    ok: int = 0
    refused: int = 0
    failed: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    start: float = 0.0
    end: float = 0.0


@dataclass
class Figure:
    scenario: str
    way: str
    attempts: int
    ok: int
    refused: int
    failed: int
    seconds: float
    p50_ms: float
    p95_ms: float
    oversold: int
    invariants: str

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


# Data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    mixed_offers: list[int]  # 3 offers: two of supplier A, one of supplier B
    hot_offer: int
    user_id: int


def build(hot_stock: int) -> Dataset:
    from partsmall.accounts.models import User
    from partsmall.catalog.models import Brand, Category, Grade, Offer, Part
    from partsmall.core.testing import make_credit_code
    from partsmall.inventory.services import stock_receive, warehouse_create
    from partsmall.organizations.models import Organization, Region

    user = User.objects.create_user(phone="13900000000", password="bench-Only-1")
    category = Category.objects.create(name="机油滤清器", code="bench-oil-filter")
    brand = Brand.objects.create(name="BENCH", name_norm="BENCH")
    places = []  # (province, city, district) in four provinces
    for province in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")[:4]:
        district = Region.objects.filter(parent__parent=province).order_by("code").first()
        assert district is not None
        places.append((province.code, district.parent_id, district.code))
    suppliers = [
        Organization.objects.create(
            kind=Organization.Kind.SUPPLIER,
            name=f"压测配件厂商{n}",
            credit_code=make_credit_code(n + 1),
            status=Organization.Status.ACTIVE,
        )
        for n in range(2)
    ]
    warehouses = {
        supplier.pk: [
            warehouse_create(
                organization=supplier,
                name=f"仓{i}{j}",
                code=f"W{i}{j}",
                province=places[i * 2 + j][0],
                city=places[i * 2 + j][1],
                district=places[i * 2 + j][2],
                by=None,
            )
            for j in range(2)
        ]
        for i, supplier in enumerate(suppliers)
    }

    def offer(supplier: Organization, n: int, stock: int) -> "Offer":
        part = Part.objects.create(
            brand=brand,
            category=category,
            number=f"BENCH-{n}",
            number_norm=f"BENCH{n}",
            name=f"压测机油滤清器{n}",
        )
        made = Offer.objects.create(
            supplier=supplier, part=part, grade=Grade.BRAND, sku=f"B{n}", price=Decimal("39.90")
        )
        shares = [stock - stock // 2, stock // 2]
        for warehouse, share in zip(warehouses[supplier.pk], shares, strict=True):
            if share:
                stock_receive(
                    warehouse=warehouse,
                    part=part,
                    grade=Grade.BRAND,
                    quantity=share,
                    kind="receipt",
                    ref_type="bench",
                    ref_id=None,
                    ref_label="bench",
                    by=None,
                )
        return made

    mixed = [offer(suppliers[0], 1, PLENTY), offer(suppliers[0], 2, PLENTY), offer(suppliers[1], 3, PLENTY)]
    hot = offer(suppliers[1], 4, hot_stock)
    return Dataset([o.pk for o in mixed], hot.pk, user.pk)


def make_buyers(count: int, offers: list[int], label: str) -> list[int]:
    """Repair shops, each with a default address and a cart holding these offers (1 unit)."""
    from partsmall.core.testing import make_credit_code
    from partsmall.orders.models import Address, Cart, CartLine
    from partsmall.organizations.models import Organization, Region

    district = Region.objects.filter(level=Region.Level.DISTRICT).select_related("parent__parent").first()
    assert district is not None
    assert district.parent is not None
    city, province = district.parent, district.parent.parent
    start = Organization.objects.count() + 100
    shops = Organization.objects.bulk_create(
        [
            Organization(
                kind=Organization.Kind.REPAIR_SHOP,
                name=f"压测门店{label}{n}",
                credit_code=make_credit_code(start + n),
                status=Organization.Status.ACTIVE,
            )
            for n in range(count)
        ]
    )
    Address.objects.bulk_create(
        [
            Address(
                organization=shop,
                contact_name="张三",
                contact_phone="13800138000",
                province=province,
                city=city,
                district=district,
                detail="压测路 1 号",
                is_default=True,
            )
            for shop in shops
        ]
    )
    carts = Cart.objects.bulk_create([Cart(organization=shop) for shop in shops])
    CartLine.objects.bulk_create(
        [CartLine(cart=cart, offer_id=o, quantity=1) for cart in carts for o in offers]
    )
    return [shop.pk for shop in shops]


# Workers -------------------------------------------------------------------------------


def _service_worker(buyer_ids: list[int], user_id: int, barrier: Any, out: Any) -> None:
    from django.db import connection

    from partsmall.accounts.models import User
    from partsmall.inventory.services import InsufficientStock
    from partsmall.orders.models import Address
    from partsmall.orders.services.checkout import checkout_submit

    connection.close()
    user = User.objects.get(pk=user_id)
    addresses = {
        a.organization_id: a
        for a in Address.objects.filter(organization_id__in=buyer_ids).select_related(
            "organization", "province", "city", "district"
        )
    }
    result = WorkerResult()
    barrier.wait()
    result.start = time.perf_counter()
    for buyer_id in buyer_ids:
        address = addresses[buyer_id]
        began = time.perf_counter()
        try:
            checkout_submit(
                buyer=address.organization, by=user, address=address, idempotency_key=uuid.uuid4().hex
            )
            result.ok += 1
        except InsufficientStock:
            result.refused += 1
        except Exception as error:  # noqa: BLE001 — counted and shown, the run goes on
            result.failed.append(f"{type(error).__name__}: {error}")
        result.latencies.append(time.perf_counter() - began)
    result.end = time.perf_counter()
    out.put(result)


def _floor_worker(buyer_ids: list[int], user_id: int, barrier: Any, out: Any) -> None:
    import psycopg

    from bench.checkout import floor

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        rows = conn.execute(
            """SELECT o.id, o.tier, a.contact_name, a.contact_phone, p.code, p.name, c.name, d.name, a.detail,
                      o.first_order_at IS NOT NULL
               FROM organizations_organization o JOIN orders_address a ON a.organization_id = o.id
               JOIN organizations_region p ON p.code = a.province_id
               LEFT JOIN organizations_region c ON c.code = a.city_id
               LEFT JOIN organizations_region d ON d.code = a.district_id
               WHERE o.id = ANY(%s)""",
            [buyer_ids],
        ).fetchall()
        buyers = {
            r[0]: floor.Buyer(r[0], r[1], (r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8]), r[9])
            for r in rows
        }
        result = WorkerResult()
        barrier.wait()
        result.start = time.perf_counter()
        for buyer_id in buyer_ids:
            began = time.perf_counter()
            try:
                floor.checkout(conn, buyers[buyer_id], uuid.uuid4().hex, user_id)
                result.ok += 1
            except floor.Shortage:
                result.refused += 1
            except Exception as error:  # noqa: BLE001
                result.failed.append(f"{type(error).__name__}: {error}")
            result.latencies.append(time.perf_counter() - began)
        result.end = time.perf_counter()
    out.put(result)


def _http_worker(
    buyer_ids: list[int], keys: dict[int, tuple[str, int]], port: int, barrier: Any, out: Any
) -> None:
    """POST /api/v1/checkouts/ with each buyer's API key, on one kept-alive connection."""
    import http.client
    import json

    result = WorkerResult()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    barrier.wait()
    result.start = time.perf_counter()
    for buyer_id in buyer_ids:
        key, address_id = keys[buyer_id]
        began = time.perf_counter()
        body = json.dumps({"address": address_id})
        headers = {
            "Authorization": f"Api-Key {key}",
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/json",
        }
        conn.request("POST", "/api/v1/checkouts/", body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        if response.status == 201:
            result.ok += 1
        elif response.status == 400 and "insufficient_stock" in text:
            result.refused += 1
        else:
            result.failed.append(f"{response.status}: {text[:200]}")
        result.latencies.append(time.perf_counter() - began)
    result.end = time.perf_counter()
    conn.close()
    out.put(result)


def api_keys(buyer_ids: list[int], user_id: int) -> dict[int, tuple[str, int]]:
    """A purchaser API key and the default address of each buyer."""
    from partsmall.accounts.models import User
    from partsmall.integrations.services import api_key_create
    from partsmall.orders.models import Address
    from partsmall.organizations.roles import Role

    user = User.objects.get(pk=user_id)
    keys: dict[int, tuple[str, int]] = {}
    for address in Address.objects.filter(organization_id__in=buyer_ids).select_related("organization"):
        _key, full = api_key_create(
            organization=address.organization, by=user, name="压测", role=Role.PURCHASER
        )
        keys[address.organization_id] = (full, address.pk)
    return keys


class Server:
    """gunicorn serving the bench database on a local port (the HTTP way)."""

    def __init__(self, workers: int) -> None:
        import socket
        import subprocess
        import sys

        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "false"}
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "partsmall.config.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(args, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def run_processes(
    target: Callable[..., None], buyer_ids: list[int], processes: int, *extra: Any
) -> list[WorkerResult]:
    from django.db import connections

    connections.close_all()
    context = mp.get_context("fork")
    barrier = context.Barrier(processes)
    out = context.Queue()
    chunks = [buyer_ids[i::processes] for i in range(processes)]
    workers = [context.Process(target=target, args=(chunk, *extra, barrier, out)) for chunk in chunks]
    for worker in workers:
        worker.start()
    results = [out.get() for _ in workers]
    for worker in workers:
        worker.join()
    return results


# Checks --------------------------------------------------------------------------------


def invariants() -> str:
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    try:
        call_command("check_invariants", stdout=output, stderr=output)
    except SystemExit as exit_:
        return f"VIOLATED ({exit_.code}): {output.getvalue().strip()[:300]}"
    return "hold"


def oversold(offer_id: int, stock: int) -> int:
    """Units reserved beyond the stock received for the offer (0 when nothing is oversold)."""
    from django.db.models import Sum

    from partsmall.catalog.models import Offer
    from partsmall.inventory.models import StockLevel

    offer = Offer.objects.get(pk=offer_id)
    levels = StockLevel.objects.filter(
        warehouse__organization_id=offer.supplier_id, part_id=offer.part_id, grade=offer.grade
    ).aggregate(reserved=Sum("reserved"), on_hand=Sum("on_hand"))
    return max(0, (levels["reserved"] or 0) - stock) + max(0, (levels["on_hand"] or 0) - stock)


def figure(scenario: str, way: str, results: list[WorkerResult], attempts: int, over: int) -> Figure:
    latencies = [t for r in results for t in r.latencies]
    failures = [f for r in results for f in r.failed]
    for failure in failures[:5]:
        print(f"    failure ({way}): {failure}")
    return Figure(
        scenario=scenario,
        way=way,
        attempts=attempts,
        ok=sum(r.ok for r in results),
        refused=sum(r.refused for r in results),
        failed=len(failures),
        seconds=max(r.end for r in results) - min(r.start for r in results),
        p50_ms=percentile(latencies, 0.5) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        oversold=over,
        invariants=invariants(),
    )


# Main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--checkouts", type=int, default=1600, help="checkouts per mixed run")
    parser.add_argument("--hot-stock", type=int, default=300, help="units of the hot offer (attempts: 2×)")
    parser.add_argument("--http", action="store_true", help="also through the REST endpoint (gunicorn)")
    parser.add_argument("--http-workers", type=int, default=4, help="gunicorn workers for --http")
    args = parser.parse_args(argv)

    recreate_postgres_database(DATABASE_URL)
    setup_django(DATABASE_URL)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = build(args.hot_stock)
    hot_attempts = args.hot_stock * 2
    figures: list[Figure] = []
    for way, worker in (("service", _service_worker), ("floor (SQL)", _floor_worker)):
        extra = (data.user_id,)
        buyers = make_buyers(args.checkouts, data.mixed_offers, f"{way}-mixed-")
        print(f"mixed, {way}: {len(buyers)} checkouts from {args.processes} processes …", flush=True)
        results = run_processes(worker, buyers, args.processes, *extra)
        figures.append(figure("mixed (3 lines, 2 suppliers)", way, results, len(buyers), 0))
        # The hot offer starts from the same stock for each way.
        _restock_hot(data.hot_offer, args.hot_stock)
        buyers = make_buyers(hot_attempts, [data.hot_offer], f"{way}-hot-")
        print(f"hot, {way}: {len(buyers)} carts for {args.hot_stock} units …", flush=True)
        results = run_processes(worker, buyers, args.processes, *extra)
        figures.append(
            figure("hot offer", way, results, len(buyers), oversold(data.hot_offer, args.hot_stock))
        )
    if args.http:
        figures += http_figures(args, data)
    print()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.node()}, nproc {os.cpu_count()}, "
        f"{args.processes} processes"
    )
    print(table(figures))


def http_figures(args: argparse.Namespace, data: Dataset) -> list[Figure]:
    figures = []
    server = Server(args.http_workers)
    try:
        buyers = make_buyers(args.checkouts, data.mixed_offers, "http-mixed-")
        keys = api_keys(buyers, data.user_id)
        print(f"mixed, HTTP: {len(buyers)} checkouts from {args.processes} clients …", flush=True)
        results = run_processes(_http_worker, buyers, args.processes, keys, server.port)
        figures.append(figure("mixed (3 lines, 2 suppliers)", "HTTP", results, len(buyers), 0))
        _restock_hot(data.hot_offer, args.hot_stock)
        buyers = make_buyers(args.hot_stock * 2, [data.hot_offer], "http-hot-")
        keys = api_keys(buyers, data.user_id)
        print(f"hot, HTTP: {len(buyers)} carts for {args.hot_stock} units …", flush=True)
        results = run_processes(_http_worker, buyers, args.processes, keys, server.port)
        figures.append(
            figure("hot offer", "HTTP", results, len(buyers), oversold(data.hot_offer, args.hot_stock))
        )
    finally:
        server.stop()
    return figures


def _restock_hot(offer_id: int, stock: int) -> None:
    """Releases what earlier hot checkouts hold, so each way races for the same units."""
    from partsmall.inventory.models import StockReservation
    from partsmall.inventory.services import stock_release

    held = list(
        StockReservation.objects.filter(ref_type="order_line", stock_level__part__offers__pk=offer_id)
        .values_list("ref_id", flat=True)
        .distinct()
    )
    if held:
        stock_release(ref_type="order_line", ref_ids=held, ref_label="bench", by=None)


def table(figures: list[Figure]) -> str:
    rows = []
    floors = {f.scenario: f.rate for f in figures if f.way.startswith("floor")}
    for f in figures:
        floor_rate = floors.get(f.scenario, 0.0)
        ratio = f"{f.rate / floor_rate:.2f}" if floor_rate and not f.way.startswith("floor") else ""
        rows.append(
            [
                f.scenario,
                f.way,
                f.attempts,
                f.ok,
                f.refused,
                f.failed,
                f"{f.seconds:.2f}",
                f"{f.rate:.0f}",
                ratio,
                f"{f.p50_ms:.1f}",
                f"{f.p95_ms:.1f}",
                f.oversold,
                f.invariants,
            ]
        )
    return format_table(
        [
            "scenario",
            "way",
            "carts",
            "ok",
            "refused",
            "failed",
            "seconds",
            "checkouts/s",
            "÷ floor",
            "p50 ms",
            "p95 ms",
            "oversold",
            "invariants",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
