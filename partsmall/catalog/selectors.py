"""Reads of the catalogue, each scoped to the acting party.

Offers belong to one supplier: another organization's offer answers 404. Categories,
brands and parts are shared data: anyone acting for an organization reads the approved
ones (a supplier also sees the parts it added that still wait for review); the review
queue and the full parts list are the platform's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from partsmall.catalog.models import Brand, Category, Fitment, Offer, Part, ReviewStatus
from partsmall.catalog.normalize import normalize_name, normalize_number
from partsmall.catalog.services.common import category_subtree_ids
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

LISTED, DELISTED = "listed", "delisted"
OFFER_STATUSES = (LISTED, DELISTED)


def _supplier_of(actor: Actor) -> Organization | None:
    org = actor.organization
    return org if org is not None and org.kind == Organization.Kind.SUPPLIER else None


def _require_platform(actor: Actor, perm: str = Perm.PLATFORM_VIEW) -> None:
    # Access declarations refuse others before this; reads still never trust the caller.
    if not actor.is_platform or not actor.can(perm):
        raise PermissionDenied


def _subtree(category_id: int | None) -> list[int] | None:
    if not category_id:
        return None
    category = Category.objects.filter(pk=category_id).first()
    return category_subtree_ids(category) if category else []


# --- Offers of the acting supplier -----------------------------------------------------


def _own_offers(actor: Actor) -> QuerySet[Offer]:
    supplier = _supplier_of(actor)
    if supplier is None:
        return Offer.objects.none()
    return Offer.objects.filter(supplier=supplier)


def _offer_filter(
    offers: QuerySet[Offer], *, keyword: str, grade: str, category_id: int | None
) -> QuerySet[Offer]:
    keyword = keyword.strip()
    if keyword:
        number = normalize_number(keyword)
        match = (
            Q(sku__icontains=keyword)
            | Q(part__name__icontains=keyword)
            | Q(part__brand__name__icontains=keyword)
        )
        if number:
            match |= Q(part__number_norm__startswith=number)
        offers = offers.filter(match)
    if grade in {value for value, _ in Offer._meta.get_field("grade").choices or []}:
        offers = offers.filter(grade=grade)
    subtree = _subtree(category_id)
    if subtree is not None:
        offers = offers.filter(part__category_id__in=subtree)
    return offers


def offers_of_supplier(
    *, actor: Actor, keyword: str = "", grade: str = "", status: str = "", category_id: int | None = None
) -> QuerySet[Offer]:
    """The acting supplier's offers, newest first; status is "listed", "delisted" or "" (all)."""
    offers = _offer_filter(_own_offers(actor), keyword=keyword, grade=grade, category_id=category_id)
    if status in OFFER_STATUSES:
        offers = offers.filter(is_listed=status == LISTED)
    return offers.select_related("part__brand", "part__category").order_by("-updated_at", "-id")


def offer_status_counts(
    *, actor: Actor, keyword: str = "", grade: str = "", category_id: int | None = None
) -> dict[str, int]:
    """Counts for the status tabs: {"": all, "listed": n, "delisted": n}."""
    offers = _offer_filter(_own_offers(actor), keyword=keyword, grade=grade, category_id=category_id)
    totals = offers.aggregate(total=Count("id"), listed=Count("id", filter=Q(is_listed=True)))
    return {"": totals["total"], LISTED: totals["listed"], DELISTED: totals["total"] - totals["listed"]}


def offer_get(*, actor: Actor, pk: int) -> Offer:
    """One of the acting supplier's offers; anyone else's answers 404."""
    return get_object_or_404(_own_offers(actor).select_related("part__brand", "part__category"), pk=pk)


def offers_for_listing(*, actor: Actor, ids: Iterable[int]) -> list[Offer]:
    """The acting supplier's offers with these ids; any id that is not its own answers 404."""
    wanted = set(ids)
    offers = list(_own_offers(actor).filter(pk__in=wanted))
    if len(offers) != len(wanted):
        raise Http404
    return offers


# --- Parts a supplier may offer ----------------------------------------------------------


