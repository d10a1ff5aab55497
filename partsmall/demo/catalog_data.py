"""The demo catalogue: real vehicles and OE numbers first, generated rows around them.

Real (partsmall/demo/data, each row with its source):
- vehicles_cn.csv → makes, models and vehicle types (fuel 汽油 → petrol …, the source
  column kept in `source`). Years are stored as the row states them: a row without a
  start year keeps it empty (never guessed). Rows that differ in nothing we store but
  the English variant name are one vehicle type with both sources.
- oe_parts.csv → the OE parts (brand = OE brand, number = OE number, as written), their
  aftermarket equivalents (ACDelco PF304J …) linked by interchange and carrying the OE
  number, and their stated fitment matched to the vehicle types of the same make and
  model (Toyota Corolla → 卡罗拉). A model that vehicles_cn.csv lacks gets a vehicle
  type built from the `fits` text, marked as such in its generation and source; it has
  years only where that text states them.
- The WMI rows come from the vehicles migration; here they are only linked to the makes.

Generated (plainly demo: `is_demo=True`, names start with 【演示】, numbers with DEMO-):
the rest of about 2,000 parts over 30 categories and the usual brands, their fitment
to the real vehicle types, offers of the 5 demo suppliers in several grades, a few
supplier-added rows waiting for review, and VIN patterns (invented VDS prefixes on real
WMIs) so that the VINs of demo_vins.csv decode.
"""

import csv
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from partsmall.catalog.indexing import initials, part_search_text, refresh_offer_summary
from partsmall.catalog.models import (
    Brand,
    Category,
    Fitment,
    Grade,
    OeNumber,
    Offer,
    Part,
    PartLink,
    Position,
    ReviewStatus,
)
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.core.money import to_money
from partsmall.organizations.models import Organization
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType, VinPattern
from partsmall.vehicles.services import make_initials, vehicle_type_key, wmi_link_makes

DATA = Path(__file__).resolve().parent / "data"
VEHICLES_CSV = DATA / "vehicles_cn.csv"
OE_PARTS_CSV = DATA / "oe_parts.csv"
DEMO_VINS_CSV = DATA / "demo_vins.csv"

TARGET_PARTS = 2000
DEMO_NAME_PREFIX = "【演示】"
DEMO_SOURCE = "演示数据（生成）"
PATTERN_SOURCE = "演示数据：VDS 前缀为演示编造，非厂家规则；WMI 为真实代码（wmi_cn.csv）"
PENDING_SOURCE = "演示数据：配件厂商新增，等待平台审核"
SEED = 20261126

FUELS = {"汽油": Fuel.PETROL, "柴油": Fuel.DIESEL, "混动": Fuel.HYBRID, "纯电": Fuel.EV}
_PHEV = re.compile(r"PHEV|DM-i", re.IGNORECASE)

# (code, name, English name, children) — 7 groups + 23 part types = 30 categories.
CATEGORIES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "filter",
        "滤清器",
        "Filters",
        (
            ("oil-filter", "机油滤清器", "Oil filter"),
            ("air-filter", "空气滤清器", "Air filter"),
            ("cabin-filter", "空调滤清器", "Cabin air filter"),
            ("fuel-filter", "燃油滤清器", "Fuel filter"),
        ),
    ),
    (
        "brake",
        "制动系统",
        "Brakes",
        (
            ("brake-pad", "刹车片", "Brake pads"),
            ("brake-disc", "刹车盘", "Brake discs"),
            ("brake-shoe", "刹车蹄", "Brake shoes"),
            ("brake-fluid", "制动液", "Brake fluid"),
        ),
    ),
    (
        "ignition",
        "点火系统",
        "Ignition",
        (("spark-plug", "火花塞", "Spark plug"), ("ignition-coil", "点火线圈", "Ignition coil")),
    ),
    (
        "engine",
        "发动机",
        "Engine",
        (
            ("timing-belt", "正时皮带", "Timing belt"),
            ("drive-belt", "发电机皮带", "Drive belt"),
            ("water-pump", "水泵", "Water pump"),
            ("thermostat", "节温器", "Thermostat"),
            ("fuel-pump", "燃油泵", "Fuel pump"),
        ),
    ),
    (
        "suspension",
        "悬挂",
        "Suspension",
        (
            ("shock-absorber", "减震器", "Shock absorber"),
            ("ball-joint", "球头", "Ball joint"),
            ("control-arm", "摆臂", "Control arm"),
            ("wheel-bearing", "轮毂轴承", "Wheel bearing"),
        ),
    ),
    (
        "electrical",
        "电气",
        "Electrical",
        (
            ("battery", "蓄电池", "Battery"),
            ("headlamp", "大灯", "Headlamp"),
            ("tail-lamp", "尾灯", "Tail lamp"),
        ),
    ),
    ("body", "车身", "Body", (("wiper-blade", "雨刮片", "Wiper blade"),)),
)

