"""The repair shop's buying pages (采购): cart, checkout, approvals, address book, purchase
lists and quick order.

Views validate input with a form, call one service or selector, and render. Buying is
for repair shops: another kind of organization is refused even when its role holds the
purchase permission.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.pagination import paginate
from partsmall.orders import buying_selectors as selectors
from partsmall.orders import errors
from partsmall.orders.buying_forms import (
    AddressForm,
    ApprovalRuleForm,
    ListNameForm,
    QuickOrderForm,
    ReasonForm,
)
from partsmall.orders.services import addresses, approval, cart, checkout, purchase_lists, quick_order
from partsmall.organizations import selectors as org_selectors
from partsmall.organizations.access import page
from partsmall.organizations.actor import Actor
from partsmall.organizations.forms import StyledForm, show_errors
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _buyer(request: HttpRequest) -> Organization:
    org = _actor(request).organization
    if org is None or org.kind != Organization.Kind.REPAIR_SHOP:
        raise PermissionDenied(str(errors.BUYER_ONLY))
    return org


def _by(request: HttpRequest) -> Any:
    return request.user


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _error_text(exc: ApplicationError) -> str:
    if isinstance(exc, FieldErrors):
        return " ".join(m for messages_ in exc.errors.values() for m in messages_)
    return str(exc.message)


# --- Cart -----------------------------------------------------------------------------------


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    """购物车: lines by supplier with the buyer's prices, availability and subtotals."""
    _buyer(request)
    view = selectors.cart_view(actor=_actor(request))
    return render(request, "orders/cart.html", {"view": view, "list_form": ListNameForm()})


@page(permission=Perm.PURCHASE, scope="organization")
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """From search results and the part page: put an offer in the cart, then go back."""
    buyer = _buyer(request)
    back = _safe_next(request, reverse("orders:cart"))
    try:
        offer = selectors.offer_for_cart(actor=_actor(request), pk=request.POST.get("offer", ""))
        line = cart.cart_add(
            buyer=buyer, offer=offer, quantity=request.POST.get("quantity", "1"), by=_by(request)
        )
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("已加入购物车：%(offer)s，共 %(quantity)s 件。")
            % {"offer": cart.offer_label(line.offer), "quantity": line.quantity},
        )
    return redirect(back)


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def cart_offers(request: HttpRequest) -> HttpResponse:
    """The offers of a part with "add to cart" (a fragment the search results open)."""
    _buyer(request)
    choices = selectors.part_offers_for_cart(actor=_actor(request), part_id=request.GET.get("part", ""))
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "orders/_cart_offers.html", {"choices": choices, "next": back})


@page(permission=Perm.PURCHASE, scope="organization", selector="cart_line_get")
@require_POST
def cart_line_update(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.cart_line_get(actor=_actor(request), pk=pk)
    _buyer(request)
    try:
        cart.cart_set_quantity(line=line, quantity=request.POST.get("quantity", ""), by=_by(request))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("数量已更新。"))
    return redirect("orders:cart")


@page(permission=Perm.PURCHASE, scope="organization", selector="cart_line_get")
@require_POST
def cart_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.cart_line_get(actor=_actor(request), pk=pk)
    buyer = _buyer(request)
    cart.cart_remove(buyer=buyer, line_ids=[line.pk], by=_by(request))
    messages.success(request, _("已从购物车移除。"))
    return redirect("orders:cart")


@page(permission=Perm.PURCHASE, scope="organization")
@require_POST
def cart_remove_selected(request: HttpRequest) -> HttpResponse:
    buyer = _buyer(request)
    removed = cart.cart_remove(buyer=buyer, line_ids=_ids(request.POST.getlist("lines")), by=_by(request))
    messages.success(request, _("已移除 %(n)s 件商品。") % {"n": removed})
    return redirect("orders:cart")


@page(permission=Perm.PURCHASE, scope="organization")
@require_POST
def cart_save_list(request: HttpRequest) -> HttpResponse:
    buyer = _buyer(request)
    try:
        saved = purchase_lists.purchase_list_from_cart(
            buyer=buyer, by=_by(request), name=request.POST.get("name")
        )
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("orders:cart")
    messages.success(request, _("购物车已保存为常购清单「%(name)s」。") % {"name": saved.name})
    return redirect("orders:purchase_list_detail", pk=saved.pk)


