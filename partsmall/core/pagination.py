"""List pages: 20 / 50 / 100 rows a page, chosen by ?per_page=, the page by ?page=."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZES = (20, 50, 100)


def paginate(request: HttpRequest, items: Any) -> Page:
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    if per_page not in PAGE_SIZES:
        per_page = PAGE_SIZES[0]
    return Paginator(items, per_page).get_page(request.GET.get("page"))