# Per part type: the genuine part's price range (CNY), demo variants, and whether only
# cars with a combustion engine take it.
PRICE_RANGES: dict[str, tuple[int, int]] = {
    "oil-filter": (28, 95),
    "air-filter": (45, 160),
    "cabin-filter": (40, 150),
    "fuel-filter": (60, 260),
    "brake-pad": (180, 680),
    "brake-disc": (260, 980),
    "brake-shoe": (150, 420),
    "brake-fluid": (45, 120),
    "spark-plug": (30, 140),
    "ignition-coil": (180, 560),
    "timing-belt": (150, 520),
    "drive-belt": (80, 260),
    "water-pump": (260, 980),
    "thermostat": (90, 360),
    "fuel-pump": (380, 1500),
    "shock-absorber": (320, 1300),
    "ball-joint": (90, 320),
    "control-arm": (260, 880),
    "wheel-bearing": (180, 620),
    "battery": (420, 1280),
    "headlamp": (600, 3800),
    "tail-lamp": (300, 1600),
    "wiper-blade": (45, 180),
}
VARIANTS: dict[str, tuple[str, ...]] = {
    "oil-filter": ("标准型", "长效型", "旋装式", "滤芯式"),
    "air-filter": ("标准型", "高流量", "纳米纤维"),
    "cabin-filter": ("活性炭", "PM2.5 高效", "抗菌型"),
    "fuel-filter": ("外置式", "内置式", "带调压阀"),
    "brake-pad": ("陶瓷配方", "低金属", "少金属", "NAO 配方"),
    "brake-disc": ("通风盘", "实心盘", "打孔划线"),
    "brake-shoe": ("鼓刹蹄片", "驻车制动蹄片"),
    "brake-fluid": ("DOT4 1L", "DOT4 500ml", "DOT5.1 1L"),
    "spark-plug": ("铱金", "双铱金", "铂金", "镍合金"),
    "ignition-coil": ("笔式", "独立点火"),
    "timing-belt": ("正时皮带", "正时套件"),
    "drive-belt": ("6PK 多楔带", "5PK 多楔带"),
    "water-pump": ("机械水泵", "电子水泵"),
    "thermostat": ("节温器总成", "节温器芯"),
    "fuel-pump": ("燃油泵总成", "泵芯"),
    "shock-absorber": ("双筒充气", "运动型", "舒适型"),
    "ball-joint": ("下摆臂球头", "转向拉杆球头"),
    "control-arm": ("下摆臂", "上摆臂"),
    "wheel-bearing": ("轮毂轴承", "轮毂轴承单元"),
    "battery": ("45Ah", "60Ah", "70Ah", "80Ah AGM"),
    "headlamp": ("卤素大灯总成", "LED 大灯总成", "氙气大灯总成"),
    "tail-lamp": ("LED 尾灯总成", "卤素尾灯总成"),
    "wiper-blade": ("无骨 24/16 寸", "无骨 26/16 寸", "有骨 22/18 寸"),
}
COMBUSTION_ONLY = frozenset(
    {
        "oil-filter",
        "air-filter",
        "fuel-filter",
        "spark-plug",
        "ignition-coil",
        "timing-belt",
        "fuel-pump",
        "thermostat",
    }
)
AXLE_PARTS = frozenset(
    {"brake-pad", "brake-disc", "shock-absorber", "control-arm", "wheel-bearing", "ball-joint"}
)
SIDE_PARTS = frozenset({"headlamp", "tail-lamp"})
QUANTITY = {"spark-plug": 4, "ignition-coil": 4, "shock-absorber": 2, "brake-fluid": 1}

ALL_TYPES = frozenset(PRICE_RANGES)
FILTERS = frozenset({"oil-filter", "air-filter", "cabin-filter", "fuel-filter"})


@dataclass(frozen=True)
class BrandSpec:
    name: str
    name_en: str
    is_oe: bool
    code: str
    part_types: frozenset[str] = frozenset()


# Brands of the generated parts (the real rows add their own: 本田, PIAA, VIC …).
BRANDS: tuple[BrandSpec, ...] = (
    BrandSpec(
        "博世",
        "BOSCH",
        False,
        "BS",
        FILTERS
        | {
            "brake-pad",
            "brake-disc",
            "brake-fluid",
            "spark-plug",
            "ignition-coil",
            "fuel-pump",
            "battery",
            "wiper-blade",
        },
    ),
    BrandSpec("马勒", "MAHLE", False, "ML", FILTERS | {"thermostat", "water-pump"}),
    BrandSpec("曼牌", "MANN-FILTER", False, "MN", FILTERS),
    BrandSpec("NGK", "NGK", False, "NGK", frozenset({"spark-plug", "ignition-coil"})),
    BrandSpec("布雷博", "Brembo", False, "BR", frozenset({"brake-pad", "brake-disc", "brake-fluid"})),
    BrandSpec(
        "ACDelco", "ACDelco", False, "AC", FILTERS | {"spark-plug", "battery", "brake-pad", "wiper-blade"}
    ),
    BrandSpec(
        "电装",
        "DENSO",
        False,
        "DS",
        frozenset({"spark-plug", "ignition-coil", "cabin-filter", "wiper-blade", "fuel-pump"}),
    ),
    BrandSpec(
        "天合",
        "TRW",
        False,
        "TRW",
        frozenset({"brake-pad", "brake-disc", "brake-shoe", "ball-joint", "control-arm"}),
    ),
    BrandSpec("法雷奥", "Valeo", False, "VL", frozenset({"wiper-blade", "headlamp", "tail-lamp"})),
    BrandSpec("盖茨", "Gates", False, "GT", frozenset({"timing-belt", "drive-belt", "water-pump"})),
    BrandSpec("萨克斯", "SACHS", False, "SX", frozenset({"shock-absorber"})),
    BrandSpec("瓦尔塔", "VARTA", False, "VT", frozenset({"battery"})),
    BrandSpec("海拉", "HELLA", False, "HL", frozenset({"headlamp", "tail-lamp", "thermostat"})),
    BrandSpec("斯凯孚", "SKF", False, "SKF", frozenset({"wheel-bearing", "water-pump", "timing-belt"})),
    BrandSpec("丰田", "Toyota", True, "TY", ALL_TYPES),
    BrandSpec("大众原厂", "Volkswagen", True, "VW", ALL_TYPES),
)
# Genuine brands of generated parts fit only their own make.
OE_BRAND_MAKES = {"丰田": "丰田", "大众原厂": "大众"}

