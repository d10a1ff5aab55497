"""The shop's search page and part page. Thin: parse the query, call one selector, render."""

from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from partsmall.catalog.models import Category
from partsmall.core.errors import ApplicationError
from partsmall.organizations.access import actor_of, page
from partsmall.organizations.roles import Perm
from partsmall.search import selectors
from partsmall.search.forms import PAGE_SIZES, search_query_from
from partsmall.search.selectors import PRICE_RANGES, SORTS, FacetValue, SearchQuery, SearchResult

# Parameters that describe the vehicle: the chip's "remove" drops them all.
VEHICLE_PARAMS = ("vin", "vehicle_type", "make", "model", "year", "engine")


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _with(params: QueryDict, **changes: Any) -> str:
    """This page's query string with some parameters set (a list), or dropped (None)."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        values = value if isinstance(value, list | tuple) else [value]
        kept = [str(v) for v in values if v is not None and v != ""]
        if kept:
            query.setlist(name, kept)
    return "?" + query.urlencode()


def _toggled(params: QueryDict, name: str, value: str) -> str:
    current = params.getlist(name)
    values = [v for v in current if v != value] if value in current else [*current, value]
    return _with(params, **{name: values})


def _facet_items(params: QueryDict, name: str, facet: list[FacetValue], selected: set[str]) -> list[dict]:
    return [
        {
            "value": item.value,
            "label": item.label,
            "count": item.count,
            "selected": str(item.value) in selected,
            "url": _toggled(params, name, str(item.value)),
        }
        for item in facet
    ]


def _price_items(params: QueryDict, query: SearchQuery, facet: list[FacetValue]) -> list[dict]:
    items = []
    for (value, low, high), item in zip(PRICE_RANGES, facet, strict=True):
        selected = query.price_min == low and query.price_max == high
        url = (
            _with(params, price_min=None, price_max=None)
            if selected
            else _with(params, price_min=low, price_max=high)
        )
        items.append(
            {"value": value, "label": item.label, "count": item.count, "selected": selected, "url": url}
        )
    return items


def _category_rows(
    params: QueryDict, categories: list[Category], result: SearchResult, selected_id: int | None
) -> list[dict]:
    """The tree, flattened: roots, and the children of the selected category's path."""
    by_id = {c.pk: c for c in categories}
    counts = {item.value: item.count for item in result.facets.category}
    open_ids: set[int | None] = {None}
    node = by_id.get(selected_id) if selected_id else None
    while node is not None:
        open_ids.add(node.pk)
        node = by_id.get(node.parent_id) if node.parent_id else None
    rows: list[dict] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in (c for c in categories if c.parent_id == parent_id):
            if result.has_criteria and not counts.get(category.pk):
                continue
            rows.append(
                {
                    "category": category,
                    "depth": depth,
                    "count": counts.get(category.pk),
                    "selected": category.pk == selected_id,
                    "url": _with(params, category=None if category.pk == selected_id else category.pk),
                }
            )
            if category.pk in open_ids:
                walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


def _search(request: HttpRequest, query: SearchQuery) -> tuple[SearchResult, str]:
    actor = actor_of(request)
    try:
        return selectors.search_parts(actor=actor, query=query), ""
    except ApplicationError as error:
        if error.field != "vin":
            raise
        return selectors.search_parts(actor=actor, query=replace(query, vin="")), str(error.message)


def _vehicle_chip(result: SearchResult) -> str:
    decoding = result.vin_decoding
    if decoding is not None and decoding.chosen is not None:
        return decoding.chosen.label
    if len(result.vehicles) == 1:
        return result.vehicles[0].label
    if decoding is not None:
        return decoding.vin
    return result.vehicle_label or ", ".join(v.label for v in result.vehicles)


@page(permission=Perm.PURCHASE, scope="organization")
def index(request: HttpRequest) -> HttpResponse:
    params = request.GET
    query = search_query_from(params)
    result, vin_error = _search(request, query)
    selectors.price_hits(actor=actor_of(request), hits=result.hits)
    categories = result.categories
    facets = result.facets
    context = {
        "query": query,
        "result": result,
        "vin_error": vin_error,
        "vehicle_chip": _vehicle_chip(result) if query.has_vehicle and not vin_error else "",
        "remove_vehicle_url": _with(params, **dict.fromkeys(VEHICLE_PARAMS)),
        "category_rows": _category_rows(params, categories, result, query.category_id),
        "selected_category": next((c for c in categories if c.pk == query.category_id), None),
        "remove_category_url": _with(params, category=None),
        "brand_items": _facet_items(params, "brand", facets.brand, {str(b) for b in query.brand_ids}),
        "grade_items": _facet_items(params, "grade", facets.grade, set(query.grades)),
        "price_items": _price_items(params, query, facets.price_range) if facets.price_range else [],
        "in_stock_count": facets.in_stock[0].count if facets.in_stock else None,
        "in_stock_url": _with(params, in_stock=None if query.in_stock else "1"),
        "sorts": [(value, label, _with(params, sort=value)) for value, label in SORTS],
        "page_sizes": [(size, _with(params, per_page=size)) for size in PAGE_SIZES],
        "previous_url": _with(params, page=result.page - 1) if result.page > 1 else None,
        "next_url": _with(params, page=result.page + 1) if result.page < result.num_pages else None,
        "vin_decode_url": _url_or_none("vehicles:vin_decode"),
        "vehicle_selects_url": _url_or_none("vehicles:vehicle_selects"),
        "vehicle_selects_query": urlencode(
            {name: params[name] for name in ("make", "model", "year", "engine") if params.get(name)}
        ),
    }
    return render(request, "search/index.html", context)


@page(permission=Perm.PURCHASE, scope="organization", selector="part_detail")
def part(request: HttpRequest, pk: int) -> HttpResponse:
    """Shared data: any buying organization sees the part; its offers side by side."""
    detail = selectors.part_detail(actor=actor_of(request), part_id=pk)
    # The search it came from (a query string of the search page), for the way back.
    back = request.GET.get("back", "")
    return render(request, "search/part.html", {"detail": detail, "part": detail.part, "back": back})
