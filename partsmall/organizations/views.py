"""Pages of the organizations app: workspace homes, onboarding, profile, members, review.

Views validate input with a form, call one service or selector, and render.
"""

import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from partsmall.accounts.http import client_ip
from partsmall.core.errors import ApplicationError
from partsmall.core.pagination import paginate
from partsmall.organizations import selectors, services
from partsmall.organizations.access import page
from partsmall.organizations.forms import (
    ApplicationForm,
    InviteForm,
    OrganizationProfileForm,
    ReasonForm,
    StyledForm,
    VisitorForm,
    role_choices,
    show_errors,
)
from partsmall.organizations.middleware import SESSION_KEY
from partsmall.organizations.models import Application, Membership, Organization
from partsmall.organizations.roles import Perm


def _act_through(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.pk


def _region_context(form: StyledForm) -> dict[str, Any]:
    """The three region selects: provinces, and the children of what is chosen."""
    province = str(form["province"].value() or "")
    city = str(form["city"].value() or "")
    return {
        "provinces": selectors.region_children(parent_code=None),
        "cities": selectors.region_children(parent_code=province) if province else [],
        "districts": selectors.region_children(parent_code=city) if city else [],
        "province": province,
        "city": city,
        "district": str(form["district"].value() or ""),
    }


# --- Homes -------------------------------------------------------------------------


@page(permission=None, scope="authenticated")
def home(request: HttpRequest) -> HttpResponse:
    """Each person lands on the home of what they act as."""
    actor = request.actor  # type: ignore[attr-defined]
    org = actor.organization
    if org is None:
        return render(request, "organizations/owner_home.html", {"tab": request.GET.get("tab", "home")})
    if org.status != Organization.Status.ACTIVE:
        return redirect("organizations:application_status")
    if org.is_platform:
        context = {
            "summary": selectors.platform_summary(actor=actor),
            "can_review": actor.can(Perm.PLATFORM_REVIEW),
            "shows_trade": actor.can(Perm.PLATFORM_FINANCE) or actor.can(Perm.PLATFORM_OPERATE),
        }
        return render(request, "organizations/platform_home.html", context)
    summary = selectors.organization_summary(actor=actor)
    template = (
        "organizations/supplier_home.html"
        if org.kind == Organization.Kind.SUPPLIER
        else "organizations/shop_home.html"
    )
    context = {"summary": summary, "can_manage_members": actor.can(Perm.MEMBERS_MANAGE)}
    return render(request, template, context)


@page(permission=None, scope="authenticated", selector="membership_for_switch")
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = selectors.membership_for_switch(user=request.user, pk=pk)  # type: ignore[arg-type]
    _act_through(request, membership)
    messages.success(
        request,
        _("已切换到「%(org)s」（%(role)s）。")
        % {"org": membership.organization.name, "role": membership.get_role_display()},
    )
    return redirect("organizations:home")


# --- Onboarding --------------------------------------------------------------------


def _show_application_of(request: HttpRequest, application: Application) -> HttpResponse:
    membership = selectors.live_membership(user=application.applicant, organization=application.organization)
    if membership is not None:
        _act_through(request, membership)
    return redirect("organizations:application_status")


@page(permission=None, scope="public")
def apply(request: HttpRequest) -> HttpResponse:
    """The onboarding form; a visitor also registers (phone, SMS code, password, consent)."""
    open_application = (
        selectors.open_application_of_user(user=request.user) if request.user.is_authenticated else None
    )
    if open_application is not None:
        messages.info(request, _("您已有一份入驻申请，以下是它的进度。"))
        return _show_application_of(request, open_application)
    visitor = not request.user.is_authenticated
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, request.FILES or None)
    account_form = VisitorForm(data) if visitor else None
    if data is not None and form.is_valid() and (account_form is None or account_form.is_valid()):
        try:
            application = _submit(request, form, account_form)
        except ApplicationError as exc:
            show_errors(exc, form, *([account_form] if account_form else []))
        else:
            messages.success(request, _("入驻申请已提交，等待平台审核。审核结果会通过站内信通知您。"))
            return _show_application_of(request, application)
    context = {
        "form": form,
        "account_form": account_form,
        "regions": _region_context(form),
        "base_template": "organizations/public_base.html" if visitor else "workspace.html",
        "developer_inbox_enabled": settings.DEVELOPER_INBOX_ENABLED,
        # Shown again after an error: browsers never keep a chosen file.
        "files_lost": data is not None and bool(request.FILES),
    }
    return render(request, "organizations/apply.html", context)