# oe_parts.csv names brands in English: the carmakers (OE brands) and the aftermarket ones
# that have a Chinese name in the trade.
OE_BRANDS = {
    "Toyota": "丰田",
    "Honda": "本田",
    "Nissan": "日产",
    "Mazda": "马自达",
    "Mitsubishi": "三菱",
    "Subaru": "斯巴鲁",
    "Suzuki": "铃木",
}
AFTERMARKET_NAMES = {"MANN-FILTER": ("曼牌", "MANN-FILTER"), "DENSO": ("电装", "DENSO")}
OE_CATEGORIES = {
    "机油滤清器": ("oil-filter", Position.ANY),
    "空气滤清器": ("air-filter", Position.ANY),
    "空调滤清器": ("cabin-filter", Position.ANY),
    "燃油滤清器": ("fuel-filter", Position.ANY),
    "燃油泵滤网": ("fuel-pump", Position.ANY),
    "刹车片(前)": ("brake-pad", Position.FRONT),
    "刹车片(后)": ("brake-pad", Position.REAR),
    "刹车盘(前)": ("brake-disc", Position.FRONT),
    "刹车盘(后)": ("brake-disc", Position.REAR),
    "火花塞": ("spark-plug", Position.ANY),
    "雨刮胶条": ("wiper-blade", Position.ANY),
}


@dataclass(frozen=True)
class SupplierProfile:
    """What a demo supplier sells: part types, share of the parts, grades, price level."""

    sku_prefix: str
    part_types: frozenset[str]
    share: float
    grades_oe: tuple[str, ...]
    grades_brand: tuple[str, ...]
    price_factor: float
    moq_pack: int = 1


# In the order of data.SUPPLIERS.
SUPPLIER_PROFILES = (
    # 广州骏驰汽配: a broad distributor in an auto-parts market.
    SupplierProfile("JC", ALL_TYPES, 0.45, (Grade.GENUINE,), (Grade.BRAND,), 1.0),
    # 杭州恒润汽车零部件: brakes, chassis and lamps.
    SupplierProfile(
        "HR",
        frozenset(
            {
                "brake-pad",
                "brake-disc",
                "brake-shoe",
                "brake-fluid",
                "shock-absorber",
                "ball-joint",
                "control-arm",
            }
            | {"wheel-bearing", "headlamp", "tail-lamp", "battery", "wiper-blade"}
        ),
        0.7,
        (Grade.GENUINE, Grade.AFTERMARKET),
        (Grade.BRAND,),
        0.96,
    ),
    # 苏州昊天滤清器: a filter maker, sells its own copies and branded filters by the box.
    SupplierProfile("HT", FILTERS, 0.85, (Grade.AFTERMARKET,), (Grade.BRAND,), 0.92, moq_pack=10),
    # 临沂鲁通汽配贸易: a cheap trader, copies and parts from dismantled cars.
    SupplierProfile("LT", ALL_TYPES, 0.35, (Grade.AFTERMARKET, Grade.USED), (Grade.AFTERMARKET,), 0.9),
    # 保定冀安汽车零部件: engine and ignition, genuine and brand.
    SupplierProfile(
        "JA",
        frozenset(
            {
                "spark-plug",
                "ignition-coil",
                "timing-belt",
                "drive-belt",
                "water-pump",
                "thermostat",
                "fuel-pump",
            }
            | FILTERS
        ),
        0.6,
        (Grade.GENUINE,),
        (Grade.BRAND,),
        1.03,
    ),
)
GRADE_PRICE: dict[str, float] = {
    Grade.GENUINE: 1.0,
    Grade.BRAND: 0.78,
    Grade.AFTERMARKET: 0.46,
    Grade.USED: 0.32,
}
GRADE_WARRANTY: dict[str, int] = {Grade.GENUINE: 12, Grade.BRAND: 12, Grade.AFTERMARKET: 6, Grade.USED: 3}
GRADE_CODE: dict[str, str] = {Grade.GENUINE: "G", Grade.BRAND: "B", Grade.AFTERMARKET: "A", Grade.USED: "U"}


@dataclass(frozen=True)
class PatternSpec:
    """A VIN pattern: WMI + VDS prefix → vehicle types, each named by the vehicles_cn.csv
    row's (model_zh, model_en, year_from, displacement_l) as written."""

    wmi: str
    vds_prefix: str
    types: tuple[tuple[str, str, str, str], ...]
    note: str


VIN_PATTERNS: tuple[PatternSpec, ...] = (
    PatternSpec("LSV", "GH1", (("朗逸", "Lavida", "2008", "1.6"),), "上汽大众 朗逸 第一代"),
    PatternSpec("LFV", "JA2", (("速腾", "Sagitar 1.4T", "2012", "1.4"),), "一汽-大众 速腾 第二代 1.4T"),
    PatternSpec("LFV", "RB3", (("宝来", "Bora 1.5", "2018", "1.5"),), "一汽-大众 宝来 MQB 1.5"),
    PatternSpec(
        "LFM",
        "ZE1",
        (("卡罗拉", "Corolla 1.2T", "2016", "1.2"), ("卡罗拉", "Corolla Hybrid", "2015", "")),
        "一汽丰田 卡罗拉 E180：1.2T 与双擎共用此前缀（一个 VIN 两个候选车型）",
    ),
    PatternSpec("LFM", "XA5", (("RAV4荣放", "RAV4 2.0", "2019", "2.0"),), "一汽丰田 RAV4荣放 2.0"),
    PatternSpec("LVG", "EA2", (("雷凌", "Levin", "2018", ""),), "广汽丰田 雷凌 E210"),
    PatternSpec("LVH", "FC1", (("思域", "Civic 220Turbo", "2016", "1.5"),), "东风本田 思域 第十代 220Turbo"),
    PatternSpec(
        "LVH", "RW1", (("CR-V", "CR-V SPORT TURBO 1.5T", "2017", "1.5"),), "东风本田 CR-V 第五代 1.5T"
    ),
    PatternSpec(
        "LHG", "CV3", (("雅阁", "Accord Sport Hybrid (i-MMD)", "2016", ""),), "广汽本田 雅阁 锐·混动"
    ),
    PatternSpec("LGB", "BA3", (("轩逸", "Sylphy e-POWER", "2021", "1.2"),), "东风日产 轩逸 e-POWER"),
    PatternSpec(
        "LGW", "EC7", (("哈弗H6", "H6 1.5T GDIT (2018 update)", "2018", "1.5"),), "长城 哈弗H6 第二代 1.5T"
    ),
    PatternSpec("LGX", "CC2", (("宋", "Song 1.5T", "2015", "1.5"),), "比亚迪 宋 1.5T"),
    PatternSpec("LRW", "YGF", (("Model Y", "Model Y", "2021", ""),), "特斯拉(上海) Model Y"),
    PatternSpec("LZW", "ACA", (("五菱宏光", "Hongguang 1.2", "2010", "1.2"),), "上汽通用五菱 五菱宏光 1.2"),
    PatternSpec("LSG", "KA5", (("英朗", "Excelle GT 15N", "2015", "1.5"),), "上汽通用 别克英朗 15N"),
    PatternSpec("L6T", "7E2", (("帝豪", "Emgrand 1.5", "2021", "1.5"),), "吉利 帝豪 第四代 1.5"),
)


