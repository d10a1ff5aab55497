from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partsmall.accounts.models import User
from partsmall.core.errors import ApplicationError
from partsmall.integrations import selectors, services
from partsmall.integrations.forms import ApiKeyForm
from partsmall.organizations.access import actor_of, page
from partsmall.organizations.actor import Actor
from partsmall.organizations.roles import Perm
from partsmall.organizations.selectors import organization_for_platform

KEY_REVOKED = _("已吊销 API 密钥「%(name)s」，使用它的调用将被拒绝。")
ORGANIZATION_SUSPENDED = _("已停用「%(name)s」：成员将被登出，%(keys)s 个 API 密钥已吊销。")
ORGANIZATION_REACTIVATED = _("已恢复启用「%(name)s」。")


def _acting(request: HttpRequest) -> tuple[Actor, User]:
    actor = actor_of(request)
    # @page checked both
    assert isinstance(actor.user, User)
    assert actor.organization is not None
    return actor, actor.user


@page(permission=Perm.API_KEYS_MANAGE, scope="organization")
def api_keys(request: HttpRequest) -> HttpResponse:
    actor, _user = _acting(request)
    return render(request, "integrations/api_keys.html", {"api_keys": selectors.api_keys_of(actor=actor)})


@never_cache
@page(permission=Perm.API_KEYS_MANAGE, scope="organization")
def api_key_create(request: HttpRequest) -> HttpResponse:
    """The full key is rendered in the answer to the POST, once, and never stored."""
    actor, user = _acting(request)
    assert actor.organization is not None
    form = ApiKeyForm(request.POST or None, kind=actor.organization.kind)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, full_key = services.api_key_create(
                organization=actor.organization, by=user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(error.field, str(error.message))
        else:
            return render(
                request, "integrations/api_key_created.html", {"api_key": api_key, "full_key": full_key}
            )
    return render(request, "integrations/api_key_form.html", {"form": form})


@require_POST
@page(permission=Perm.API_KEYS_MANAGE, scope="organization", selector="api_key_get")
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _acting(request)
    api_key = selectors.api_key_get(actor=actor, pk=pk)
    try:
        services.api_key_revoke(api_key=api_key, by=user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, KEY_REVOKED % {"name": api_key.name})
    return redirect("integrations:api_keys")


@require_POST
@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="organization_for_platform")
def organization_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _acting(request)
    organization = organization_for_platform(actor=actor, pk=pk)
    live_keys = selectors.live_api_key_count(organization=organization)
    try:
        services.organization_suspend(
            organization=organization, by=user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, ORGANIZATION_SUSPENDED % {"name": organization.name, "keys": live_keys})
    return redirect("organizations:platform_org_detail", organization.pk)


@require_POST
@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="organization_for_platform")
def organization_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _acting(request)
    organization = organization_for_platform(actor=actor, pk=pk)
    try:
        services.organization_reactivate(
            organization=organization, by=user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, ORGANIZATION_REACTIVATED % {"name": organization.name})
    return redirect("organizations:platform_org_detail", organization.pk)
