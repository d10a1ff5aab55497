"""Categories (a tree of part types) and brands: platform data that operators curate."""

import re
from typing import TYPE_CHECKING

from django.db import transaction

from partsmall.catalog import errors
from partsmall.catalog.indexing import initials
from partsmall.catalog.models import Brand, Category, Part
from partsmall.catalog.normalize import normalize_name
from partsmall.catalog.services.common import category_subtree_ids, clean_text, others
from partsmall.catalog.services.parts import part_reindex
from partsmall.core.errors import ApplicationError
from partsmall.organizations.services.common import audit, save_validated

if TYPE_CHECKING:
    from partsmall.accounts.models import User

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Unset:
    """Marks an argument that was not given (None is a value: "no parent")."""


UNSET = _Unset()


def _slug_from_name(name: str) -> str:
    """`机油滤清器` → `ji-you-lv-qing-qi`: a readable code when the operator gives none."""
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(name)]
    return "-".join(w for w in words if w)[:50].strip("-") or "category"


def _free_code(base: str, *, exclude_pk: int | None) -> str:
    taken = set(
        others(Category.objects.all(), exclude_pk)
        .filter(code__startswith=base)
        .values_list("code", flat=True)
    )
    code, n = base, 2
    while code in taken:
        suffix = f"-{n}"
        code, n = base[: 50 - len(suffix)] + suffix, n + 1
    return code


def _check_code(code: str, *, exclude_pk: int | None) -> str:
    code = code.strip().lower()
    if not _CODE.match(code) or len(code) > 50:
        raise ApplicationError(errors.CATEGORY_CODE_INVALID, field="code")
    if others(Category.objects.all(), exclude_pk).filter(code=code).exists():
        raise ApplicationError(errors.CATEGORY_CODE_TAKEN, field="code")
    return code


def _check_parent(parent: Category | None, *, moving: Category | None) -> None:
    """No cycles: a category never sits under itself or one of its descendants."""
    node = parent
    while node is not None and moving is not None:
        if node.pk == moving.pk:
            raise ApplicationError(errors.CATEGORY_PARENT_CYCLE, field="parent")
        node = node.parent


def _check_sibling_name(name: str, parent: Category | None, *, exclude_pk: int | None) -> None:
    siblings = others(Category.objects.filter(parent=parent, name=name), exclude_pk)
    if siblings.exists():
        raise ApplicationError(errors.CATEGORY_NAME_TAKEN, field="name")


def _category_name(name: object) -> str:
    return clean_text(
        name,
        field="name",
        max_length=50,
        required=errors.CATEGORY_NAME_REQUIRED,
        too_long=errors.CATEGORY_NAME_TOO_LONG,
    )


@transaction.atomic
def category_create(
    *,
    name: str,
    parent: Category | None = None,
    code: str = "",
    name_en: str = "",
    sort: int = 0,
    by: "User | None",
) -> Category:
    """A category under `parent` (or at the top); the code defaults to the name's pinyin."""
    name = _category_name(name)
    _check_sibling_name(name, parent, exclude_pk=None)
    code = (
        _check_code(code, exclude_pk=None)
        if code.strip()
        else _free_code(_slug_from_name(name), exclude_pk=None)
    )
    category = Category(
        parent=parent, code=code, name=name, name_en=name_en.strip(), initials=initials(name)[:20], sort=sort
    )
    save_validated(category)
    audit(
        organization=None,
        actor=by,
        action="catalog.category_create",
        target=name,
        details={"id": category.pk},
    )
    return category


@transaction.atomic
def category_update(
    *,
    category: Category,
    by: "User | None",
    name: str | None = None,
    parent: Category | None | _Unset = UNSET,
    code: str | None = None,
    name_en: str | None = None,
    sort: int | None = None,
) -> Category:
    """Changes what is given; moving under itself or a descendant is refused."""
    new_name = _category_name(name) if name is not None else category.name
    new_parent = category.parent if isinstance(parent, _Unset) else parent
    _check_parent(new_parent, moving=category)
    old_name, old_parent = category.name, category.parent
    if new_name != old_name or new_parent != old_parent:
        _check_sibling_name(new_name, new_parent, exclude_pk=category.pk)
    if code is not None and code.strip() != category.code:
        category.code = _check_code(code, exclude_pk=category.pk)
    category.name, category.parent = new_name, new_parent
    category.initials = initials(new_name)[:20]
    if name_en is not None:
        category.name_en = name_en.strip()
    if sort is not None:
        category.sort = sort
    renamed = new_name != old_name or new_parent != old_parent
    save_validated(category)
    if renamed:
        part_reindex(
            part_ids=Part.objects.filter(category__in=category_subtree_ids(category)).values_list(
                "id", flat=True
            )
        )
    audit(
        organization=None,
        actor=by,
        action="catalog.category_update",
        target=new_name,
        details={"id": category.pk},
    )
    return category


def _brand_name(name: object) -> str:
    return clean_text(
        name,
        field="name",
        max_length=50,
        required=errors.BRAND_NAME_REQUIRED,
        too_long=errors.BRAND_NAME_TOO_LONG,
    )


def _check_brand_norm(name_norm: str, *, exclude_pk: int | None) -> None:
    if others(Brand.objects.all(), exclude_pk).filter(name_norm=name_norm).exists():
        raise ApplicationError(errors.BRAND_NAME_TAKEN, field="name")


@transaction.atomic
def brand_create(
    *, name: str, name_en: str = "", is_oe: bool = False, source: str = "", by: "User | None"
) -> Brand:
    """A brand; its normalised name (case, width, spaces folded) is unique."""
    name = _brand_name(name)
    name_norm = normalize_name(name)
    _check_brand_norm(name_norm, exclude_pk=None)
    brand = Brand(name=name, name_norm=name_norm, name_en=name_en.strip(), is_oe=is_oe, source=source.strip())
    save_validated(brand)
    audit(organization=None, actor=by, action="catalog.brand_create", target=name, details={"id": brand.pk})
    return brand


@transaction.atomic
def brand_update(
    *,
    brand: Brand,
    by: "User | None",
    name: str | None = None,
    name_en: str | None = None,
    is_oe: bool | None = None,
    source: str | None = None,
) -> Brand:
    old_name, old_name_en = brand.name, brand.name_en
    if name is not None:
        brand.name = _brand_name(name)
        brand.name_norm = normalize_name(brand.name)
        _check_brand_norm(brand.name_norm, exclude_pk=brand.pk)
    if name_en is not None:
        brand.name_en = name_en.strip()
    if is_oe is not None:
        brand.is_oe = is_oe
    if source is not None:
        brand.source = source.strip()
    save_validated(brand)
    if (brand.name, brand.name_en) != (old_name, old_name_en):
        part_reindex(part_ids=brand.parts.values_list("id", flat=True))
    audit(
        organization=None,
        actor=by,
        action="catalog.brand_update",
        target=brand.name,
        details={"id": brand.pk},
    )
    return brand
