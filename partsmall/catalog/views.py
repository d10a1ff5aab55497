"""Pages of the catalogue: the supplier's offers (商品), and the operator's categories,
brands, parts and review of supplier-added data (数据).

Views validate input with a form, call one service or selector, and render.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partsmall.catalog import errors, selectors, services
from partsmall.catalog.forms import BrandForm, CategoryForm, OfferCreateForm, OfferTermsForm, ReasonForm
from partsmall.catalog.imports.services import export_offers_workbook
from partsmall.catalog.models import Brand, Category, Grade, Offer, Part, ReviewStatus
from partsmall.core.errors import ApplicationError
from partsmall.core.pagination import paginate
from partsmall.organizations.access import page
from partsmall.organizations.actor import Actor
from partsmall.organizations.forms import show_errors
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _ids(values: list[str]) -> list[int]:
    return [n for n in (_int(v) for v in values) if n is not None]


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _supplier(request: HttpRequest) -> Organization:
    """Offers are a supplier's: other organizations are refused (their roles may hold the perm)."""
    org = _actor(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(errors.OFFER_SUPPLIER_ONLY))
    return org


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- Supplier: offers ---------------------------------------------------------------------


def _offer_filters(request: HttpRequest) -> dict[str, Any]:
    grade = request.GET.get("grade", "")
    status = request.GET.get("status", "")
    return {
        "keyword": request.GET.get("keyword", "").strip(),
        "grade": grade if grade in Grade.values else "",
        "status": status if status in selectors.OFFER_STATUSES else "",
        "category": _int(request.GET.get("category")),
    }


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    """商品列表: the supplier's offers with filters, status tabs and bulk listing."""
    _supplier(request)
    actor = _actor(request)
    filters = _offer_filters(request)
    common = {"keyword": filters["keyword"], "grade": filters["grade"], "category_id": filters["category"]}
    found = selectors.offers_of_supplier(actor=actor, status=filters["status"], **common)
    counts = selectors.offer_status_counts(actor=actor, **common)
    tabs = [
        ("", _("全部"), counts[""]),
        ("listed", _("已上架"), counts["listed"]),
        ("delisted", _("已下架"), counts["delisted"]),
    ]
    context = {
        "page_obj": paginate(request, found),
        "tabs": tabs,
        "filters": filters,
        "grades": Grade.choices,
        "categories": selectors.category_choices(actor=actor),
        "import_url": _url_or_empty("catalog_imports:index"),
        "has_any": counts[""] > 0 or bool(filters["keyword"] or filters["grade"] or filters["category"]),
    }
    return render(request, "catalog/offers.html", context)


def _offer_create_form(request: HttpRequest, data: Any) -> OfferCreateForm:
    actor = _actor(request)
    brands = [(b.pk, b.name) for b in selectors.brands_list(actor=actor)]
    initial = {"brand": request.GET.get("brand", ""), "number": request.GET.get("number", "")}
    return OfferCreateForm(
        data, brands=brands, categories=selectors.category_choices(actor=actor), initial=initial
    )


def _part_of_form(request: HttpRequest, form: OfferCreateForm, supplier: Organization) -> Part:
    """The part named by brand + number; a new one (pending review) when the supplier names it."""
    data = form.cleaned_data
    brand = Brand.objects.filter(pk=data.get("brand") or 0).first()
    if brand is None:
        raise ApplicationError(errors.BRAND_NAME_REQUIRED, field="brand")
    number = data.get("number") or ""
    part = selectors.part_for_offer(actor=_actor(request), brand=brand, number=number)
    if part is not None:
        return part
    category = Category.objects.filter(pk=data.get("category") or 0).first()
    if not number.strip() or not (data.get("part_name") or "").strip() or category is None:
        raise ApplicationError(errors.PART_NOT_FOUND_FOR_OFFER, field="number")
    return services.part_create(
        brand=brand,
        number=number,
        name=data["part_name"],
        category=category,
        by=request.user,  # type: ignore[arg-type]
        organization=supplier,
        source=_("商品列表新建报价"),
    )


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
def offer_create(request: HttpRequest) -> HttpResponse:
    supplier = _supplier(request)
    data = request.POST if request.method == "POST" else None
    form = _offer_create_form(request, data)
    if data is not None and form.is_valid():
        try:
            offer = _create_offer(request, form, supplier)
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            pending = offer.part.review_status == ReviewStatus.PENDING
            message = (
                _("已新建报价 %(sku)s；新配件 %(part)s 等待平台审核。")
                if pending
                else _("已新建报价 %(sku)s（%(part)s）。")
            )
            messages.success(
                request, message % {"sku": offer.sku, "part": f"{offer.part.brand.name} {offer.part.number}"}
            )
            return redirect("catalog:offers")
    return render(request, "catalog/offer_form.html", {"form": form, "creating": True})