@dataclass
class CatalogSummary:
    categories: int = 0
    brands: int = 0
    vehicle_types: int = 0
    parts: int = 0
    real_parts: int = 0
    oe_numbers: int = 0
    fitments: int = 0
    offers: int = 0
    vin_patterns: int = 0


@dataclass(frozen=True)
class DemoVin:
    vin: str
    vehicle_type_key: str
    note: str


def demo_vins() -> list[DemoVin]:
    """The demo VINs (demo_vins.csv): an ambiguous VIN has one row per candidate type."""
    with DEMO_VINS_CSV.open(encoding="utf-8", newline="") as handle:
        return [DemoVin(row["vin"], row["vehicle_type_key"], row["note"]) for row in csv.DictReader(handle)]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


# --- Vehicles -------------------------------------------------------------------------------


@dataclass
class _Vehicles:
    makes: dict[str, Make] = field(default_factory=dict)  # by Chinese name
    makes_en: dict[str, Make] = field(default_factory=dict)  # by English name, case-folded
    types: list[VehicleType] = field(default_factory=list)
    # (make_en casefold, model_en as written) per type, to match oe_parts' fits text.
    english_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    by_row: dict[tuple[str, str, str, str], VehicleType] = field(default_factory=dict)
    jdm_types: list[VehicleType] = field(default_factory=list)


def _row_id(row: dict[str, str]) -> tuple[str, str, str, str]:
    return (row["model_zh"], row["model_en"], row["year_from"], row["displacement_l"])


def _fuel(row: dict[str, str]) -> str:
    fuel = FUELS.get(row["fuel"], "")
    if fuel == Fuel.HYBRID and _PHEV.search(row["model_en"]):
        return Fuel.PHEV
    return fuel


def _year(text: str) -> int | None:
    """The year as the row states it; empty (not stated) stays None."""
    return int(text) if text else None


def _with_note(source: str, note: str) -> str:
    return (f"[{note}] {source}" if note else source)[:500]


def _makes(rows: list[dict[str, str]], vehicles: _Vehicles) -> None:
    existing = {m.name: m for m in Make.objects.all()}
    wanted: dict[str, str] = {r["make_zh"]: r["make_en"] for r in rows}
    for english, chinese in OE_BRANDS.items():
        wanted.setdefault(chinese, english)
    new = [
        Make(
            name=name,
            name_en=english,
            initials=make_initials(name),
            source="partsmall/demo/data/vehicles_cn.csv",
        )
        for name, english in wanted.items()
        if name not in existing
    ]
    Make.objects.bulk_create(new)
    for make in Make.objects.all():
        vehicles.makes[make.name] = make
        if make.name_en:
            vehicles.makes_en[make.name_en.casefold()] = make
    wmi_link_makes()


def _common_words(names: list[str]) -> str:
    split = [n.split() for n in names if n]
    common: list[str] = []
    for words in zip(*split, strict=False):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    return " ".join(common) or (names[0] if names else "")


def _models(rows: list[dict[str, str]], vehicles: _Vehicles) -> dict[tuple[str, str], VehicleModel]:
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[(row["make_zh"], row["model_zh"])].append(row)
    existing = {(m.make.name, m.name): m for m in VehicleModel.objects.select_related("make")}
    new = []
    for (make, model), group in grouped.items():
        if (make, model) in existing:
            continue
        sources = list(dict.fromkeys(s for r in group for s in r["source"].split(" | ")))
        new.append(
            VehicleModel(
                make=vehicles.makes[make],
                name=model,
                name_en=_common_words([r["model_en"] for r in group])[:80],
                manufacturer=next((r["manufacturer_zh"] for r in group if r["manufacturer_zh"]), ""),
                source=" | ".join(sources)[:500],
            )
        )
    VehicleModel.objects.bulk_create(new)
    return {(m.make.name, m.name): m for m in VehicleModel.objects.select_related("make")}


def _type_of_row(row: dict[str, str], model: VehicleModel) -> VehicleType:
    year_from, year_to = _year(row["year_from"]), _year(row["year_to"])
    displacement = Decimal(row["displacement_l"]) if row["displacement_l"] else None
    fields: dict[str, Any] = {
        "generation": row["generation"][:100],
        "engine_code": row["engine_code"][:50],
        "displacement_l": displacement,
        "fuel": _fuel(row),
        "transmission": row["transmission"][:100],
        "year_from": year_from,
        "year_to": year_to,
    }
    key = vehicle_type_key(
        make=model.make.name,
        model=model.name,
        generation=fields["generation"],
        engine_code=fields["engine_code"],
        displacement_l=displacement,
        fuel=fields["fuel"],
        transmission=fields["transmission"],
        year_from=year_from,
        year_to=year_to,
    )
    return VehicleType(model=model, key=key, source=row["source"][:500], **fields)