def _submit(request: HttpRequest, form: ApplicationForm, account_form: VisitorForm | None) -> Application:
    if account_form is None:
        return services.application_submit(applicant=request.user, **form.service_kwargs())  # type: ignore[arg-type]
    application = services.application_register_and_submit(
        ip=client_ip(request), **account_form.service_kwargs(), **form.service_kwargs()
    )
    login(request, application.applicant, backend="partsmall.accounts.backends.PhonePasswordBackend")
    return application


@page(permission=Perm.ORG_VIEW, scope="applicant", selector="application_of_organization")
def application_status(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    application = selectors.application_of_organization(actor=actor)
    context = {
        "application": application,
        "org": application.organization,
        "events": selectors.application_events(application=application),
        "can_edit": application.can_resubmit() and actor.can(Perm.APPLICATION_EDIT),
    }
    return render(request, "organizations/application_status.html", context)


@page(permission=Perm.APPLICATION_EDIT, scope="applicant", selector="application_of_organization")
def application_edit(request: HttpRequest) -> HttpResponse:
    application = selectors.application_of_organization(actor=request.actor)  # type: ignore[attr-defined]
    if not application.can_resubmit():
        messages.info(request, _("只有被驳回的入驻申请可以修改。"))
        return redirect("organizations:application_status")
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(
        data, request.FILES or None, initial=ApplicationForm.initial_from_application(application)
    )
    form.required_marks = form.required_marks - {"licence"}  # the uploaded one is kept
    if data is not None and form.is_valid():
        try:
            services.application_resubmit(application=application, by=request.user, **form.service_kwargs())  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("已重新提交，等待平台审核。"))
            return redirect("organizations:application_status")
    context = {
        "form": form,
        "application": application,
        "regions": _region_context(form),
        "base_template": "workspace.html",
        "editing": True,
        "files_lost": data is not None and bool(request.FILES),
    }
    return render(request, "organizations/apply.html", context)


