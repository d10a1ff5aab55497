"""Helpers every catalogue service shares: text checks and whether a party is the platform."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from partsmall.catalog.models import Category
from partsmall.core.errors import ApplicationError
from partsmall.organizations.models import Organization

M = TypeVar("M", bound=Model)


def clean_text(
    value: object, *, field: str, max_length: int, required: Promise | None, too_long: Promise
) -> str:
    """The stripped text; refuses it when required and empty, or too long (naming the field)."""
    text = str(value or "").strip()
    if required is not None and not text:
        raise ApplicationError(required, field=field)
    if len(text) > max_length:
        raise ApplicationError(too_long, field=field)
    return text


def is_supplier_source(organization: Organization | None) -> bool:
    """Rows that a supplier (not the platform) adds to shared data wait for review."""
    return organization is not None and not organization.is_platform


def others(rows: QuerySet[M], pk: int | None) -> QuerySet[M]:
    """The rows except the one being changed (all of them when creating)."""
    return rows if pk is None else rows.exclude(pk=pk)


def category_subtree_ids(category: Category) -> list[int]:
    """The category and all its descendants (the tree is small: one query, walked here)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = [], [category.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found