def _parts_visible_to(actor: Actor) -> QuerySet[Part]:
    """Approved parts, and the pending ones the acting organization added itself."""
    visible = Q(review_status=ReviewStatus.APPROVED)
    if actor.organization is not None:
        visible |= Q(review_status=ReviewStatus.PENDING, source_organization=actor.organization)
    return Part.objects.filter(visible)


def parts_lookup(
    *, actor: Actor, brand_id: int | None = None, number: str = "", q: str = "", limit: int = 20
) -> list[Part]:
    """The picker of the offer form: parts by brand and part-number prefix, or by name."""
    parts = _parts_visible_to(actor)
    if brand_id:
        parts = parts.filter(brand_id=brand_id)
    norm = normalize_number(number)
    if norm:
        parts = parts.filter(number_norm__startswith=norm)
    if q.strip():
        parts = parts.filter(
            Q(name__icontains=q.strip()) | Q(number_norm__startswith=normalize_number(q) or "-")
        )
    if not (brand_id or norm or q.strip()):
        return []
    return list(parts.select_related("brand", "category").order_by("brand__name", "number_norm")[:limit])


def part_for_offer(*, actor: Actor, brand: Brand, number: str) -> Part | None:
    """The part with this brand and (normalised) number that the actor may offer, if any."""
    norm = normalize_number(number)
    if not norm:
        return None
    return _parts_visible_to(actor).filter(brand=brand, number_norm=norm).select_related("brand").first()


def part_get_for_offer(*, actor: Actor, pk: int) -> Part:
    return get_object_or_404(_parts_visible_to(actor).select_related("brand", "category"), pk=pk)


# --- Categories and brands (shared) -----------------------------------------------------


@dataclass
class CategoryNode:
    category: Category
    depth: int
    part_count: int = 0
    children: list["CategoryNode"] = field(default_factory=list)


def categories_tree(*, actor: Actor, with_counts: bool = False) -> list[CategoryNode]:
    """The category tree, top level first, children in their sort order."""
    categories = list(Category.objects.order_by("sort", "code"))
    counts: dict[int, int] = {}
    if with_counts:
        counts = dict(
            Part.objects.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n")
        )
    nodes = {c.pk: CategoryNode(category=c, depth=0, part_count=counts.get(c.pk, 0)) for c in categories}
    roots: list[CategoryNode] = []
    for c in categories:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(nodes[c.pk])
    _set_depths(roots, 0)
    return roots


def _set_depths(nodes: list[CategoryNode], depth: int) -> None:
    for node in nodes:
        node.depth = depth
        _set_depths(node.children, depth + 1)


def flatten(nodes: list[CategoryNode]) -> list[CategoryNode]:
    """Depth-first, as the tree reads top to bottom."""
    flat: list[CategoryNode] = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def category_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """(id, "滤清器 › 机油滤清器") for selects, in tree order."""
    choices: list[tuple[int, str]] = []

    def walk(nodes: list[CategoryNode], prefix: str) -> None:
        for node in nodes:
            label = f"{prefix}{node.category.name}"
            choices.append((node.category.pk, label))
            walk(node.children, f"{label} › ")

    walk(categories_tree(actor=actor), "")
    return choices


def category_get(*, actor: Actor, pk: int) -> Category:
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return get_object_or_404(Category, pk=pk)


def brands_list(*, actor: Actor, keyword: str = "", is_oe: bool | None = None) -> QuerySet[Brand]:
    brands = Brand.objects.annotate(part_count=Count("parts")).order_by("name")
    keyword = keyword.strip()
    if keyword:
        brands = brands.filter(
            Q(name__icontains=keyword)
            | Q(name_en__icontains=keyword)
            | Q(name_norm__contains=normalize_name(keyword))
        )
    if is_oe is not None:
        brands = brands.filter(is_oe=is_oe)
    return brands


def brand_get(*, actor: Actor, pk: int) -> Brand:
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    return get_object_or_404(Brand, pk=pk)


# --- Platform: parts and the review queue -------------------------------------------------