def load_vehicles() -> _Vehicles:
    """Makes, models and vehicle types of vehicles_cn.csv (idempotent by key)."""
    rows = _read(VEHICLES_CSV)
    vehicles = _Vehicles()
    _makes(rows, vehicles)
    models = _models(rows, vehicles)
    existing = {t.key: t for t in VehicleType.objects.all()}
    new: dict[str, VehicleType] = {}
    row_keys: dict[tuple[str, str, str, str], str] = {}
    english: dict[str, tuple[str, str]] = {}
    for row in rows:
        vehicle_type = _type_of_row(row, models[(row["make_zh"], row["model_zh"])])
        key = vehicle_type.key
        row_keys[_row_id(row)] = key
        english.setdefault(key, (row["make_en"].casefold(), row["model_en"]))
        if key in existing:
            continue
        if key in new:  # Same stored fields, another variant name: one type, both sources.
            kept = new[key]
            kept.source = f"{kept.source} | {row['model_en']}: {row['source']}"[:500]
            continue
        new[key] = vehicle_type
    VehicleType.objects.bulk_create(new.values())
    by_key = {
        t.key: t
        for t in VehicleType.objects.filter(key__in=set(row_keys.values())).select_related("model__make")
    }
    vehicles.types = list(by_key.values())
    vehicles.by_row = {spec: by_key[key] for spec, key in row_keys.items()}
    vehicles.english_names = {by_key[key].pk: names for key, names in english.items() if key in by_key}
    return vehicles


# --- Categories and brands ----------------------------------------------------------------


def load_categories() -> dict[str, Category]:
    existing = {c.code: c for c in Category.objects.all()}
    parents = [
        Category(code=code, name=name, name_en=name_en, initials=initials(name)[:20], sort=n * 10)
        for n, (code, name, name_en, _children) in enumerate(CATEGORIES, start=1)
        if code not in existing
    ]
    Category.objects.bulk_create(parents)
    by_code = {c.code: c for c in Category.objects.all()}
    children = [
        Category(
            parent=by_code[code],
            code=child_code,
            name=child_name,
            name_en=child_en,
            initials=initials(child_name)[:20],
            sort=m * 10,
        )
        for code, _name, _en, kids in CATEGORIES
        for m, (child_code, child_name, child_en) in enumerate(kids, start=1)
        if child_code not in by_code
    ]
    Category.objects.bulk_create(children)
    return {c.code: c for c in Category.objects.all()}


def _brand(name: str, name_en: str, is_oe: bool, brands: dict[str, Brand], new: list[Brand]) -> Brand:
    norm = normalize_name(name)
    if norm not in brands:
        brands[norm] = Brand(name=name, name_norm=norm, name_en=name_en, is_oe=is_oe)
        new.append(brands[norm])
    return brands[norm]


def aftermarket_brand_name(raw: str) -> tuple[str, str]:
    """(brand name, English name) of an aftermarket brand as oe_parts.csv writes it."""
    return AFTERMARKET_NAMES.get(normalize_name(raw), (raw, raw))


def load_brands(oe_rows: list[dict[str, str]]) -> dict[str, Brand]:
    """Brands by normalised name: the generated parts' and every brand of oe_parts.csv."""
    brands = {b.name_norm: b for b in Brand.objects.all()}
    new: list[Brand] = []
    for spec in BRANDS:
        _brand(spec.name, spec.name_en, spec.is_oe, brands, new)
    for english, chinese in OE_BRANDS.items():
        if any(row["oe_brand"] == english for row in oe_rows):
            _brand(chinese, english, True, brands, new)
    for row in oe_rows:
        if row["aftermarket_brand"]:
            name, name_en = aftermarket_brand_name(row["aftermarket_brand"])
            _brand(name, name_en, False, brands, new)
    for brand in new:
        brand.source = (
            "partsmall/demo/data/oe_parts.csv" if brand.name_en not in {b.name_en for b in BRANDS} else ""
        )
    Brand.objects.bulk_create(new)
    return {b.name_norm: b for b in Brand.objects.all()}


# --- Real OE parts of oe_parts.csv -----------------------------------------------------------


PartKey = tuple[int, str]  # (brand id, normalised number)
FitmentRow = tuple[PartKey, VehicleType, str, str, str]  # part, type, position, notes, source


