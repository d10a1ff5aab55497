"""Dataset M, built in memory from a seed: the same seed and scale give the same rows.

Vehicle makes, models, generations and engines come from the real rows of
partsmall/demo/data/vehicles_cn.csv, multiplied with generated model-year editions, engine
variants and gearboxes; WMIs come from wmi_cn.csv. Parts, OE numbers, fitment and offers
are generated around them with plausible shapes: a part fits a run of neighbouring vehicle
types of one make, aftermarket parts cross-reference the OE numbers of genuine parts of the
same make and category, a few hundred suppliers list most parts in several quality grades.

Rows are plain tuples in the order of `Table.columns` (attribute names); `load.py` writes
them. The big tables (fitment, offers) are generators so that 2M rows never sit in memory.
"""

import csv
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from partsmall.catalog.normalize import normalize_name, normalize_number

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "partsmall" / "demo" / "data"
SOURCE = "bench: generated (dataset M, not real data)"

# Sizes at scale 1 (dataset "M" of DESIGN.md).
SIZES = {
    "organizations": 2_000,
    "suppliers": 400,
    "vehicle_types": 20_000,
    "parts": 100_000,
    "offers": 300_000,
    "fitment": 2_000_000,
    "oe_numbers": 150_000,
    "vin_patterns": 3_000,
}
GENUINE_SHARE = 0.25
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

# (code, name, name_en, [(code, name, name_en, weight, base price ¥, positions, quantity)])
CATEGORIES: list[tuple[str, str, str, list[tuple[str, str, str, int, int, tuple[str, ...], int]]]] = [
    (
        "filters",
        "滤清器",
        "Filters",
        [
            ("oil-filter", "机油滤清器", "Oil filter", 12, 38, ("",), 1),
            ("air-filter", "空气滤清器", "Air filter", 9, 55, ("",), 1),
            ("cabin-filter", "空调滤清器", "Cabin filter", 9, 45, ("",), 1),
            ("fuel-filter", "燃油滤清器", "Fuel filter", 5, 65, ("",), 1),
        ],
    ),
    (
        "brakes",
        "制动系统",
        "Brakes",
        [
            ("brake-pad", "刹车片", "Brake pads", 10, 180, ("front", "rear"), 1),
            ("brake-disc", "刹车盘", "Brake disc", 6, 260, ("front", "rear"), 2),
            ("brake-shoe", "刹车蹄", "Brake shoes", 2, 150, ("rear",), 1),
            ("brake-fluid", "制动液", "Brake fluid", 2, 60, ("",), 1),
        ],
    ),
    (
        "ignition",
        "点火系统",
        "Ignition",
        [
            ("spark-plug", "火花塞", "Spark plug", 7, 45, ("",), 4),
            ("ignition-coil", "点火线圈", "Ignition coil", 3, 220, ("",), 4),
        ],
    ),
    (
        "engine",
        "发动机",
        "Engine",
        [
            ("timing-belt", "正时皮带", "Timing belt", 3, 160, ("",), 1),
            ("water-pump", "水泵", "Water pump", 2, 320, ("",), 1),
            ("thermostat", "节温器", "Thermostat", 2, 120, ("",), 1),
            ("drive-belt", "发电机皮带", "Drive belt", 3, 90, ("",), 1),
        ],
    ),
    (
        "suspension",
        "悬挂转向",
        "Suspension and steering",
        [
            ("shock-absorber", "减震器", "Shock absorber", 4, 420, ("front", "rear"), 2),
            ("ball-joint", "球头", "Ball joint", 2, 95, ("front_left", "front_right"), 1),
            ("control-arm", "摆臂", "Control arm", 2, 280, ("front_left", "front_right"), 1),
            ("wheel-bearing", "轮毂轴承", "Wheel bearing", 3, 230, ("front", "rear"), 2),
        ],
    ),
    (
        "electrical",
        "电器照明",
        "Electrical and lighting",
        [
            ("battery", "蓄电池", "Battery", 3, 520, ("",), 1),
            ("headlamp", "大灯", "Headlamp", 2, 900, ("left", "right"), 1),
            ("tail-lamp", "尾灯", "Tail lamp", 2, 450, ("left", "right"), 1),
            ("wiper-blade", "雨刮片", "Wiper blade", 5, 40, ("",), 2),
        ],
    ),
    (
        "transmission",
        "传动系统",
        "Drivetrain",
        [("clutch-disc", "离合器片", "Clutch disc", 2, 380, ("",), 1)],
    ),
]