def _part_filter(
    parts: QuerySet[Part], *, keyword: str, category_id: int | None, brand_id: int | None
) -> QuerySet[Part]:
    keyword = keyword.strip()
    if keyword:
        match = Q(name__icontains=keyword) | Q(brand__name__icontains=keyword)
        number = normalize_number(keyword)
        if number:
            match |= Q(number_norm__startswith=number) | Q(oe_numbers__number_norm__startswith=number)
        parts = parts.filter(match).distinct()
    subtree = _subtree(category_id)
    if subtree is not None:
        parts = parts.filter(category_id__in=subtree)
    if brand_id:
        parts = parts.filter(brand_id=brand_id)
    return parts


def parts_for_platform(
    *,
    actor: Actor,
    keyword: str = "",
    category_id: int | None = None,
    brand_id: int | None = None,
    review_status: str = "",
) -> QuerySet[Part]:
    _require_platform(actor)
    parts = _part_filter(Part.objects.all(), keyword=keyword, category_id=category_id, brand_id=brand_id)
    if review_status in ReviewStatus.values:
        parts = parts.filter(review_status=review_status)
    return parts.select_related("brand", "category", "source_organization").order_by("-id")


def part_review_counts(
    *, actor: Actor, keyword: str = "", category_id: int | None = None, brand_id: int | None = None
) -> dict[str, int]:
    _require_platform(actor)
    parts = _part_filter(Part.objects.all(), keyword=keyword, category_id=category_id, brand_id=brand_id)
    by_status = dict(parts.order_by().values_list("review_status").annotate(n=Count("id", distinct=True)))
    return {"": sum(by_status.values()), **{value: by_status.get(value, 0) for value in ReviewStatus.values}}


def review_parts(*, actor: Actor, keyword: str = "", organization_id: int | None = None) -> QuerySet[Part]:
    """Parts suppliers added that wait for review, oldest first, with their source."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    parts = _part_filter(
        Part.objects.filter(review_status=ReviewStatus.PENDING),
        keyword=keyword,
        category_id=None,
        brand_id=None,
    )
    if organization_id:
        parts = parts.filter(source_organization_id=organization_id)
    return parts.select_related("brand", "category", "source_organization", "source_import").order_by(
        "created_at", "id"
    )


def review_fitments(
    *, actor: Actor, keyword: str = "", organization_id: int | None = None
) -> QuerySet[Fitment]:
    """Fitment suppliers added that waits for review, oldest first, with its source."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    fitments = Fitment.objects.filter(review_status=ReviewStatus.PENDING)
    keyword = keyword.strip()
    if keyword:
        match = Q(part__name__icontains=keyword) | Q(vehicle_type__model__name__icontains=keyword)
        number = normalize_number(keyword)
        if number:
            match |= Q(part__number_norm__startswith=number)
        fitments = fitments.filter(match)
    if organization_id:
        fitments = fitments.filter(source_organization_id=organization_id)
    return fitments.select_related(
        "part__brand", "vehicle_type__model__make", "source_organization", "source_import"
    ).order_by("created_at", "id")


def review_sources(*, actor: Actor) -> list[Organization]:
    """Organizations with rows waiting for review (for the filter)."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    pending = ReviewStatus.PENDING
    ids = set(Part.objects.filter(review_status=pending).values_list("source_organization_id", flat=True))
    ids |= set(Fitment.objects.filter(review_status=pending).values_list("source_organization_id", flat=True))
    return list(Organization.objects.filter(pk__in=ids - {None}).order_by("name"))


def review_rows(*, actor: Actor, part_ids: Iterable[int], fitment_ids: Iterable[int]) -> list[Part | Fitment]:
    """The parts and fitment rows named by id for a decision (unknown ids answer 404)."""
    _require_platform(actor, Perm.PLATFORM_OPERATE)
    part_ids, fitment_ids = set(part_ids), set(fitment_ids)
    parts = list(Part.objects.filter(pk__in=part_ids))
    fitments = list(Fitment.objects.filter(pk__in=fitment_ids))
    if len(parts) != len(part_ids) or len(fitments) != len(fitment_ids):
        raise Http404
    return [*parts, *fitments]
