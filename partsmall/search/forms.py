"""The search page's query string → SearchQuery.

A search link may be old or hand-edited: values that are not what a field takes are
dropped (the search runs without them) rather than refused.
"""

from decimal import Decimal, InvalidOperation

from django.http import QueryDict

from partsmall.catalog.models import Grade
from partsmall.search.selectors import SORTS, SearchQuery

PAGE_SIZES = (20, 50, 100)


def _int(value: str | None) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _ints(values: list[str]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(n for n in (_int(v) for v in values) if n is not None))


def _price(value: str | None) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and 0 <= amount < 10**10 else None


def _text(params: QueryDict, name: str, max_length: int = 100) -> str:
    return params.get(name, "").strip()[:max_length]


def search_query_from(params: QueryDict) -> SearchQuery:
    grades = {g.value for g in Grade}
    sorts = {value for value, _label in SORTS}
    sort = params.get("sort", "relevance")
    page_size = _int(params.get("per_page")) or PAGE_SIZES[0]
    return SearchQuery(
        q=_text(params, "q"),
        oe=_text(params, "oe", 50),
        vin=_text(params, "vin", 40),
        vehicle_type_ids=_ints(params.getlist("vehicle_type")),
        make_id=_int(params.get("make")),
        model_id=_int(params.get("model")),
        year=_int(params.get("year")),
        engine_code=_text(params, "engine", 50),
        category_id=_int(params.get("category")),
        brand_ids=_ints(params.getlist("brand")),
        grades=tuple(dict.fromkeys(g for g in params.getlist("grade") if g in grades)),
        price_min=_price(params.get("price_min")) if params.get("price_min") else None,
        price_max=_price(params.get("price_max")) if params.get("price_max") else None,
        in_stock=params.get("in_stock") in {"1", "true", "on"},
        sort=sort if sort in sorts else "relevance",  # type: ignore[arg-type]
        page=_int(params.get("page")) or 1,
        page_size=page_size if page_size in PAGE_SIZES else PAGE_SIZES[0],
    )
