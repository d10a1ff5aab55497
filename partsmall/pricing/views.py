"""Pages of pricing for suppliers (商品 › 客户组 / 协议价 / 价格查询).

Views validate input with a form, call one service or selector, and render. Detail pages
carry their small forms (add a member, a price, a break); a refused one re-renders the
page with the errors under its fields.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partsmall.core.errors import ApplicationError
from partsmall.core.pagination import paginate
from partsmall.organizations.access import page
from partsmall.organizations.actor import Actor
from partsmall.organizations.forms import show_errors
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm
from partsmall.pricing import errors, selectors, services
from partsmall.pricing.forms import (
    ContractForm,
    ContractLineForm,
    CustomerGroupForm,
    GroupPriceForm,
    MemberForm,
    PriceCheckForm,
)
from partsmall.pricing.models import ContractPriceList, CustomerGroup, ListStatus


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _supplier(request: HttpRequest) -> Organization:
    """Prices are a supplier's: other organizations are refused (their roles may hold the perm)."""
    org = _actor(request).organization
    if org is None or org.kind != Organization.Kind.SUPPLIER:
        raise PermissionDenied(str(errors.SUPPLIER_ONLY))
    return org


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _buyer(request: HttpRequest, value: object) -> Organization | None:
    return selectors.buyer_find(actor=_actor(request), pk=_int(value))


# Customer groups --------------------------------------------------------------------------------


@page(permission=Perm.SALES, scope="organization")
@require_GET
def groups(request: HttpRequest) -> HttpResponse:
    """客户组: the supplier's groups with their scope, percentage and counts."""
    _supplier(request)
    keyword = request.GET.get("keyword", "").strip()
    found = selectors.customer_groups_of_supplier(actor=_actor(request), keyword=keyword)
    context = {"page_obj": paginate(request, found), "keyword": keyword}
    return render(request, "pricing/groups.html", context)


def _group_initial(group: CustomerGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "basis": group.basis,
        "tier": group.tier,
        "discount_percent": group.discount_percent or "",
        "is_active": group.is_active,
    }


@page(permission=Perm.SALES, scope="organization")
def group_create(request: HttpRequest) -> HttpResponse:
    supplier = _supplier(request)
    form = CustomerGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.customer_group_create(supplier=supplier, by=request.user, **form.terms())  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已新建客户组「%(name)s」。") % {"name": group.name})
            return redirect("pricing:group_detail", pk=group.pk)
    return render(request, "pricing/group_form.html", {"form": form, "creating": True})