AFTERMARKET_BRANDS = [
    ("博世", "BOSCH"),
    ("马勒", "MAHLE"),
    ("曼牌", "MANN-FILTER"),
    ("电装", "DENSO"),
    ("NGK", "NGK"),
    ("法雷奥", "VALEO"),
    ("德尔福", "DELPHI"),
    ("ACDelco", "ACDelco"),
    ("天合", "TRW"),
    ("布雷博", "BREMBO"),
    ("菲罗多", "FERODO"),
    ("盖茨", "GATES"),
    ("马牌", "CONTINENTAL"),
    ("采埃孚", "ZF"),
    ("萨克斯", "SACHS"),
    ("卢克", "LUK"),
    ("伦福德", "LEMFÖRDER"),
    ("海拉", "HELLA"),
    ("欧司朗", "OSRAM"),
    ("飞利浦", "PHILIPS"),
    ("瓦尔塔", "VARTA"),
    ("风帆", "Sail"),
    ("骆驼", "CAMEL"),
    ("冠军", "CHAMPION"),
    ("辉门", "Federal-Mogul"),
    ("索菲玛", "SOFIMA"),
    ("汉格斯特", "HENGST"),
    ("弗列加", "FLEETGUARD"),
    ("日立", "HITACHI"),
    ("爱信", "AISIN"),
    ("马瑞利", "MARELLI"),
    ("摩比斯", "MOBIS"),
    ("凯迩必", "KYB"),
    ("蒙诺", "MONROE"),
    ("倍适登", "BILSTEIN"),
    ("斯凯孚", "SKF"),
    ("恩斯克", "NSK"),
    ("舍弗勒", "SCHAEFFLER"),
    ("信义", "Xinyi"),
    ("金麒麟", "Golden Kylin"),
    ("信昌", "Hsin Chong"),
    ("佛吉亚", "FAURECIA"),
    ("捷豹路虎", ""),
    ("东洋", "TOYO"),
    ("爱德克斯", "ADVICS"),
]
GENERATED_BRAND_SYLLABLES = ("华恒博精众联泰安达永鑫金冠瑞宏嘉盛正", "力通源驰诚信邦科德丰远翔驰固")
NAME_VARIANTS = [
    ("{cat}", 5),
    ("{cat}（适用{model}）", 6),
    ("{cat}总成", 2),
    ("{cat}套装", 1),
    ("加强型{cat}", 1),
]
NOTES = ["带ESP", "不带ESP", "2019-03 以后", "2018-12 以前", "带天窗", "运动版"]
FUELS = {"汽油": "petrol", "柴油": "diesel", "混动": "hybrid", "纯电": "ev"}
GEARBOXES = ("5MT", "6MT", "4AT", "6AT", "CVT", "7DSG", "8AT", "E-CVT")
WMI_MAKES = {"Changan/Suzuki": "Changan", "Great Wall/Haval": "Haval", "General Motors (SAIC-GM)": "Buick"}


@dataclass
class Table:
    """Rows for one model: `columns` are attribute names; `rows` a list or a generator."""

    model: str
    columns: tuple[str, ...]
    rows: Iterable[tuple]
    size: int = 0


@dataclass
class Leaf:
    id: int
    name: str
    parent_name: str
    weight: int
    base_price: int
    positions: tuple[str, ...]
    quantity: int


@dataclass
class VehicleTypeRow:
    id: int
    make: str
    model_id: int
    model_name: str
    engine: str
    year_from: int
    year_to: int


@dataclass
class PartSpec:
    id: int
    brand_id: int
    number: str
    leaf: Leaf
    name: str
    genuine: bool
    make: str
    block: tuple[int, int]  # start, stop in the make's vehicle type list
    oe: list[tuple[str, int]] = field(default_factory=list)  # (number as written, OE brand id)