# --- Checkout -------------------------------------------------------------------------------


def _checkout_context(request: HttpRequest, line_ids: list[int], key: str) -> dict[str, Any]:
    actor = _actor(request)
    view = selectors.cart_view(actor=actor, line_ids=set(line_ids) if line_ids else None)
    address_list = list(selectors.addresses_of(actor=actor))
    chosen = request.POST.get("address") or next((str(a.pk) for a in address_list if a.is_default), "")
    org = actor.organization
    return {
        "view": view,
        "addresses": address_list,
        "chosen_address": chosen,
        "idempotency_key": key,
        "line_ids": line_ids,
        "can_on_account": bool(org and org.tier == Organization.Tier.KEY_ACCOUNT),
        "on_account": request.POST.get("on_account") == "1",
        "approval_rule": selectors.approval_rule_of(actor=actor),
    }


@page(permission=Perm.PURCHASE, scope="organization")
def checkout_page(request: HttpRequest) -> HttpResponse:
    """结算: choose the address, see each supplier's order, submit once (the form carries an
    idempotency key, so a double click or a resent form makes one checkout)."""
    buyer = _buyer(request)
    source = request.POST if request.method == "POST" else request.GET
    line_ids = _ids(source.getlist("lines"))
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    error = ""
    if request.method == "POST":
        try:
            address = selectors.address_for_checkout(actor=_actor(request), pk=request.POST.get("address"))
            made = checkout.checkout_submit(
                buyer=buyer,
                by=_by(request),
                address=address,
                idempotency_key=key,
                lines=line_ids or None,
                on_account=request.POST.get("on_account") == "1",
            )
        except ApplicationError as exc:
            error = _error_text(exc)
        else:
            return redirect("orders:checkout_detail", pk=made.pk)
    context = _checkout_context(request, line_ids, key)
    context["error"] = error
    if not context["view"].items and not error:
        messages.info(request, str(errors.CART_EMPTY))
        return redirect("orders:cart")
    return render(request, "orders/checkout.html", context, status=400 if error else 200)


@page(permission=Perm.PURCHASE, scope="organization", selector="checkout_get")
@require_GET
def checkout_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The result of a checkout: its orders, one per supplier."""
    found = selectors.checkout_get(actor=_actor(request), pk=pk)
    lines = selectors.checkout_lines(checkout=found)
    orders = [(order, lines.get(order.pk, [])) for order in found.orders.all()]
    return render(request, "orders/checkout_detail.html", {"checkout": found, "orders": orders})


# --- Approvals ------------------------------------------------------------------------------


@page(permission=Perm.ORG_MANAGE, scope="organization")
def approvals_page(request: HttpRequest) -> HttpResponse:
    """采购审批: checkouts waiting for an owner's or admin's decision, and the threshold."""
    _buyer(request)
    actor = _actor(request)
    rule = selectors.approval_rule_of(actor=actor)
    form = ApprovalRuleForm(
        request.POST if request.method == "POST" else None,
        initial={"threshold": rule.threshold if rule else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = approval.approval_rule_set(
                organization=_buyer(request), by=_by(request), threshold=form.cleaned_data.get("threshold")
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            if saved is None:
                messages.success(request, _("已关闭采购审批。"))
            else:
                messages.success(
                    request,
                    _("已保存：超过 ¥%(amount)s 的结算须审批。") % {"amount": f"{saved.threshold:,.2f}"},
                )
            return redirect("orders:approvals")
    context = {
        "pending": list(selectors.approvals_pending(actor=actor)),
        "decided": selectors.approvals_decided(actor=actor),
        "rule": rule,
        "form": form,
        "reason_form": ReasonForm(),
        "me": request.user.pk,
    }
    return render(request, "orders/approvals.html", context, status=400 if form.errors else 200)


@page(permission=Perm.ORG_MANAGE, scope="organization", selector="approval_get")
@require_POST
def approval_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.approval_get(actor=_actor(request), pk=pk)
    try:
        approval.checkout_approve(checkout=found, by=_by(request))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已批准，订单已提交给供应商。"))
    return redirect("orders:approvals")


@page(permission=Perm.ORG_MANAGE, scope="organization", selector="approval_get")
@require_POST
def approval_reject(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.approval_get(actor=_actor(request), pk=pk)
    try:
        approval.checkout_reject(checkout=found, by=_by(request), reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已驳回，订单已取消，库存已释放。"))
    return redirect("orders:approvals")


# --- Address book ---------------------------------------------------------------------------


def _region_context(form: StyledForm) -> dict[str, Any]:
    """The organization profile's three region selects: provinces and the chosen children."""
    province = str(form["province"].value() or "")
    city = str(form["city"].value() or "")
    return {
        "provinces": org_selectors.region_children(parent_code=None),
        "cities": org_selectors.region_children(parent_code=province) if province else [],
        "districts": org_selectors.region_children(parent_code=city) if city else [],
        "province": province,
        "city": city,
        "district": str(form["district"].value() or ""),
    }


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def addresses_page(request: HttpRequest) -> HttpResponse:
    _buyer(request)
    return render(
        request, "orders/addresses.html", {"addresses": selectors.addresses_of(actor=_actor(request))}
    )