def _create_offer(request: HttpRequest, form: OfferCreateForm, supplier: Organization) -> Offer:
    with transaction.atomic():
        part = _part_of_form(request, form, supplier)
        return services.offer_create(supplier=supplier, part=part, by=request.user, **form.terms())  # type: ignore[arg-type]


@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="offer_get")
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    offer = selectors.offer_get(actor=_actor(request), pk=pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(offer, name) for name in services.offers.TERM_FIELDS}
    form = OfferTermsForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.offer_update(offer=offer, by=request.user, **form.terms())  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已保存报价 %(sku)s。") % {"sku": offer.sku})
            return redirect("catalog:offers")
    return render(request, "catalog/offer_form.html", {"form": form, "offer": offer, "creating": False})


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_POST
def offers_listing(request: HttpRequest) -> HttpResponse:
    """上架 / 下架 the ticked offers (or one row's)."""
    _supplier(request)
    listed = request.POST.get("action") == "list"
    back = _safe_next(request, reverse("catalog:offers"))
    ids = _ids(request.POST.getlist("offers"))
    try:
        chosen = selectors.offers_for_listing(actor=_actor(request), ids=ids)
        changed = services.offer_set_listed(offers=chosen, listed=listed, by=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    done = _("已上架 %(count)s 条报价。") if listed else _("已下架 %(count)s 条报价。")
    messages.success(request, done % {"count": changed})
    return redirect(back)


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_GET
def offers_export(request: HttpRequest) -> HttpResponse:
    """导出: the supplier's price sheet as Excel, in the offers import template's columns."""
    supplier = _supplier(request)
    content = export_offers_workbook(supplier=supplier)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="offers.xlsx"'
    return response


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_GET
def part_lookup(request: HttpRequest) -> HttpResponse:
    """The part picker of the offer form (htmx): parts by brand + number prefix or name."""
    _supplier(request)
    parts = selectors.parts_lookup(
        actor=_actor(request),
        brand_id=_int(request.GET.get("brand")),
        number=request.GET.get("number", ""),
        q=request.GET.get("q", ""),
    )
    return render(request, "catalog/_part_lookup.html", {"parts": parts, "query": request.GET.get("q", "")})


# --- Platform: categories -----------------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_categories(request: HttpRequest) -> HttpResponse:
    nodes = selectors.flatten(selectors.categories_tree(actor=_actor(request), with_counts=True))
    return render(request, "catalog/platform_categories.html", {"nodes": nodes})


def _category_form(request: HttpRequest, data: Any, category: Category | None) -> CategoryForm:
    choices = selectors.category_choices(actor=_actor(request))
    initial: dict[str, Any] = {"parent": request.GET.get("parent", "")}
    if category is not None:
        initial = {
            "name": category.name,
            "parent": category.parent_id or "",
            "code": category.code,
            "name_en": category.name_en,
            "sort": category.sort,
        }
    return CategoryForm(data, parents=choices, initial=initial)


def _category_values(form: CategoryForm) -> dict[str, Any]:
    data = form.cleaned_data
    parent = Category.objects.filter(pk=data.get("parent") or 0).first()
    return {
        "name": data.get("name") or "",
        "parent": parent,
        "code": data.get("code") or "",
        "name_en": data.get("name_en") or "",
        "sort": data.get("sort") or 0,
    }


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def platform_category_create(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = _category_form(request, data, None)
    if data is not None and form.is_valid():
        try:
            category = services.category_create(by=request.user, **_category_values(form))  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已新建分类「%(name)s」。") % {"name": category.name})
            return redirect("catalog:platform_categories")
    return render(request, "catalog/platform_category_form.html", {"form": form, "category": None})


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="category_get")
def platform_category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.category_get(actor=_actor(request), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = _category_form(request, data, category)
    if data is not None and form.is_valid():
        try:
            services.category_update(category=category, by=request.user, **_category_values(form))  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已保存分类「%(name)s」。") % {"name": category.name})
            return redirect("catalog:platform_categories")
    return render(request, "catalog/platform_category_form.html", {"form": form, "category": category})


# --- Platform: brands ---------------------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_brands(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    keyword = request.GET.get("keyword", "").strip()
    kind = request.GET.get("kind", "")
    is_oe = {"oe": True, "aftermarket": False}.get(kind)
    brands = selectors.brands_list(actor=actor, keyword=keyword, is_oe=is_oe)
    context = {"page_obj": paginate(request, brands), "filters": {"keyword": keyword, "kind": kind}}
    return render(request, "catalog/platform_brands.html", context)


def _brand_values(form: BrandForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data.get("name") or "",
        "name_en": data.get("name_en") or "",
        "is_oe": bool(data.get("is_oe")),
    }


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def platform_brand_create(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = BrandForm(data)
    if data is not None and form.is_valid():
        try:
            brand = services.brand_create(by=request.user, **_brand_values(form))  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已新建品牌「%(name)s」。") % {"name": brand.name})
            return redirect("catalog:platform_brands")
    return render(request, "catalog/platform_brand_form.html", {"form": form, "brand": None})


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="brand_get")
def platform_brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = selectors.brand_get(actor=_actor(request), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = BrandForm(data, initial={"name": brand.name, "name_en": brand.name_en, "is_oe": brand.is_oe})
    if data is not None and form.is_valid():
        try:
            services.brand_update(brand=brand, by=request.user, **_brand_values(form))  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已保存品牌「%(name)s」。") % {"name": brand.name})
            return redirect("catalog:platform_brands")
    return render(request, "catalog/platform_brand_form.html", {"form": form, "brand": brand})


# --- Platform: parts and review -----------------------------------------------------------


@page(permission=Perm.PLATFORM_VIEW, scope="platform")
@require_GET
def platform_parts(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    keyword = request.GET.get("keyword", "").strip()
    category_id, brand_id = _int(request.GET.get("category")), _int(request.GET.get("brand"))
    filters = {"keyword": keyword, "category": category_id, "brand": brand_id}
    status = request.GET.get("status", "")
    status = status if status in ReviewStatus.values else ""
    parts = selectors.parts_for_platform(
        actor=actor, keyword=keyword, category_id=category_id, brand_id=brand_id, review_status=status
    )
    counts = selectors.part_review_counts(
        actor=actor, keyword=keyword, category_id=category_id, brand_id=brand_id
    )
    tabs = [("", _("全部"), counts[""])] + [(v, label, counts[v]) for v, label in ReviewStatus.choices]
    context = {
        "page_obj": paginate(request, parts),
        "tabs": tabs,
        "status": status,
        "filters": filters,
        "categories": selectors.category_choices(actor=actor),
        "brands": selectors.brands_list(actor=actor).only("id", "name"),
    }
    return render(request, "catalog/platform_parts.html", context)


def _review_page(
    request: HttpRequest, reason_form: ReasonForm, *, status: int = 200, selected: list[Any] | None = None
) -> HttpResponse:
    actor = _actor(request)
    tab = request.GET.get("tab", "parts")
    tab = tab if tab in {"parts", "fitment"} else "parts"
    keyword = request.GET.get("keyword", "").strip()
    source = _int(request.GET.get("source"))
    parts = selectors.review_parts(actor=actor, keyword=keyword, organization_id=source)
    fitments = selectors.review_fitments(actor=actor, keyword=keyword, organization_id=source)
    context = {
        "tab": tab,
        "page_obj": paginate(request, parts if tab == "parts" else fitments),
        "tabs": [("parts", _("配件"), parts.count()), ("fitment", _("适配车型"), fitments.count())],
        "filters": {"keyword": keyword, "source": source},
        "sources": selectors.review_sources(actor=actor),
        "reason_form": reason_form,
        "selected_parts": {row.pk for row in selected or [] if isinstance(row, Part)},
        "selected_fitments": {row.pk for row in selected or [] if not isinstance(row, Part)},
    }
    return render(request, "catalog/platform_review.html", context, status=status)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def platform_review(request: HttpRequest) -> HttpResponse:
    """数据审核: supplier-added parts and fitment, approved or rejected in bulk."""
    if request.method != "POST":
        return _review_page(request, ReasonForm())
    actor = _actor(request)
    reason_form = ReasonForm(request.POST)
    reason_form.is_valid()
    rows = selectors.review_rows(
        actor=actor,
        part_ids=_ids(request.POST.getlist("parts")),
        fitment_ids=_ids(request.POST.getlist("fitments")),
    )
    approve = request.POST.get("action") == "approve"
    try:
        if approve:
            count = services.review_approve(rows=rows, by=request.user)  # type: ignore[arg-type]
        else:
            reason = reason_form.cleaned_data.get("reason") or ""
            count = services.review_reject(rows=rows, by=request.user, reason=reason)  # type: ignore[arg-type]
    except ApplicationError as exc:
        if exc.field == "reason":
            show_errors(exc, reason_form)
            return _review_page(request, reason_form, status=400, selected=rows)
        messages.error(request, str(exc.message))
    else:
        done = (
            _("已通过 %(count)s 条数据。")
            if approve
            else _("已驳回 %(count)s 条数据，已通知提交的配件厂商。")
        )
        messages.success(request, done % {"count": count})
    return redirect(request.get_full_path())