@dataclass
class Dataset:
    seed: int
    scale: float
    tables: list[Table]
    parts: list[PartSpec]
    brands: dict[int, str]
    make_types: dict[str, list[VehicleTypeRow]]
    supplier_ids: list[int]
    shop_ids: list[int]
    platform_id: int


def sizes(scale: float) -> dict[str, int]:
    out = {name: max(1, round(count * scale)) for name, count in SIZES.items()}
    out["suppliers"] = max(5, out["suppliers"])
    out["organizations"] = max(out["suppliers"] + 5, out["organizations"])
    out["vehicle_types"] = max(103, out["vehicle_types"])
    return out


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def _initials(text: str) -> str:
    from partsmall.catalog.indexing import initials

    return initials(text)


def build(*, scale: float = 1.0, seed: int = 20260101) -> Dataset:
    counts = sizes(scale)
    rng = random.Random(seed)
    tables: list[Table] = []
    org_ids, suppliers, shops, platform = _organizations(counts, tables)
    leaves = _categories(tables)
    makes, make_brand, brands = _brands_and_makes(tables)
    make_types = _vehicle_types(counts["vehicle_types"], makes, rng, tables)
    _wmis_and_patterns(counts["vin_patterns"], makes, make_types, rng, tables)
    parts = _parts(counts, rng, leaves, make_brand, brands, make_types)
    oe_tables = _oe_numbers(counts["oe_numbers"], parts, rng)
    tables.append(_part_table(parts, brands))
    tables += oe_tables
    tables.append(_fitment_table(parts, make_types, counts["fitment"], seed))
    tables.append(_offer_table(parts, suppliers, counts["offers"], seed))
    del org_ids
    return Dataset(seed, scale, tables, parts, brands, make_types, suppliers, shops, platform)


def _organizations(
    counts: dict[str, int], tables: list[Table]
) -> tuple[list[int], list[int], list[int], int]:
    rows = [(1, "platform", "压测平台运营", "active")]
    suppliers = list(range(2, 2 + counts["suppliers"]))
    shops = list(range(suppliers[-1] + 1, counts["organizations"] + 1))
    rows += [(i, "supplier", f"压测配件商{i:04d}", "active") for i in suppliers]
    rows += [(i, "repair_shop", f"压测汽修店{i:04d}", "active") for i in shops]
    tables.append(Table("organizations.Organization", ("id", "kind", "name", "status"), rows, len(rows)))
    return [r[0] for r in rows], suppliers, shops, 1


def _categories(tables: list[Table]) -> list[Leaf]:
    rows: list[tuple] = []
    leaves: list[Leaf] = []
    for sort, (code, name, name_en, children) in enumerate(CATEGORIES, start=1):
        parent_id = len(rows) + 1
        rows.append((parent_id, None, code, name, name_en, _initials(name), sort * 10))
        for child_sort, (c_code, c_name, c_en, weight, price, positions, qty) in enumerate(children, start=1):
            child_id = len(rows) + 1
            rows.append((child_id, parent_id, c_code, c_name, c_en, _initials(c_name), child_sort))
            leaves.append(Leaf(child_id, c_name, name, weight, price, positions, qty))
    columns = ("id", "parent_id", "code", "name", "name_en", "initials", "sort")
    tables.append(Table("catalog.Category", columns, rows, len(rows)))
    return leaves


def _brands_and_makes(tables: list[Table]) -> tuple[dict[str, dict], dict[str, int], dict[int, str]]:
    vehicles = read_csv("vehicles_cn.csv")
    makes: dict[str, dict] = {}
    for row in vehicles:
        make = makes.setdefault(row["make_zh"], {"name_en": row["make_en"], "rows": [], "models": {}})
        make["rows"].append(row)
    brand_rows: list[tuple] = []
    make_brand: dict[str, int] = {}
    for name, make in makes.items():
        brand_rows.append((len(brand_rows) + 1, name, normalize_name(name), make["name_en"], True))
        make_brand[name] = len(brand_rows)
    for name, name_en in AFTERMARKET_BRANDS:
        brand_rows.append((len(brand_rows) + 1, name, normalize_name(name), name_en, False))
    taken = {r[2] for r in brand_rows}
    first, second = GENERATED_BRAND_SYLLABLES
    for a in first:
        for b in second:
            name = a + b
            if len(brand_rows) < 200 and a != b and normalize_name(name) not in taken:
                taken.add(normalize_name(name))
                brand_rows.append((len(brand_rows) + 1, name, normalize_name(name), "", False))
    columns = ("id", "name", "name_norm", "name_en", "is_oe")
    tables.append(Table("catalog.Brand", (*columns, "source"), [(*r, SOURCE) for r in brand_rows], 200))
    _makes_and_models(makes, tables)
    # As catalog services index a brand: its name and English name.
    return makes, make_brand, {r[0]: f"{r[1]} {r[3]}".strip() for r in brand_rows}


