"""车型库: vehicle types keyed by `vehicles.services.vehicle_type_key` (operators only).

Makes and models are found by their Chinese or English names, or created. What is in the
key (generation, engine, displacement, fuel, gearbox, years) makes another vehicle type;
body and source are updated where the file gives them; missing English names and
manufacturers of makes and models are filled in.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports import cells
from partsmall.catalog.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ChunkResult,
    Column,
    Context,
    ImportKind,
    Row,
    Staged,
    clean_rows,
)
from partsmall.organizations.models import Organization
from partsmall.vehicles import errors as vehicle_errors
from partsmall.vehicles.models import Fuel, Make, VehicleModel, VehicleType
from partsmall.vehicles.services import makes_get_or_create, vehicle_models_get_or_create, vehicle_type_key

YEAR_MIN, YEAR_MAX = 1950, 2100
_FUELS = tuple((value, str(label)) for value, label in Fuel.choices)
# As sources and people write them.
_FUEL_ALIASES = {
    "混动": Fuel.HYBRID.value,
    "油电混动": Fuel.HYBRID.value,
    "插混": Fuel.PHEV.value,
    "纯电": Fuel.EV.value,
    "电动": Fuel.EV.value,
}

MAKE = Column("品牌", "make", _("中文品牌名，如 大众。"), "大众", True, width=10)
MAKE_EN = Column("英文品牌", "make_en", _("如 Volkswagen。"), "Volkswagen", width=12)
MANUFACTURER = Column("厂商", "manufacturer", _("生产厂商，如 上汽大众。"), "上汽大众", width=12)
MODEL = Column("车系", "model", _("如 朗逸。"), "朗逸", True, width=12)
MODEL_EN = Column("英文车系", "model_en", _("如 Lavida。"), "Lavida", width=12)
GENERATION = Column("代别", "generation", _("如 第三代。"), "第三代", width=16)
BODY = Column("车身", "body", _("如 三厢轿车。"), "三厢", width=10)
ENGINE = Column("发动机型号", "engine_code", _("如 EA211。"), "EA211", width=12, as_text=True)
DISPLACEMENT = Column("排量(L)", "displacement_l", _("单位 L，一位小数，如 1.5。"), "1.5", width=8)
FUEL = Column(
    "燃料",
    "fuel",
    _("汽油、柴油、油电混合、插电混动、纯电动或其他。"),
    "汽油",
    width=10,
    options=tuple(label for _v, label in _FUELS),
    labels=_FUELS,
)
TRANSMISSION = Column("变速箱", "transmission", _("如 6AT、5MT。"), "6AT", width=10)
# Optional: where a source does not state the start year it stays empty (never guessed).
YEAR_FROM = Column("起始年份", "year_from", _("如 2018。"), "2018", width=10)
YEAR_TO = Column("终止年份", "year_to", _("仍在生产则空着。"), "", width=10)
SOURCE = Column("来源", "source", _("数据出处（网址或资料名）。"), "https://…", width=30)

_TEXT = (
    (MAKE_EN, 50),
    (MANUFACTURER, 80),
    (MODEL_EN, 80),
    (GENERATION, 100),
    (BODY, 50),
    (TRANSMISSION, 100),
)


class VehicleTypesKind(ImportKind):
    kind = "vehicle_types"
    title = _("车型库")
    columns = (
        MAKE, MAKE_EN, MANUFACTURER, MODEL, MODEL_EN, GENERATION, BODY, ENGINE,
        DISPLACEMENT, FUEL, TRANSMISSION, YEAR_FROM, YEAR_TO, SOURCE,
    )  # fmt: skip
    allowed = frozenset({Organization.Kind.PLATFORM})
    key_header = MODEL.header

    def clean(self, row: Row, context: Context) -> None:
        values: dict[str, Any] = {"make": row.text(MAKE, 50), "model": row.text(MODEL, 80)}
        values.update({column.field: row.text(column, size) for column, size in _TEXT})
        values["engine_code"] = row.text(ENGINE, 50, cells.code)
        values["source"] = row.text(SOURCE, 500)
        values["fuel"] = row.read(FUEL, _fuel, default="")
        values["displacement_l"] = _displacement(row)
        values["year_from"] = row.integer(YEAR_FROM, default=None, low=YEAR_MIN, high=YEAR_MAX)
        values["year_to"] = row.integer(YEAR_TO, default=None, low=YEAR_MIN, high=YEAR_MAX)
        if values["year_from"] and values["year_to"] and values["year_to"] < values["year_from"]:
            row.error(YEAR_TO.header, vehicle_errors.YEARS_REVERSED)
        row.values = values

    def check_batch(self, rows: list[Row], context: Context) -> None:
        """The key with the canonical make and model names, for spotting duplicates."""
        makes = _make_index(context)
        models = _model_index(context)
        for row in clean_rows(rows):
            make = makes.get(row.values["make"].casefold())
            make_name = make.name if make else row.values["make"]
            model = models.get((make.pk, row.values["model"].casefold())) if make else None
            row.key = _key(row.values, make_name, model.name if model else row.values["model"])

    def apply_chunk(self, rows: list[Staged], context: Context) -> ChunkResult:
        makes = makes_get_or_create(names=[row.values["make"] for row in rows], source=context.source)
        models = vehicle_models_get_or_create(
            pairs=[(makes[row.values["make"]], row.values["model"]) for row in rows], source=context.source
        )
        result = ChunkResult()
        changed_names = _update_names(rows, makes, models)
        keyed = {}
        for row in rows:
            make = makes[row.values["make"]]
            model = models[(make.pk, row.values["model"])]
            keyed[row.id] = (_key(row.values, make.name, model.name), model)
        existing = {t.key: t for t in VehicleType.objects.filter(key__in={k for k, _m in keyed.values()})}
        new: list[VehicleType] = []
        changed: list[VehicleType] = []
        for row in rows:
            key, model = keyed[row.id]
            vehicle_type = existing.get(key)
            if vehicle_type is None:
                vehicle_type = _new_type(row.values, key, model, context)
                existing[key] = vehicle_type
                new.append(vehicle_type)
                result.outcomes[row.id] = CREATED
            elif _update_type(vehicle_type, row.values):
                changed.append(vehicle_type)
                result.outcomes[row.id] = UPDATED
            else:
                result.outcomes[row.id] = UPDATED if row.id in changed_names else UNCHANGED
        VehicleType.objects.bulk_create(new)
        VehicleType.objects.bulk_update(changed, ["body", "source"])
        return result


def _fuel(value: object) -> str:
    text = cells.text(value)
    return _FUEL_ALIASES.get(text) or cells.choice(text, dict(_FUELS))


def _litres(value: object) -> Decimal:
    """1.6, "1.6", "1.6L", "1.6 l" → 1.6."""
    if isinstance(value, str):
        value = cells.text(value).upper().removesuffix("L").strip()
    return cells.decimal(value, 1)


def _displacement(row: Row) -> str | None:
    value = row.read(DISPLACEMENT, _litres)
    if value is None:
        return None
    if not Decimal("0.1") <= value <= Decimal("9.9"):
        row.error(DISPLACEMENT.header, vehicle_errors.DISPLACEMENT_INVALID)
        return None
    return str(value)


def _key(values: dict[str, Any], make: str, model: str) -> str:
    return vehicle_type_key(
        make=make,
        model=model,
        generation=values["generation"],
        engine_code=values["engine_code"],
        displacement_l=values["displacement_l"],
        fuel=values["fuel"],
        transmission=values["transmission"],
        year_from=values["year_from"],
        year_to=values["year_to"],
    )


def _make_index(context: Context) -> dict[str, Make]:
    if "makes" not in context.cache:
        index: dict[str, Make] = {}
        for make in Make.objects.all():
            for name in (make.name_en, make.name):
                if name:
                    index[name.casefold()] = make
        context.cache["makes"] = index
    return context.cache["makes"]


def _model_index(context: Context) -> dict[tuple[int, str], VehicleModel]:
    if "models" not in context.cache:
        context.cache["models"] = {(m.make_id, m.name.casefold()): m for m in VehicleModel.objects.all()}
    return context.cache["models"]


def _new_type(values: dict[str, Any], key: str, model: VehicleModel, context: Context) -> VehicleType:
    return VehicleType(
        model=model,
        key=key,
        generation=values["generation"],
        body=values["body"],
        engine_code=values["engine_code"],
        displacement_l=Decimal(values["displacement_l"]) if values["displacement_l"] else None,
        fuel=values["fuel"],
        transmission=values["transmission"],
        year_from=values["year_from"],
        year_to=values["year_to"],
        source=values["source"] or context.source,
        source_organization=context.organization,
    )


def _update_type(vehicle_type: VehicleType, values: dict[str, Any]) -> bool:
    wanted = {"body": values["body"]}
    if values["source"]:
        wanted["source"] = values["source"]
    if all(getattr(vehicle_type, attr) == value for attr, value in wanted.items()):
        return False
    for attr, value in wanted.items():
        setattr(vehicle_type, attr, value)
    return True


def _update_names(
    rows: list[Staged], makes: dict[str, Make], models: dict[tuple[int, str], VehicleModel]
) -> set[int]:
    """Fills in missing English names and manufacturers from the file; the rows that did."""
    changed_makes: dict[int, Make] = {}
    changed_models: dict[int, VehicleModel] = {}
    rows_changed: set[int] = set()
    for row in rows:
        make = makes[row.values["make"]]
        model = models[(make.pk, row.values["model"])]
        if _assign(make, {"name_en": row.values["make_en"]}):
            changed_makes[make.pk] = make
            rows_changed.add(row.id)
        fields = {"name_en": row.values["model_en"], "manufacturer": row.values["manufacturer"]}
        if _assign(model, fields):
            changed_models[model.pk] = model
            rows_changed.add(row.id)
    Make.objects.bulk_update(list(changed_makes.values()), ["name_en"])
    VehicleModel.objects.bulk_update(list(changed_models.values()), ["name_en", "manufacturer"])
    return rows_changed


def _assign(obj: Make | VehicleModel, fields: dict[str, str]) -> bool:
    """Fills in what is still empty (rows of one model may name it differently in English:
    the first one wins, so a second import of the same file changes nothing)."""
    changed = False
    for attr, value in fields.items():
        if value and not getattr(obj, attr):
            setattr(obj, attr, value)
            changed = True
    return changed