@dataclass
class _PartDraft:
    brand: Brand
    number: str
    category: Category
    source: str
    models: list[str] = field(default_factory=list)
    oe_numbers: list[tuple[Brand, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    label: str = ""
    is_demo: bool = False
    name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    review_status: str = ReviewStatus.APPROVED
    source_organization: Organization | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.brand.pk, normalize_number(self.number))


@dataclass(frozen=True)
class _Fits:
    make_en: str
    model: str
    chassis: str
    years: tuple[int, int | None] | None


_GENERATION = re.compile(r"\s+\d+(st|nd|rd|th) gen\b.*$")
_CHASSIS = re.compile(r"chassis codes ([^()]+)")
_YEARS = re.compile(r"\((\d{4})-\d\d to (\d{4})-\d\d")


def parse_fits(fits: str) -> _Fits:
    """ "Toyota Corolla, Japan-market chassis codes NRE210, …" → (Toyota, Corolla, codes)."""
    make_en, _, rest = fits.partition(" ")
    model = _GENERATION.sub("", rest.split(",")[0]).strip()
    if " (" in model and model.endswith("-market)"):
        model = model.split(" (")[0]
    chassis_match = _CHASSIS.search(fits)
    if chassis_match:
        chassis = chassis_match.group(1).strip().rstrip(",")
    else:
        after = _GENERATION.search(rest.split(",")[0])
        chassis = re.sub(r"^\s*\d+(st|nd|rd|th) gen\s*", "", after.group()).split(" (")[0] if after else ""
    chassis = "" if chassis.startswith("(") else chassis.strip()
    years_match = _YEARS.search(fits)
    years = (int(years_match.group(1)), int(years_match.group(2))) if years_match else None
    return _Fits(make_en=make_en, model=model, chassis=chassis, years=years)


def _words_prefix(short: str, long: str) -> bool:
    a, b = short.casefold().split(), long.casefold().split()
    return bool(a) and b[: len(a)] == a


def _matching_types(fits: _Fits, vehicles: _Vehicles) -> list[VehicleType]:
    make = fits.make_en.casefold()
    return [
        t
        for t in vehicles.types
        if vehicles.english_names.get(t.pk, ("", ""))[0] == make
        and _words_prefix(fits.model, vehicles.english_names[t.pk][1])
    ]


def _jdm_type(
    fits: _Fits, source: str, vehicles: _Vehicles, new_models: dict[tuple[int, str], VehicleModel]
) -> VehicleType:
    """A vehicle type made from oe_parts' fits text, for a model vehicles_cn.csv lacks."""
    make = vehicles.makes[OE_BRANDS[fits.make_en]]
    model_key = (make.pk, fits.model.casefold())
    if model_key not in new_models:
        model = VehicleModel.objects.filter(make=make, name__iexact=fits.model).first()
        if model is None:
            model = VehicleModel.objects.create(
                make=make,
                name=fits.model[:80],
                name_en=fits.model[:80],
                manufacturer="日本市场",
                source=_with_note(source, "车系取自 oe_parts.csv 的适配说明（日本市场）"),
            )
        new_models[model_key] = model
    model = new_models[model_key]
    # Years only where this row's fits text states them (StepWGN RP5: 2017-09 to 2021-10).
    year_from, year_to = fits.years or (None, None)
    generation = f"日本市场 {fits.chassis}".strip()[:100]
    key = vehicle_type_key(
        make=make.name, model=model.name, generation=generation, year_from=year_from, year_to=year_to
    )
    found = (
        next((t for t in vehicles.jdm_types if t.key == key), None)
        or VehicleType.objects.filter(key=key).first()
    )
    if found is None:
        note = "车型取自 oe_parts.csv 的适配说明（日本市场车型代号）"
        found = VehicleType.objects.create(
            model=model,
            key=key,
            generation=generation,
            year_from=year_from,
            year_to=year_to,
            source=_with_note(source, note),
        )
    if found not in vehicles.jdm_types:
        vehicles.jdm_types.append(found)
    return found


def _oe_part_drafts(
    rows: list[dict[str, str]], brands: dict[str, Brand], categories: dict[str, Category], vehicles: _Vehicles
) -> tuple[dict[tuple[int, str], _PartDraft], list[tuple[PartKey, PartKey]], list[FitmentRow]]:
    """Drafts of the real parts, their interchange pairs and their fitment rows."""
    drafts: dict[PartKey, _PartDraft] = {}
    links: list[tuple[PartKey, PartKey]] = []
    fitments: list[FitmentRow] = []
    new_models: dict[tuple[int, str], VehicleModel] = {}
    for row in rows:
        category_code, position = OE_CATEGORIES[row["category_zh"]]
        category = categories[category_code]
        oe_brand = brands[normalize_name(OE_BRANDS[row["oe_brand"]])]
        fits = parse_fits(row["fits"])
        types = _matching_types(fits, vehicles) or [_jdm_type(fits, row["source"], vehicles, new_models)]
        notes = f"日本市场车型代号 {fits.chassis}"[:200] if fits.chassis else ""
        keys = []
        oe = _draft(drafts, oe_brand, row["oe_number"], category, row["source"], row["category_zh"])
        oe.oe_numbers.append((oe_brand, row["oe_number"]))
        keys.append(oe.key)
        if row["aftermarket_brand"] and row["aftermarket_number"]:
            number, _, remark = row["aftermarket_number"].partition(" (")
            name, name_en = aftermarket_brand_name(row["aftermarket_brand"])
            after = _draft(
                drafts, brands[normalize_name(name)], number, category, row["source"], row["category_zh"]
            )
            after.oe_numbers.append((oe_brand, row["oe_number"]))
            if remark:
                after.notes.append(f"{row['oe_number']}：{remark.rstrip(')')}")
            keys.append(after.key)
            links.append((oe.key, after.key))
        for key in keys:
            for vehicle_type in types:
                drafts[key].models.append(vehicle_type.model.name)
                fitments.append((key, vehicle_type, position, notes, row["source"]))
    for draft in drafts.values():
        models = "、".join(dict.fromkeys(draft.models))
        draft.name = f"{draft.label} · 适用 {models}"[:200]
    return drafts, links, fitments


def _draft(
    drafts: dict[tuple[int, str], _PartDraft],
    brand: Brand,
    number: str,
    category: Category,
    source: str,
    label: str,
) -> _PartDraft:
    key = (brand.pk, normalize_number(number))
    if key not in drafts:
        drafts[key] = _PartDraft(
            brand=brand, number=number.strip(), category=category, source=source, label=label
        )
    elif source not in drafts[key].source:
        drafts[key].source = f"{drafts[key].source} | {source}"
    return drafts[key]


# --- Generated parts ------------------------------------------------------------------------


def _eligible_models(vehicles: _Vehicles) -> dict[str, list[VehicleType]]:
    by_model: dict[str, list[VehicleType]] = defaultdict(list)
    for t in vehicles.types:
        by_model[f"{t.model.make.name}|{t.model.name}"].append(t)
    return by_model


def _generated_drafts(
    count: int,
    brands: dict[str, Brand],
    categories: dict[str, Category],
    vehicles: _Vehicles,
    rng: random.Random,
) -> tuple[list[_PartDraft], list[FitmentRow]]:
    combos = [(spec, code) for code in PRICE_RANGES for spec in BRANDS if code in spec.part_types]
    models = _eligible_models(vehicles)
    drafts: list[_PartDraft] = []
    fitments: list[FitmentRow] = []
    seq: dict[str, int] = defaultdict(int)
    for n in range(count):
        spec, code = combos[n % len(combos)]
        seq[spec.code] += 1
        category = categories[code]
        variant = VARIANTS[code][(n // len(combos)) % len(VARIANTS[code])]
        types = _pick_types(spec, code, models, rng)
        model_name = types[0].model.name if types else ""
        draft = _PartDraft(
            brand=brands[normalize_name(spec.name)],
            number=f"DEMO-{spec.code}-{seq[spec.code]:04d}",
            category=category,
            source=DEMO_SOURCE,
            name=f"{DEMO_NAME_PREFIX}{spec.name} {category.name} {variant}"
            + (f" · 适用{model_name}" if model_name else ""),
            attributes={"规格": variant},
            is_demo=True,
        )
        drafts.append(draft)
        position = _position(code, n)
        fitments.extend((draft.key, t, position, "", DEMO_SOURCE) for t in types)
    return drafts, fitments


def _pick_types(
    spec: BrandSpec, code: str, models: dict[str, list[VehicleType]], rng: random.Random
) -> list[VehicleType]:
    make = OE_BRAND_MAKES.get(spec.name)
    names = [name for name in models if make is None or name.startswith(f"{make}|")]
    for _attempt in range(6):
        types = models[rng.choice(names)]
        if code in COMBUSTION_ONLY:
            types = [t for t in types if t.fuel != Fuel.EV]
        if types:
            return rng.sample(types, min(len(types), rng.randint(2, 6)))
    return []


def _position(code: str, n: int) -> str:
    if code in AXLE_PARTS:
        return Position.FRONT if n % 2 == 0 else Position.REAR
    if code == "brake-shoe":
        return Position.REAR
    if code in SIDE_PARTS:
        return Position.LEFT if n % 2 == 0 else Position.RIGHT
    return Position.ANY


# --- Writing parts, OE numbers, links and fitment in bulk -----------------------------------------


def _category_paths(categories: dict[str, Category]) -> dict[int, list[str]]:
    """Each category's name with its ancestors' (机油滤清器, 滤清器): search finds both."""
    by_id = {c.pk: c for c in categories.values()}
    paths: dict[int, list[str]] = {}
    for category in by_id.values():
        chain: list[str] = []
        node: Category | None = category
        while node is not None:
            chain.append(node.name)
            node = by_id.get(node.parent_id) if node.parent_id else None
        paths[category.pk] = chain
    return paths


def _write_parts(
    drafts: Sequence[_PartDraft], categories: dict[str, Category]
) -> dict[tuple[int, str], Part]:
    """Parts in bulk, with their search tokens written at once (no second pass)."""
    paths = _category_paths(categories)
    parts = []
    for d in drafts:
        number_norm = normalize_number(d.number)
        parts.append(
            Part(
                brand=d.brand,
                number=d.number,
                number_norm=number_norm,
                name=d.name,
                category=d.category,
                attributes=d.attributes,
                description="；".join(d.notes),
                source=d.source[:500],
                source_organization=d.source_organization,
                review_status=d.review_status,
                is_demo=d.is_demo,
                search_text=part_search_text(
                    name=d.name,
                    brand=f"{d.brand.name} {d.brand.name_en}",
                    number_norm=number_norm,
                    oe_numbers=[normalize_number(n) for _b, n in d.oe_numbers],
                    categories=paths[d.category.pk],
                ),
            )
        )
    Part.objects.bulk_create(parts, batch_size=500)
    written = Part.objects.filter(number_norm__in={p.number_norm for p in parts}).select_related(
        "brand", "category"
    )
    wanted = {d.key for d in drafts}
    return {(p.brand_id, p.number_norm): p for p in written if (p.brand_id, p.number_norm) in wanted}


def _write_oe_numbers(drafts: Iterable[_PartDraft], parts: dict[tuple[int, str], Part]) -> int:
    rows = []
    for d in drafts:
        seen: set[str] = set()
        for oe_brand, number in d.oe_numbers:
            norm = normalize_number(number)
            if norm not in seen:
                seen.add(norm)
                rows.append(
                    OeNumber(
                        part=parts[d.key],
                        oe_brand=oe_brand,
                        number=number,
                        number_norm=norm,
                        source=d.source[:500],
                    )
                )
    OeNumber.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _write_links(
    links: Iterable[tuple[tuple[int, str], tuple[int, str]]], parts: dict[tuple[int, str], Part]
) -> int:
    rows = [
        PartLink(
            from_part=parts[a],
            to_part=parts[b],
            kind=PartLink.Kind.INTERCHANGE,
            source=f"{parts[a].source}"[:500],
        )
        for a, b in dict.fromkeys(links)
    ]
    PartLink.objects.bulk_create(rows)
    return len(rows)


def _write_fitments(rows: Iterable[FitmentRow], parts: dict[tuple[int, str], Part], **extra: object) -> int:
    seen: set[tuple[int, int, str]] = set()
    fitments = []
    for key, vehicle_type, position, notes, source in rows:
        part = parts[key]
        unique = (part.pk, vehicle_type.pk, position)
        if unique in seen:
            continue
        seen.add(unique)
        fitments.append(
            Fitment(
                part=part,
                vehicle_type=vehicle_type,
                position=position,
                quantity=QUANTITY.get(part.category.code, 1),
                notes=notes,
                source=source[:500],
                **extra,
            )
        )
    Fitment.objects.bulk_create(fitments, batch_size=2000)
    return len(fitments)


# --- Offers ---------------------------------------------------------------------------------


def _base_price(part: Part) -> float:
    low, high = PRICE_RANGES[part.category.code]
    # Deterministic per part: the same part costs about the same at every supplier.
    return random.Random(f"{part.brand_id}|{part.number_norm}").uniform(low, high)


def _price(base: float, grade: str, factor: float, rng: random.Random) -> Decimal:
    value = base * GRADE_PRICE[grade] * factor * rng.uniform(0.94, 1.06)
    return to_money(Decimal(str(max(round(value * 2) / 2, 5))))


def _offers_of(
    supplier: Organization, profile: SupplierProfile, parts: list[Part], rng: random.Random
) -> list[Offer]:
    offers = []
    for part in parts:
        code = part.category.code
        if code not in profile.part_types or rng.random() > profile.share:
            continue
        base = _base_price(part)
        pack = profile.moq_pack if code in FILTERS else (4 if code == "spark-plug" else 1)
        for grade in profile.grades_oe if part.brand.is_oe else profile.grades_brand:
            in_stock = rng.random() < 0.85
            offers.append(
                Offer(
                    supplier=supplier,
                    part=part,
                    grade=grade,
                    sku=f"{profile.sku_prefix}-{part.pk:05d}-{GRADE_CODE[grade]}",
                    price=_price(base, grade, profile.price_factor, rng),
                    min_order_quantity=pack,
                    order_multiple=pack,
                    lead_time_days=rng.choice((1, 1, 2, 3)) if in_stock else rng.choice((5, 7, 10, 15)),
                    warranty_months=GRADE_WARRANTY[grade],
                    is_listed=rng.random() > 0.05,
                )
            )
    return offers


# --- Supplier-added rows waiting for review -------------------------------------------------------

PENDING_PARTS = (
    ("brake-pad", "陶瓷配方"),
    ("brake-pad", "低金属"),
    ("brake-disc", "通风盘"),
    ("control-arm", "下摆臂"),
)


def _pending_parts(
    adder: Organization, brands: dict[str, Brand], categories: dict[str, Category]
) -> list[_PartDraft]:
    trw = brands[normalize_name("天合")]
    return [
        _PartDraft(
            brand=trw,
            number=f"DEMO-TRW-N{n:03d}",
            category=categories[code],
            source=PENDING_SOURCE,
            name=f"{DEMO_NAME_PREFIX}天合 {categories[code].name} {variant}（厂商新增）",
            attributes={"规格": variant},
            is_demo=True,
            review_status=ReviewStatus.PENDING,
            source_organization=adder,
        )
        for n, (code, variant) in enumerate(PENDING_PARTS, start=1)
    ]


def _pending_rows(
    suppliers: Sequence[Organization],
    brands: dict[str, Brand],
    categories: dict[str, Category],
    vehicles: _Vehicles,
    parts: list[Part],
    rng: random.Random,
) -> tuple[list[Part], int]:
    """Parts one supplier added (with their fitment), and fitment another added: all pending."""
    adder, fitter = suppliers[1], suppliers[2]
    drafts = _pending_parts(adder, brands, categories)
    written = _write_parts(drafts, categories)
    pending = ReviewStatus.PENDING
    rows: list[FitmentRow] = [
        (d.key, rng.choice(vehicles.types), _position(d.category.code, n), "", PENDING_SOURCE)
        for n, d in enumerate(drafts)
    ]
    fitments = _write_fitments(rows, written, review_status=pending, source_organization=adder)
    filters = {(p.brand_id, p.number_norm): p for p in parts if p.is_demo and p.category.code in FILTERS}
    chosen = dict(list(filters.items())[:6])
    taken = set(Fitment.objects.filter(part__in=chosen.values()).values_list("part_id", "vehicle_type_id"))
    extra: list[FitmentRow] = []
    for key, part in chosen.items():
        free = [t for t in vehicles.types if (part.pk, t.pk) not in taken and t.fuel != Fuel.EV]
        extra.append((key, rng.choice(free), Position.ANY, "厂商补充适配", PENDING_SOURCE))
    fitments += _write_fitments(extra, chosen, review_status=pending, source_organization=fitter)
    return list(written.values()), fitments


# --- VIN patterns ---------------------------------------------------------------------------


def load_vin_patterns(vehicles: _Vehicles) -> int:
    for spec in VIN_PATTERNS:
        pattern, _created = VinPattern.objects.get_or_create(
            wmi=spec.wmi, vds_prefix=spec.vds_prefix, defaults={"note": spec.note, "source": PATTERN_SOURCE}
        )
        pattern.vehicle_types.add(*(vehicles.by_row[row] for row in spec.types))
    return len(VIN_PATTERNS)


# --- The whole catalogue --------------------------------------------------------------------------


def catalog_load(*, suppliers: Sequence[Organization]) -> CatalogSummary:
    """Loads the demo catalogue; `suppliers` are the 5 demo suppliers (data.SUPPLIERS order)."""
    rng = random.Random(SEED)
    vehicles = load_vehicles()
    categories = load_categories()
    oe_rows = _read(OE_PARTS_CSV)
    brands = load_brands(oe_rows)
    real, links, real_fitments = _oe_part_drafts(oe_rows, brands, categories, vehicles)
    count = TARGET_PARTS - len(real) - len(PENDING_PARTS)
    generated, generated_fitments = _generated_drafts(count, brands, categories, vehicles, rng)
    drafts = [*real.values(), *generated]
    parts_by_key = _write_parts(drafts, categories)
    summary = CatalogSummary(real_parts=len(real))
    summary.oe_numbers = _write_oe_numbers(drafts, parts_by_key)
    _write_links(links, parts_by_key)
    summary.fitments = _write_fitments([*real_fitments, *generated_fitments], parts_by_key)
    parts = list(parts_by_key.values())
    pending_parts, pending_fitments = _pending_rows(suppliers, brands, categories, vehicles, parts, rng)
    summary.fitments += pending_fitments
    parts += pending_parts
    offers = [
        offer
        for supplier, profile in zip(suppliers, SUPPLIER_PROFILES, strict=True)
        for offer in _offers_of(supplier, profile, parts, rng)
    ]
    Offer.objects.bulk_create(offers, batch_size=2000)
    refresh_offer_summary(p.pk for p in parts)
    summary.vin_patterns = load_vin_patterns(vehicles)
    summary.categories = len(categories)
    summary.brands = len(brands)
    summary.vehicle_types = len(vehicles.types) + len(vehicles.jdm_types)
    summary.parts = len(parts)
    summary.offers = len(offers)
    return summary