def _makes_and_models(makes: dict[str, dict], tables: list[Table]) -> None:
    make_rows: list[tuple] = []
    model_rows: list[tuple] = []
    for make_id, (name, make) in enumerate(makes.items(), start=1):
        make["id"] = make_id
        source = make["rows"][0]["source"][:500]
        make_rows.append((make_id, name, make["name_en"], _initials(name), source))
        for row in make["rows"]:
            if row["model_zh"] not in make["models"]:
                model_id = len(model_rows) + 1
                make["models"][row["model_zh"]] = model_id
                model_rows.append(
                    (
                        model_id,
                        make_id,
                        row["model_zh"],
                        row["model_en"],
                        row["manufacturer_zh"],
                        row["source"][:500],
                    )
                )
    tables.append(
        Table("vehicles.Make", ("id", "name", "name_en", "initials", "source"), make_rows, len(make_rows))
    )
    columns = ("id", "make_id", "name", "name_en", "manufacturer", "source")
    tables.append(Table("vehicles.VehicleModel", columns, model_rows, len(model_rows)))


def _gearboxes(text: str) -> list[str]:
    found = re.findall(r"\b(\d?(?:MT|AT|DSG|DCT|CVT|E-CVT))\b", text or "")
    return list(dict.fromkeys(found)) or list(GEARBOXES[:4])


def _vehicle_types(
    count: int, makes: dict[str, dict], rng: random.Random, tables: list[Table]
) -> dict[str, list[VehicleTypeRow]]:
    """Each real row is repeated as model-year editions × engine variants × gearboxes."""
    real = [(name, row) for name, make in makes.items() for row in make["rows"]]
    rows: list[tuple] = []
    by_make: dict[str, list[VehicleTypeRow]] = defaultdict(list)
    for i in range(count):
        make_name, row = real[i % len(real)]
        variant = i // len(real)
        year_from = int(row["year_from"] or 2012)
        year_to = int(row["year_to"] or max(year_from + 6, 2024))
        span = max(1, year_to - year_from + 1)
        edition = year_from + variant % span
        edition_to = min(year_to, edition + rng.choice((0, 1, 1, 2)))
        family = (row["engine_code"] or "").split("/")[0].split(" ")[
            0
        ] or f"{make_name[:1]}{row['displacement_l']}"
        engine = f"{family}-{chr(65 + (variant // span) % 8)}"
        gearboxes = _gearboxes(row["transmission"])
        gearbox = gearboxes[variant % len(gearboxes)]
        displacement = Decimal(row["displacement_l"]) if row["displacement_l"] else None
        model_id = makes[make_name]["models"][row["model_zh"]]
        key = "|".join(
            (
                make_name,
                row["model_zh"],
                row["generation"],
                engine,
                str(displacement),
                gearbox,
                f"{edition}-{edition_to}",
            )
        )
        key = f"{key}|b{i}"
        rows.append(
            (
                i + 1,
                model_id,
                key[:255],
                row["generation"][:100],
                engine,
                displacement,
                FUELS.get(row["fuel"], ""),
                gearbox,
                edition,
                edition_to,
                SOURCE,
            )
        )
        by_make[make_name].append(
            VehicleTypeRow(i + 1, make_name, model_id, row["model_zh"], engine, edition, edition_to)
        )
    columns = (
        "id",
        "model_id",
        "key",
        "generation",
        "engine_code",
        "displacement_l",
        "fuel",
        "transmission",
        "year_from",
        "year_to",
        "source",
    )
    tables.append(Table("vehicles.VehicleType", columns, rows, len(rows)))
    for types in by_make.values():
        types.sort(key=lambda t: (t.model_id, t.engine, t.year_from, t.id))
    return dict(by_make)