@page(permission=Perm.SALES, scope="organization", selector="customer_group_get")
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    group = selectors.customer_group_get(actor=_actor(request), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = CustomerGroupForm(data, initial=_group_initial(group))
    if data is not None and form.is_valid():
        try:
            services.customer_group_update(group=group, by=request.user, **form.terms())  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已保存客户组「%(name)s」。") % {"name": group.name})
            return redirect("pricing:group_detail", pk=group.pk)
    return render(request, "pricing/group_form.html", {"form": form, "group": group, "creating": False})


def _group_page(
    request: HttpRequest,
    group: CustomerGroup,
    *,
    member_form: MemberForm | None = None,
    price_form: GroupPriceForm | None = None,
) -> HttpResponse:
    actor = _actor(request)
    context = {
        "group": group,
        "members": selectors.group_members(actor=actor, group=group),
        "prices": selectors.group_prices(actor=actor, group=group),
        "member_form": member_form or MemberForm(),
        "price_form": price_form or GroupPriceForm(),
    }
    return render(request, "pricing/group_detail.html", context)


@page(permission=Perm.SALES, scope="organization", selector="customer_group_get")
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group: its terms, its named buyers and its fixed prices per offer."""
    _supplier(request)
    return _group_page(request, selectors.customer_group_get(actor=_actor(request), pk=pk))


@page(permission=Perm.SALES, scope="organization", selector="customer_group_get")
@require_POST
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    group = selectors.customer_group_get(actor=_actor(request), pk=pk)
    services.customer_group_delete(group=group, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已删除客户组「%(name)s」。") % {"name": group.name})
    return redirect("pricing:groups")


@page(permission=Perm.SALES, scope="organization", selector="customer_group_get")
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    group = selectors.customer_group_get(actor=_actor(request), pk=pk)
    form = MemberForm(request.POST)
    form.is_valid()
    try:
        member = services.customer_group_member_add(
            group=group,
            buyer=_buyer(request, form.cleaned_data.get("buyer")),
            by=request.user,  # type: ignore[arg-type]
        )
    except ApplicationError as exc:
        show_errors(exc, form)
        return _group_page(request, group, member_form=form)
    messages.success(request, _("已将「%(buyer)s」加入客户组。") % {"buyer": member.buyer.name})
    return redirect("pricing:group_detail", pk=group.pk)


@page(permission=Perm.SALES, scope="organization", selector="customer_group_member_get")
@require_POST
def group_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    member = selectors.customer_group_member_get(actor=_actor(request), pk=pk)
    services.customer_group_member_remove(member=member, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已将「%(buyer)s」移出客户组。") % {"buyer": member.buyer.name})
    return redirect("pricing:group_detail", pk=member.group_id)


@page(permission=Perm.SALES, scope="organization", selector="customer_group_get")
@require_POST
def group_price_set(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    actor = _actor(request)
    group = selectors.customer_group_get(actor=actor, pk=pk)
    form = GroupPriceForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        row = services.group_price_set(
            group=group,
            offer=selectors.own_offer_find(actor=actor, sku=data.get("offer") or ""),
            price=data.get("price") or "",
            by=request.user,  # type: ignore[arg-type]
        )
    except ApplicationError as exc:
        show_errors(exc, form)
        return _group_page(request, group, price_form=form)
    messages.success(request, _("已设置 %(sku)s 的客户组价。") % {"sku": row.offer.sku})
    return redirect("pricing:group_detail", pk=group.pk)


@page(permission=Perm.SALES, scope="organization", selector="group_price_get")
@require_POST
def group_price_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    row = selectors.group_price_get(actor=_actor(request), pk=pk)
    services.group_price_remove(group_price=row, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已删除 %(sku)s 的客户组价。") % {"sku": row.offer.sku})
    return redirect("pricing:group_detail", pk=row.group_id)


# Contract price lists ---------------------------------------------------------------------------


@page(permission=Perm.SALES, scope="organization")
@require_GET
def contracts(request: HttpRequest) -> HttpResponse:
    """协议价: the supplier's contract lists with status tabs."""
    _supplier(request)
    actor = _actor(request)
    keyword = request.GET.get("keyword", "").strip()
    status = request.GET.get("status", "")
    status = status if status in selectors.LIST_STATUSES else ""
    today = timezone.localdate()
    found = selectors.contract_price_lists_of_supplier(actor=actor, keyword=keyword, status=status, on=today)
    counts = selectors.contract_price_list_counts(actor=actor, keyword=keyword, on=today)
    tabs = [("", _("全部"), counts[""])] + [(s.value, s.label, counts[s.value]) for s in ListStatus]
    context = {
        "page_obj": paginate(request, found),
        "tabs": tabs,
        "filters": {"keyword": keyword, "status": status},
        "today": today,
        "has_any": counts[""] > 0 or bool(keyword),
    }
    return render(request, "pricing/contracts.html", context)


def _contract_form_page(
    request: HttpRequest, form: ContractForm, price_list: ContractPriceList | None
) -> HttpResponse:
    buyer = (
        _buyer(request, form.data.get("buyer"))
        if form.is_bound
        else (price_list.buyer if price_list else None)
    )
    context = {"form": form, "price_list": price_list, "creating": price_list is None, "chosen_buyer": buyer}
    return render(request, "pricing/contract_form.html", context)


@page(permission=Perm.SALES, scope="organization")
def contract_create(request: HttpRequest) -> HttpResponse:
    supplier = _supplier(request)
    form = ContractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            price_list = services.contract_price_list_create(
                supplier=supplier,
                buyer=_buyer(request, form.cleaned_data.get("buyer")),
                by=request.user,  # type: ignore[arg-type]
                **form.terms(),
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已新建协议「%(name)s」，请添加协议价。") % {"name": price_list.name})
            return redirect("pricing:contract_detail", pk=price_list.pk)
    return _contract_form_page(request, form, None)


@page(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
    initial = {
        "buyer": price_list.buyer_id,
        "name": price_list.name,
        "valid_from": price_list.valid_from.isoformat(),
        "valid_until": price_list.valid_until.isoformat() if price_list.valid_until else "",
        "note": price_list.note,
        "is_active": price_list.is_active,
    }
    form = ContractForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        buyer_id = _int(form.cleaned_data.get("buyer"))
        # The list's own buyer stays valid even if the shop was suspended since.
        buyer = price_list.buyer if buyer_id == price_list.buyer_id else _buyer(request, buyer_id)
        try:
            services.contract_price_list_update(
                price_list=price_list,
                buyer=buyer,
                by=request.user,  # type: ignore[arg-type]
                **form.terms(),
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已保存协议「%(name)s」。") % {"name": price_list.name})
            return redirect("pricing:contract_detail", pk=price_list.pk)
    return _contract_form_page(request, form, price_list)


def _contract_page(
    request: HttpRequest, price_list: ContractPriceList, *, line_form: ContractLineForm | None = None
) -> HttpResponse:
    context = {
        "price_list": price_list,
        "lines": selectors.contract_lines(actor=_actor(request), price_list=price_list),
        "line_form": line_form or ContractLineForm(initial={"min_quantity": "1"}),
        "today": timezone.localdate(),
    }
    return render(request, "pricing/contract_detail.html", context)


@page(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract list: its buyer, validity and quantity breaks per offer."""
    _supplier(request)
    return _contract_page(request, selectors.contract_price_list_get(actor=_actor(request), pk=pk))


@page(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
@require_POST
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    price_list = selectors.contract_price_list_get(actor=_actor(request), pk=pk)
    services.contract_price_list_delete(price_list=price_list, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已删除协议「%(name)s」。") % {"name": price_list.name})
    return redirect("pricing:contracts")


@page(permission=Perm.SALES, scope="organization", selector="contract_price_list_get")
@require_POST
def contract_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    actor = _actor(request)
    price_list = selectors.contract_price_list_get(actor=actor, pk=pk)
    form = ContractLineForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        line = services.contract_price_add(
            price_list=price_list,
            offer=selectors.own_offer_find(actor=actor, sku=data.get("offer") or ""),
            min_quantity=data.get("min_quantity") or "",
            price=data.get("price") or "",
            by=request.user,  # type: ignore[arg-type]
        )
    except ApplicationError as exc:
        show_errors(exc, form)
        return _contract_page(request, price_list, line_form=form)
    messages.success(
        request,
        _("已添加 %(sku)s ≥%(quantity)s 件的协议价。")
        % {"sku": line.offer.sku, "quantity": line.min_quantity},
    )
    return redirect("pricing:contract_detail", pk=price_list.pk)


@page(permission=Perm.SALES, scope="organization", selector="contract_price_get")
@require_POST
def contract_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier(request)
    line = selectors.contract_price_get(actor=_actor(request), pk=pk)
    services.contract_price_remove(line=line, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("已删除 %(sku)s ≥%(quantity)s 件的协议价。")
        % {"sku": line.offer.sku, "quantity": line.min_quantity},
    )
    return redirect("pricing:contract_detail", pk=line.price_list_id)


# The price check and the buyer picker --------------------------------------------------------------


@page(permission=Perm.SALES, scope="organization")
@require_GET
def price_check(request: HttpRequest) -> HttpResponse:
    """价格查询: what a given buyer pays for one of the supplier's offers, and why."""
    _supplier(request)
    # A link may name the buyer only (from a contract): the picker starts with it chosen.
    asked = "offer" in request.GET
    initial = {"quantity": "1", "buyer": request.GET.get("buyer", "")}
    form = PriceCheckForm(request.GET if asked else None, initial=initial)
    check = None
    if asked and form.is_valid():
        data = form.cleaned_data
        try:
            check = selectors.price_check(
                actor=_actor(request),
                buyer_id=_int(data.get("buyer")),
                offer_sku=data.get("offer") or "",
                quantity=data.get("quantity") or "",
                on=data.get("on") or "",
            )
        except ApplicationError as exc:
            show_errors(exc, form)
    chosen = _buyer(request, request.GET.get("buyer"))
    context: dict[str, Any] = {
        "form": form,
        "check": check,
        "chosen_buyer": chosen,
        "today": timezone.localdate(),
    }
    return render(request, "pricing/price_check.html", context)


@page(permission=Perm.SALES, scope="organization")
@require_GET
def buyer_lookup(request: HttpRequest) -> HttpResponse:
    """The buyer picker (htmx): active repair shops by name or credit code."""
    _supplier(request)
    q = request.GET.get("q", "")
    buyers = selectors.buyers_lookup(actor=_actor(request), q=q)
    return render(request, "pricing/_buyer_lookup.html", {"buyers": buyers, "query": q})