def _address_form_page(request: HttpRequest, form: AddressForm, address: Any = None) -> HttpResponse:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {"form": form, "address": address, "regions": _region_context(form), "next": back}
    return render(request, "orders/address_form.html", context, status=400 if form.errors else 200)


@page(permission=Perm.PURCHASE, scope="organization")
def address_create(request: HttpRequest) -> HttpResponse:
    buyer = _buyer(request)
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            addresses.address_create(organization=buyer, by=_by(request), **form.service_kwargs())
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("收货地址已添加。"))
            return redirect(_safe_next(request, reverse("orders:addresses")))
    return _address_form_page(request, form)


@page(permission=Perm.PURCHASE, scope="organization", selector="address_get")
def address_edit(request: HttpRequest, pk: int) -> HttpResponse:
    address = selectors.address_get(actor=_actor(request), pk=pk)
    _buyer(request)
    data = request.POST if request.method == "POST" else None
    form = AddressForm(data, initial=AddressForm.initial_from(address))
    if data is not None and form.is_valid():
        kwargs = form.service_kwargs()
        make_default = kwargs.pop("is_default")
        try:
            addresses.address_update(
                address=address, by=_by(request), is_default=make_default or None, **kwargs
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("收货地址已保存。"))
            return redirect("orders:addresses")
    return _address_form_page(request, form, address)


@page(permission=Perm.PURCHASE, scope="organization", selector="address_get")
@require_POST
def address_delete(request: HttpRequest, pk: int) -> HttpResponse:
    address = selectors.address_get(actor=_actor(request), pk=pk)
    addresses.address_delete(address=address, by=_by(request))
    messages.success(request, _("收货地址已删除。"))
    return redirect("orders:addresses")


@page(permission=Perm.PURCHASE, scope="organization", selector="address_get")
@require_POST
def address_default(request: HttpRequest, pk: int) -> HttpResponse:
    address = selectors.address_get(actor=_actor(request), pk=pk)
    addresses.address_set_default(address=address, by=_by(request))
    messages.success(request, _("已设为默认地址。"))
    return redirect("orders:addresses")