def _wmis_and_patterns(
    count: int,
    makes: dict[str, dict],
    make_types: dict[str, list[VehicleTypeRow]],
    rng: random.Random,
    tables: list[Table],
) -> None:
    by_en = {make["name_en"]: name for name, make in makes.items()}
    wmi_rows, make_wmis = [], defaultdict(list)
    for row in read_csv("wmi_cn.csv"):
        make_name = by_en.get(WMI_MAKES.get(row["make"], row["make"]))
        make_id = makes[make_name]["id"] if make_name else None
        wmi_rows.append(
            (
                row["wmi"],
                row["manufacturer"][:100],
                make_id,
                row["make"][:50],
                row["country"],
                row["source"][:500],
            )
        )
        if make_name:
            make_wmis[make_name].append(row["wmi"])
    tables.append(
        Table(
            "vehicles.Wmi",
            ("code", "manufacturer", "make_id", "make_name", "country", "source"),
            wmi_rows,
            len(wmi_rows),
        )
    )
    pattern_rows: list[tuple] = []
    links: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    names = sorted(make_wmis)
    while len(pattern_rows) < count:
        make_name = rng.choice(names)
        wmi = rng.choice(make_wmis[make_name])
        vds = "".join(rng.choice(VIN_CHARS) for _ in range(4))
        if (wmi, vds) in seen:
            continue
        seen.add((wmi, vds))
        pattern_id = len(pattern_rows) + 1
        pattern_rows.append((pattern_id, wmi, vds, "压测生成", SOURCE))
        types = make_types[make_name]
        start = rng.randrange(len(types))
        # Neighbours of the same model and engine make an ambiguous VIN (the user picks).
        chosen = [
            t for t in types[start : start + rng.choice((1, 1, 2, 3))] if t.model_id == types[start].model_id
        ]
        for vehicle_type in chosen:
            links.append((len(links) + 1, pattern_id, vehicle_type.id))
    columns = ("id", "wmi", "vds_prefix", "note", "source")
    tables.append(Table("vehicles.VinPattern", columns, pattern_rows, len(pattern_rows)))
    through = ("id", "vinpattern_id", "vehicletype_id")
    tables.append(Table("vehicles.VinPattern_vehicle_types", through, links, len(links)))


