"""Login, registration and password pages, the SMS code button and the captcha image.

accounts sits below organizations, so these views declare their access with
core.access.declare and check `is_authenticated` themselves.
"""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partsmall.accounts import services
from partsmall.accounts.captcha import captcha_issue, captcha_matches, captcha_png
from partsmall.accounts.forms import (
    PasswordChangeForm,
    PasswordLoginForm,
    PasswordResetForm,
    RegisterForm,
    SmsLoginForm,
    add_service_error,
)
from partsmall.accounts.http import client_ip
from partsmall.accounts.models import SmsCode, User
from partsmall.core.access import declare
from partsmall.core.errors import ApplicationError

BACKEND = "partsmall.accounts.backends.PhonePasswordBackend"
MODE_PASSWORD = "password"
MODE_SMS = "sms"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _apply_url() -> str:
    try:
        return reverse("organizations:apply")
    except NoReverseMatch:
        return "/apply/"


def _sign_in(request: HttpRequest, user: User) -> HttpResponseRedirect:
    login(request, user, backend=BACKEND)
    return redirect(_next_url(request))


def _login_by_password(request: HttpRequest, form: PasswordLoginForm) -> User | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.login_with_password(
            phone=data["phone"],
            password=data["password"],
            ip=client_ip(request),
            captcha_ok=captcha_matches(request.session, data["captcha"]),
        )
    except ApplicationError as exc:
        add_service_error(form, exc)
        return None


def _login_by_sms(request: HttpRequest, form: SmsLoginForm) -> User | None:
    if not form.is_valid():
        return None
    try:
        return services.login_with_sms(
            phone=form.cleaned_data["phone"], code=form.cleaned_data["code"], ip=client_ip(request)
        )
    except ApplicationError as exc:
        add_service_error(form, exc)
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    mode = request.POST.get("mode") or request.GET.get("tab") or MODE_PASSWORD
    mode = mode if mode in (MODE_PASSWORD, MODE_SMS) else MODE_PASSWORD
    posted = request.POST if request.method == "POST" else None
    password_form = PasswordLoginForm(posted if mode == MODE_PASSWORD else None, auto_id="pw_%s")
    sms_form = SmsLoginForm(posted if mode == MODE_SMS else None, auto_id="sms_%s")
    if posted is not None:
        if mode == MODE_PASSWORD:
            user = _login_by_password(request, password_form)
        else:
            user = _login_by_sms(request, sms_form)
        if user is not None:
            return _sign_in(request, user)
    phone = request.POST.get("phone", "")
    context = {
        "password_form": password_form,
        "sms_form": sms_form,
        "mode": mode,
        "needs_captcha": services.login_needs_captcha(phone=phone, ip=client_ip(request)),
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "apply_url": _apply_url(),
        "developer_inbox_enabled": settings.DEVELOPER_INBOX_ENABLED,
    }
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("您已退出登录。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                phone=data["phone"],
                password=data["password"],
                name=data["name"],
                code=data["code"],
                ip=client_ip(request),
                accept_terms=data["accept_terms"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("注册成功，欢迎加入汽配商城。"))
            return _sign_in(request, user)
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "apply_url": _apply_url(),
        "developer_inbox_enabled": settings.DEVELOPER_INBOX_ENABLED,
    }
    return render(request, "accounts/register.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_reset(
                phone=data["phone"],
                code=data["code"],
                new_password=data["new_password"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("密码已重置，请使用新密码登录。"))
            return redirect("accounts:login")
    context = {"form": form, "developer_inbox_enabled": settings.DEVELOPER_INBOX_ENABLED}
    return render(request, "accounts/password_reset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        assert isinstance(request.user, User)
        try:
            user = services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改，下次请使用新密码登录。"))
            return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})


def _sms_answer(request: HttpRequest, context: dict[str, Any], *, wait: int | None) -> HttpResponse:
    response = render(request, "accounts/_sms_feedback.html", context)
    if wait:
        response["HX-Trigger"] = json.dumps({"pm:sms-countdown": {"seconds": wait}})
    return response


@require_POST
def sms_code_view(request: HttpRequest) -> HttpResponse:
    """The 获取验证码 button: sends a code and answers with a line for under the field.

    htmx swaps only 2xx answers, so refusals come back 200 as a field error fragment;
    without htmx the answer is a redirect back with a message.
    """
    purpose = request.POST.get("purpose", SmsCode.Purpose.LOGIN)
    try:
        sms = services.sms_code_send(
            phone=request.POST.get("phone", ""), purpose=purpose, ip=client_ip(request)
        )
    except ApplicationError as exc:
        if not getattr(request, "htmx", False):
            messages.error(request, str(exc.message))
            return redirect(_back_url(request))
        context = {"error": exc.message, "field": exc.field or "phone"}
        return _sms_answer(request, context, wait=exc.extra.get("retry_after"))
    text = services.sms_sent_message(sms)
    if not getattr(request, "htmx", False):
        messages.success(request, text)
        return redirect(_back_url(request))
    return _sms_answer(request, {"message": text}, wait=settings.SMS_CODE_COOLDOWN_SECONDS)


def _back_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("accounts:login")


@never_cache
@require_GET
def captcha_view(request: HttpRequest) -> HttpResponse:
    """A fresh captcha image; loading it replaces the answer kept in the session."""
    return HttpResponse(captcha_png(captcha_issue(request.session)), content_type="image/png")


declare(login_view, permission=None, scope="public")
declare(logout_view, permission=None, scope="public")
declare(register_view, permission=None, scope="public")
declare(password_reset_view, permission=None, scope="public")
declare(password_change_view, permission=None, scope="authenticated")
declare(sms_code_view, permission=None, scope="public")
declare(captcha_view, permission=None, scope="public")