# --- Purchase lists -------------------------------------------------------------------------


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def purchase_lists_page(request: HttpRequest) -> HttpResponse:
    _buyer(request)
    found = selectors.purchase_lists_of(actor=_actor(request))
    return render(request, "orders/purchase_lists.html", {"page_obj": paginate(request, found)})


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_list_get")
def purchase_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A list's lines at today's prices for the buyer; rename on POST."""
    actor = _actor(request)
    found = selectors.purchase_list_get(actor=actor, pk=pk)
    form = ListNameForm(request.POST if request.method == "POST" else None, initial={"name": found.name})
    if request.method == "POST" and form.is_valid():
        try:
            purchase_lists.purchase_list_rename(
                purchase_list=found, by=_by(request), name=form.cleaned_data["name"]
            )
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("清单名称已保存。"))
            return redirect("orders:purchase_list_detail", pk=found.pk)
    prices = selectors.purchase_list_prices(actor=actor, purchase_list=found)
    rows = [(line, prices[line.pk]) for line in found.lines.all()]
    context = {"purchase_list": found, "rows": rows, "form": form}
    return render(request, "orders/purchase_list_detail.html", context, status=400 if form.errors else 200)


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_list_get")
@require_POST
def purchase_list_to_cart(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_list_get(actor=_actor(request), pk=pk)
    try:
        result = purchase_lists.purchase_list_to_cart(purchase_list=found, by=_by(request))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("orders:purchase_list_detail", pk=found.pk)
    messages.success(request, _("已加入购物车 %(n)s 件商品。") % {"n": result.added})
    for skipped in result.skipped:
        messages.warning(request, _("未加入：%(why)s") % {"why": skipped})
    return redirect("orders:cart")


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_list_get")
@require_POST
def purchase_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_list_get(actor=_actor(request), pk=pk)
    purchase_lists.purchase_list_delete(purchase_list=found, by=_by(request))
    messages.success(request, _("常购清单「%(name)s」已删除。") % {"name": found.name})
    return redirect("orders:purchase_lists")


@page(permission=Perm.PURCHASE, scope="organization", selector="purchase_list_get")
@require_POST
def purchase_list_remove_line(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.purchase_list_get(actor=_actor(request), pk=pk)
    line_id = _ids([request.POST.get("line", "")])
    purchase_lists.purchase_list_remove_line(
        purchase_list=found, line_id=line_id[0] if line_id else 0, by=_by(request)
    )
    messages.success(request, _("已从清单移除。"))
    return redirect("orders:purchase_list_detail", pk=found.pk)


# --- Quick order ----------------------------------------------------------------------------


def _posted_rows(request: HttpRequest) -> list[quick_order.QuickRow]:
    """The rows of a results form, as they were matched (row number, number, quantity)."""
    rows = []
    for value in request.POST.getlist("row"):
        if not value.isdigit():
            continue
        number = request.POST.get(f"number_{value}", "")
        quantity = request.POST.get(f"quantity_{value}", "")
        rows.append(quick_order.quick_row(int(value), number, quantity))
    return rows


def _picks(request: HttpRequest, rows: list[quick_order.QuickRow]) -> list[quick_order.Pick]:
    picks = []
    for row in rows:
        offer = request.POST.get(f"offer_{row.row}", "")
        if offer == "skip":
            continue
        picks.append(quick_order.Pick(row.row, int(offer) if offer.isdigit() else None, row.quantity or 0))
    return picks


@page(permission=Perm.PURCHASE, scope="organization")
def quick_order_page(request: HttpRequest) -> HttpResponse:
    """快速下单: paste or upload lines, see them matched, pick among offers, add to the cart."""
    buyer = _buyer(request)
    form = QuickOrderForm(request.POST or None, request.FILES or None)
    matches: list[quick_order.QuickMatch] = []
    row_errors: dict[str, list[str]] = {}
    if request.method == "POST" and request.POST.get("action") == "add":
        rows = _posted_rows(request)
        try:
            added = quick_order.quick_order_add(buyer=buyer, by=_by(request), picks=_picks(request, rows))
        except FieldErrors as exc:
            row_errors = exc.errors
        except ApplicationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已加入购物车 %(n)s 件商品。") % {"n": added})
            return redirect("orders:cart")
        matches = quick_order.quick_order_match(buyer=buyer, rows=rows) if rows else []
    elif request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            rows = (
                quick_order.parse_workbook(upload)
                if upload
                else quick_order.parse_text(form.cleaned_data["text"])
            )
            matches = quick_order.quick_order_match(buyer=buyer, rows=rows)
        except ApplicationError as exc:
            show_errors(exc, form)
    context = {
        "form": form,
        "matches": [(m, row_errors.get(f"row_{m.row.row}", [])) for m in matches],
        "counts": {status: sum(1 for m in matches if m.status == status) for status in quick_order.STATUSES},
        "has_errors": bool(row_errors or form.errors),
    }
    return render(request, "orders/quick_order.html", context, status=400 if context["has_errors"] else 200)


@page(permission=Perm.PURCHASE, scope="organization")
@require_GET
def quick_order_template(request: HttpRequest) -> HttpResponse:
    _buyer(request)
    response = HttpResponse(quick_order.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("快速下单模板.xlsx")) or "attachment"
    return response