def _number(brand_id: int, counter: int, genuine: bool, leaf: Leaf) -> str:
    """Part numbers in a few real-world shapes, unique per brand through the counter."""
    alnum = "".join(VIN_CHARS[(counter // 33**k) % 33] for k in range(4))
    if genuine:
        shapes = (
            f"{90000 + leaf.id * 37 % 9999:05d}-{alnum}{counter % 10}",  # 90915-YZZD4
            f"{counter % 90 + 10:02d}{alnum[0]} {100 + leaf.id:03d} {counter // 90 % 1000:03d} {alnum[1]}",
            f"{15000 + leaf.id * 11:05d}-{alnum[:3]}-{counter % 1000:03d}",  # 15400-RTA-003
            f"1{leaf.id:02d}{counter:07d}",
        )
        return shapes[brand_id % len(shapes)]
    shapes = (
        f"0 986 {counter // 1000 % 1000:03d} {counter % 1000:03d}",
        f"{alnum[:2]} {counter}",
        f"{alnum[:3]}{counter:05d}-{leaf.id:02d}",
        f"{counter:07d}",
    )
    return shapes[brand_id % len(shapes)]


def _weighted(rng: random.Random, items: list, weights: list[float]) -> Callable[[], object]:
    from itertools import accumulate

    cumulative = list(accumulate(weights))

    def pick() -> object:
        return rng.choices(items, cum_weights=cumulative)[0]

    return pick


def _parts(
    counts: dict[str, int],
    rng: random.Random,
    leaves: list[Leaf],
    make_brand: dict[str, int],
    brands: dict[int, str],
    make_types: dict[str, list[VehicleTypeRow]],
) -> list[PartSpec]:
    n = counts["parts"]
    genuine_count = int(n * GENUINE_SHARE)
    mean_block = counts["fitment"] / n
    make_names = sorted(make_types)
    pick_leaf = _weighted(rng, leaves, [leaf.weight for leaf in leaves])
    pick_make = _weighted(rng, make_names, [len(make_types[m]) for m in make_names])
    aftermarket = [i for i, name in brands.items() if i not in set(make_brand.values())]
    pick_brand = _weighted(rng, aftermarket, [1 / (rank + 3) for rank in range(len(aftermarket))])
    pick_variant = _weighted(rng, [v for v, _ in NAME_VARIANTS], [w for _, w in NAME_VARIANTS])
    ids = list(range(1, n + 1))
    rng.shuffle(ids)
    counters: dict[int, int] = defaultdict(int)
    parts = []
    for i in range(n):
        genuine = i < genuine_count
        leaf: Leaf = pick_leaf()  # type: ignore[assignment]
        make: str = pick_make()  # type: ignore[assignment]
        brand_id: int = make_brand[make] if genuine else pick_brand()  # type: ignore[assignment]
        counters[brand_id] += 1
        types = make_types[make]
        # 1 + floor(exponential with mean m - 0.5) has mean m.
        length = min(len(types), 1 + int(rng.expovariate(1 / max(mean_block - 0.5, 0.01))))
        start = rng.randrange(len(types) - length + 1)
        variant: str = pick_variant()  # type: ignore[assignment]
        name = variant.format(cat=leaf.name, model=types[start].model_name)
        number = _number(brand_id, counters[brand_id], genuine, leaf)
        parts.append(PartSpec(ids[i], brand_id, number, leaf, name, genuine, make, (start, start + length)))
    return parts


def _oe_numbers(target: int, parts: list[PartSpec], rng: random.Random) -> list[Table]:
    """Genuine parts carry their own number (and a superseded one); aftermarket parts
    cross-reference genuine numbers of the same make and category, and interchange with them."""
    pool: dict[tuple[str, int], list[PartSpec]] = defaultdict(list)
    genuine = [p for p in parts if p.genuine]
    for part in genuine:
        part.oe.append((part.number, part.brand_id))
        pool[(part.make, part.leaf.id)].append(part)
        if rng.random() < 0.1:
            old = part.number[:-1] + ("Z" if part.number[-1] != "Z" else "Y")
            part.oe.append((old, part.brand_id))
    others = [p for p in parts if not p.genuine]
    remaining = target - sum(len(p.oe) for p in genuine)
    per_part = max(0.0, remaining / max(1, len(others)))
    links: set[tuple[int, int]] = set()
    for part in others:
        candidates = pool.get((part.make, part.leaf.id), [])
        k = int(per_part) + (rng.random() < per_part - int(per_part))
        for source in rng.sample(candidates, min(k, len(candidates))):
            part.oe.append((source.number, source.brand_id))
            if rng.random() < 0.2:
                links.add((part.id, source.id))
    oe_rows: list[tuple] = []
    for part in sorted(parts, key=lambda p: p.id):
        seen: set[str] = set()
        for number, brand_id in part.oe:
            norm = normalize_number(number)
            if norm not in seen:
                seen.add(norm)
                oe_rows.append((len(oe_rows) + 1, part.id, brand_id, number, norm, SOURCE))
    link_rows = [(i, a, b, "interchange", SOURCE) for i, (a, b) in enumerate(sorted(links), start=1)]
    return [
        Table(
            "catalog.OeNumber",
            ("id", "part_id", "oe_brand_id", "number", "number_norm", "source"),
            oe_rows,
            len(oe_rows),
        ),
        Table(
            "catalog.PartLink",
            ("id", "from_part_id", "to_part_id", "kind", "source"),
            link_rows,
            len(link_rows),
        ),
    ]


def _part_table(parts: list[PartSpec], brands: dict[int, str]) -> Table:
    from bench.search.tokens import memoized_indexing

    with memoized_indexing():
        rows = [_part_row(part, brands) for part in sorted(parts, key=lambda p: p.id)]
    columns = ("id", "brand_id", "number", "number_norm", "name", "category_id", "attributes", "search_text")
    return Table("catalog.Part", (*columns, "source"), rows, len(rows))


def _part_row(part: PartSpec, brands: dict[int, str]) -> tuple:
    from bench.search.tokens import search_text

    number_norm = normalize_number(part.number)
    text = search_text(
        name=part.name,
        brand=brands[part.brand_id],
        number_norm=number_norm,
        oe_numbers=sorted({normalize_number(n) for n, _ in part.oe}),
        categories=(part.leaf.name, part.leaf.parent_name),
    )
    attributes = json.dumps({"适用品牌": part.make}, ensure_ascii=False)
    return (
        part.id,
        part.brand_id,
        part.number,
        number_norm,
        part.name,
        part.leaf.id,
        attributes,
        text,
        SOURCE,
    )


def _fitment_table(
    parts: list[PartSpec], make_types: dict[str, list[VehicleTypeRow]], target: int, seed: int
) -> Table:
    size = sum(p.block[1] - p.block[0] for p in parts)

    def rows() -> Iterator[tuple]:
        rng = random.Random(seed + 1)
        next_id = 1
        for part in sorted(parts, key=lambda p: p.id):
            position = rng.choice(part.leaf.positions)
            notes = rng.choice(NOTES) if rng.random() < 0.05 else ""
            for vt in make_types[part.make][part.block[0] : part.block[1]]:
                yield (next_id, part.id, vt.id, position, part.leaf.quantity, notes, SOURCE)
                next_id += 1

    columns = ("id", "part_id", "vehicle_type_id", "position", "quantity", "notes", "source")
    del target
    return Table("catalog.Fitment", columns, rows(), size)


def _offer_table(parts: list[PartSpec], suppliers: list[int], target: int, seed: int) -> Table:
    """About `target` offers: 12% of parts have none, the rest one to eight suppliers."""
    # 1 + Binomial(7, p) suppliers for the 88% of parts that have offers.
    p = min(1.0, max(0.0, (target / max(1, len(parts)) / 0.88 - 1) / 7))
    supplier_weights = [1 / (rank + 5) for rank in range(len(suppliers))]

    def rows() -> Iterator[tuple]:
        rng = random.Random(seed + 2)
        pick_supplier = _weighted(rng, suppliers, supplier_weights)
        skus: dict[int, int] = defaultdict(int)
        next_id = 1
        for part in sorted(parts, key=lambda p: p.id):
            if rng.random() < 0.12:
                continue
            k = min(len(suppliers), 1 + sum(rng.random() < p for _ in range(7)))
            chosen: set[int] = set()
            while len(chosen) < k:
                chosen.add(pick_supplier())  # type: ignore[arg-type]
            for supplier in sorted(chosen):
                skus[supplier] += 1
                yield (next_id, supplier, part.id, *_offer_values(rng, part, supplier, skus[supplier]))
                next_id += 1

    columns = (
        "id",
        "supplier_id",
        "part_id",
        "grade",
        "sku",
        "price",
        "min_order_quantity",
        "order_multiple",
        "lead_time_days",
        "warranty_months",
        "stock_quantity",
        "is_listed",
    )
    return Table("catalog.Offer", columns, rows(), 0)


def _offer_values(rng: random.Random, part: PartSpec, supplier: int, sku: int) -> tuple:
    if part.genuine:
        grade, factor = ("used", 0.5) if rng.random() < 0.15 else ("genuine", 1.6)
    else:
        grade, factor = ("brand", 1.0) if rng.random() < 0.6 else ("aftermarket", 0.7)
    price = Decimal(str(round(max(1.0, part.leaf.base_price * factor * rng.uniform(0.8, 1.3)), 2)))
    moq = 1 if rng.random() < 0.9 else rng.choice((2, 4, 10))
    multiple = moq if rng.random() < 0.5 else 1
    lead = rng.choice((1, 1, 1, 2, 2, 3, 3, 5, 7, 10))
    stock = 0 if rng.random() < 0.25 else rng.randint(1, 500)
    listed = rng.random() >= 0.04
    return (
        grade,
        f"S{supplier:04d}-{sku:06d}",
        price,
        moq,
        multiple,
        lead,
        rng.choice((0, 3, 6, 12)),
        stock,
        listed,
    )