@page(permission=None, scope="authenticated", selector="organization_for_licence")
@require_GET
@xframe_options_sameorigin
def licence(request: HttpRequest, pk: int) -> HttpResponse:
    """The business licence, served through the storage API (never a public media URL).

    Declared "authenticated" because two kinds of people may see it (the organization's
    members and platform reviewers); the selector decides and answers 404 to the rest.
    """
    org = selectors.organization_for_licence(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    name = PurePosixPath(org.licence.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # At most 5 MB (checked on upload): read whole, so the storage handle is closed here.
    with org.licence.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _licence_kind(org: Organization) -> str:
    if not org.licence:
        return ""
    return "pdf" if org.licence.name.lower().endswith(".pdf") else "image"


@page(permission=None, scope="public")
@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    """<option>s for the region selects (htmx): ?province=<code> → cities, ?city=<code> → districts."""
    city = request.GET.get("city", "")
    province = request.GET.get("province", "")
    context: dict[str, Any]
    if city:
        context = {"options": selectors.region_children(parent_code=city), "placeholder": _("请选择区县")}
    elif province:
        context = {
            "options": selectors.region_children(parent_code=province),
            "placeholder": _("请选择城市"),
            "reset_district": True,
        }
    else:
        context = {"options": selectors.region_children(parent_code=None), "placeholder": _("请选择省份")}
    return render(request, "organizations/_region_options.html", context)


# --- Profile -----------------------------------------------------------------------


@page(permission=Perm.ORG_VIEW, scope="organization")
def profile(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    org = actor.organization
    context = {
        "org": org,
        "licence_kind": _licence_kind(org),
        "can_manage": actor.can(Perm.ORG_MANAGE),
        "application": selectors.application_of(organization=org),
    }
    return render(request, "organizations/profile.html", context)


@page(permission=Perm.ORG_MANAGE, scope="organization")
def profile_edit(request: HttpRequest) -> HttpResponse:
    org = request.actor.organization  # type: ignore[attr-defined]
    data = request.POST if request.method == "POST" else None
    form = OrganizationProfileForm(data, initial=OrganizationProfileForm.initial_from(org))
    if data is not None and form.is_valid():
        try:
            services.organization_update_profile(organization=org, by=request.user, **form.service_kwargs())  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("企业资料已保存。"))
            return redirect("organizations:profile")
    context = {"form": form, "org": org, "regions": _region_context(form)}
    return render(request, "organizations/profile_edit.html", context)


# --- Members -----------------------------------------------------------------------


def _members_page(request: HttpRequest, invite_form: InviteForm, *, status: int = 200) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    show_removed = request.GET.get("status") == "removed"
    everyone = selectors.members_of_organization(actor=actor, include_removed=True)
    context = {
        "members": everyone.filter(is_active=not show_removed),
        "active_count": everyone.filter(is_active=True).count(),
        "removed_count": everyone.filter(is_active=False).count(),
        "show_removed": show_removed,
        "invite_form": invite_form,
        "roles": role_choices(actor.organization),
    }
    return render(request, "organizations/members.html", context, status=status)


@page(permission=Perm.MEMBERS_MANAGE, scope="organization")
def members(request: HttpRequest) -> HttpResponse:
    return _members_page(request, InviteForm(organization=request.actor.organization))  # type: ignore[attr-defined]


@page(permission=Perm.MEMBERS_MANAGE, scope="organization")
@require_POST
def member_invite(request: HttpRequest) -> HttpResponse:
    org = request.actor.organization  # type: ignore[attr-defined]
    form = InviteForm(request.POST, organization=org)
    if form.is_valid():
        try:
            membership = services.member_invite(organization=org, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            show_errors(exc, form)
        else:
            messages.success(
                request,
                _("已邀请 %(name)s 加入，角色：%(role)s。对方会收到短信，用验证码登录即可。")
                % {"name": membership.user.get_full_name(), "role": membership.get_role_display()},
            )
            return redirect("organizations:members")
    return _members_page(request, form)


@page(permission=Perm.MEMBERS_MANAGE, scope="organization", selector="membership_of_organization")
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_of_organization(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    try:
        membership = services.member_change_role(
            membership=membership,
            by=request.user,  # type: ignore[arg-type]
            role=request.POST.get("role", ""),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("已将 %(name)s 的角色改为%(role)s。")
            % {"name": membership.user.get_full_name(), "role": membership.get_role_display()},
        )
    return redirect("organizations:members")


@page(permission=Perm.MEMBERS_MANAGE, scope="organization", selector="membership_of_organization")
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_of_organization(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    try:
        services.member_remove(membership=membership, by=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已移除成员 %(name)s。") % {"name": membership.user.get_full_name()})
    return redirect("organizations:members")


# --- Platform: review and organizations --------------------------------------------


def _filters(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


@page(permission=Perm.PLATFORM_REVIEW, scope="platform")
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    filters = _filters(request, "kind", "channel", "keyword")
    status = request.GET.get("status", Application.Status.SUBMITTED)
    if status not in Application.Status.values:
        status = ""
    applications = selectors.application_review_queue(actor=actor, status=status, **filters)
    counts = selectors.application_status_counts(actor=actor, **filters)
    tabs = [(value, label, counts[value]) for value, label in Application.Status.choices]
    context = {
        "page_obj": paginate(request, applications),
        "tabs": [("", _("全部"), counts[""]), *tabs],
        "status": status,
        "filters": filters,
        "kinds": [(k, v) for k, v in Organization.Kind.choices if k != Organization.Kind.PLATFORM],
        "channels": Application.Channel.choices,
    }
    return render(request, "organizations/review_queue.html", context)


def _review_page(request: HttpRequest, application: Application, reject_form: ReasonForm) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    org = application.organization
    own = selectors.live_membership(user=request.user, organization=org) is not None  # type: ignore[arg-type]
    context = {
        "application": application,
        "org": org,
        "events": selectors.application_events(application=application),
        "licence_kind": _licence_kind(org),
        "reject_form": reject_form,
        "can_decide": application.can_decide() and actor.can(Perm.PLATFORM_REVIEW),
        "own_application": own or application.applicant_id == request.user.pk,
    }
    return render(request, "organizations/review_detail.html", context)


@page(permission=Perm.PLATFORM_REVIEW, scope="platform", selector="application_for_review")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_review(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    return _review_page(request, application, ReasonForm())


@page(permission=Perm.PLATFORM_REVIEW, scope="platform", selector="application_for_review")
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_review(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    try:
        services.application_approve(application=application, by=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("已通过「%(org)s」的入驻申请，已通知申请人。") % {"org": application.organization.name}
        )
    return redirect("organizations:review_detail", pk=application.pk)


@page(permission=Perm.PLATFORM_REVIEW, scope="platform", selector="application_for_review")
@require_POST
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_review(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(
                application=application,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            if exc.field != "reason":
                messages.error(request, str(exc.message))
                return redirect("organizations:review_detail", pk=application.pk)
            show_errors(exc, form)
        else:
            messages.success(
                request,
                _("已驳回「%(org)s」的入驻申请，已通知申请人。") % {"org": application.organization.name},
            )
            return redirect("organizations:review_detail", pk=application.pk)
    return _review_page(request, application, form)


@page(permission=Perm.PLATFORM_VIEW, scope="platform")
def platform_orgs(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    filters = _filters(request, "kind", "status", "keyword")
    if filters["status"] not in Organization.Status.values:
        filters["status"] = ""
    organizations = selectors.organizations_for_platform(actor=actor, **filters)
    counts = selectors.organization_status_counts(
        actor=actor, kind=filters["kind"], keyword=filters["keyword"]
    )
    tabs = [("", _("全部"), counts[""])] + [
        (value, label, counts[value]) for value, label in Organization.Status.choices
    ]
    context = {
        "page_obj": paginate(request, organizations),
        "tabs": tabs,
        "filters": filters,
        "kinds": [(k, v) for k, v in Organization.Kind.choices if k != Organization.Kind.PLATFORM],
    }
    return render(request, "organizations/platform_orgs.html", context)


def _reverse_or_empty(name: str, pk: int) -> str:
    # integrations owns the suspend / reactivate entry points (they also revoke API keys).
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@page(permission=Perm.PLATFORM_VIEW, scope="platform", selector="organization_for_platform")
def platform_org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    org = selectors.organization_for_platform(actor=actor, pk=pk)
    context = {
        "org": org,
        "members": selectors.members_for_platform(actor=actor, organization=org),
        "events": selectors.organization_events(organization=org),
        "application": selectors.application_of(organization=org),
        "licence_kind": _licence_kind(org),
        "can_review": actor.can(Perm.PLATFORM_REVIEW),
        "can_operate": actor.can(Perm.PLATFORM_OPERATE),
        "suspend_url": _reverse_or_empty("integrations:organization_suspend", org.pk),
        "reactivate_url": _reverse_or_empty("integrations:organization_reactivate", org.pk),
    }
    return render(request, "organizations/platform_org_detail.html", context)
