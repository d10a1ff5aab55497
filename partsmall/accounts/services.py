"""Writes of the accounts app: SMS codes, registration, login with lock-out, passwords.

SMS code checks commit their own bookkeeping (wrong tries, single use) before the caller
writes anything else: a wrong try counted inside the caller's transaction would be rolled
back with it, and the five-tries limit would not hold. So callers verify the code first,
then open their own atomic block for their writes.
"""

import logging
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from partsmall.accounts.models import Consent, LoginAttempt, SmsCode, User
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.legal import PRIVACY_POLICY_VERSION, USER_AGREEMENT_VERSION
from partsmall.core.sms import send_sms
from partsmall.core.validators import mask_phone, normalize_cn_mobile

logger = logging.getLogger(__name__)

SMS_TEXT = _("【汽配商城】验证码 %(code)s，%(minutes)s 分钟内有效。请勿告诉他人。")
SMS_COOLDOWN = _("验证码发送太频繁，请 %(seconds)s 秒后再试。")
SMS_PHONE_DAILY_CAP = _("该手机号今日获取验证码次数已达上限，请明天再试。")
SMS_IP_DAILY_CAP = _("当前网络今日获取验证码次数已达上限，请明天再试。")
SMS_SEND_FAILED = _("短信发送失败，请稍后重试。")
SMS_SENT = _("验证码已发送至 %(phone)s，%(minutes)s 分钟内有效。")
INVALID_PURPOSE = _("验证码用途无效。")
CODE_REQUIRED = _("请输入短信验证码。")
INVALID_CODE = _("验证码错误。")
EXPIRED_CODE = _("验证码已过期，请重新获取。")
CODE_NOT_SENT = _("请先获取短信验证码。")
CODE_USED = _("验证码已使用，请重新获取。")
CODE_EXHAUSTED = _("验证码错误次数过多，已失效，请重新获取。")
PHONE_TAKEN = _("该手机号已注册，请直接登录。")
TERMS_REQUIRED = _("请阅读并同意《隐私政策》和《用户协议》。")
PASSWORD_REQUIRED = _("请输入密码。")
PASSWORD_TOO_SHORT = _("密码太短，至少需要 %(min_length)s 个字符。")
NAME_TOO_LONG = _("姓名最多 50 个字。")
WRONG_CREDENTIALS = _("手机号或密码错误。")
LOGIN_LOCKED = _("登录失败次数过多，请在 %(minutes)s 分钟后（%(time)s 之后）再试。")
CAPTCHA_REQUIRED = _("请正确输入图形验证码。")
NO_ACCOUNT = _("该手机号尚未注册，请先注册。")
ACCOUNT_DISABLED = _("该账号已停用，请联系平台客服。")
OLD_PASSWORD_WRONG = _("原密码错误。")
SAME_PASSWORD = _("新密码不能与原密码相同。")


# --- SMS codes ---------------------------------------------------------------------


def _phone_or_error(raw: str) -> str:
    try:
        return normalize_cn_mobile(raw)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code="invalid_phone", field="phone") from None


def _code_hash(*, phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "partsmall.accounts.SmsCode", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _start_of_local_day(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _check_sms_limits(*, phone: str, ip: str | None, now: datetime) -> None:
    last = SmsCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    cooldown = settings.SMS_CODE_COOLDOWN_SECONDS
    if last is not None and (now - last.created_at).total_seconds() < cooldown:
        wait = math.ceil(cooldown - (now - last.created_at).total_seconds())
        raise ApplicationError(
            SMS_COOLDOWN % {"seconds": wait}, code="sms_cooldown", field="phone", extra={"retry_after": wait}
        )
    day_start = _start_of_local_day(now)
    if (
        SmsCode.objects.filter(phone=phone, created_at__gte=day_start).count()
        >= settings.SMS_DAILY_CAP_PER_PHONE
    ):
        raise ApplicationError(SMS_PHONE_DAILY_CAP, code="sms_daily_cap", field="phone")
    if (
        ip
        and SmsCode.objects.filter(ip=ip, created_at__gte=day_start).count() >= settings.SMS_DAILY_CAP_PER_IP
    ):
        raise ApplicationError(SMS_IP_DAILY_CAP, code="sms_daily_cap", field="phone")


@transaction.atomic
def sms_code_send(*, phone: str, purpose: str, ip: str | None) -> SmsCode:
    """Send a fresh 6-digit code; it supersedes earlier codes of the same phone and purpose."""
    if purpose not in SmsCode.Purpose.values:
        raise ApplicationError(INVALID_PURPOSE, code="invalid_purpose", field="purpose")
    phone = _phone_or_error(phone)
    if purpose == SmsCode.Purpose.REGISTER and User.objects.filter(phone=phone).exists():
        # Registration tells anyway that the phone is taken; saying it here spares an SMS.
        raise ApplicationError(PHONE_TAKEN, code="phone_taken", field="phone")
    now = timezone.now()
    _check_sms_limits(phone=phone, ip=ip, now=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    sms = SmsCode(
        phone=phone,
        purpose=purpose,
        code_hash=_code_hash(phone=phone, purpose=purpose, code=code),
        ip=ip or None,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.SMS_CODE_VALID_SECONDS),
    )
    sms.full_clean()
    sms.save()
    minutes = max(1, settings.SMS_CODE_VALID_SECONDS // 60)
    try:
        send_sms(phone=phone, text=str(SMS_TEXT % {"code": code, "minutes": minutes}))
    except Exception:
        logger.exception("SMS to %s failed", mask_phone(phone))
        raise ApplicationError(SMS_SEND_FAILED, code="sms_failed", field="phone") from None
    return sms


def sms_sent_message(sms: SmsCode) -> str:
    """What the page says after a code went out (the phone masked)."""
    minutes = max(1, settings.SMS_CODE_VALID_SECONDS // 60)
    return str(SMS_SENT % {"phone": mask_phone(sms.phone), "minutes": minutes})


def _code_refusal(sms: SmsCode | None, *, code: str, now: datetime) -> ApplicationError | None:
    """None when `code` is right for this SMS code, else the error to raise."""
    if sms is None:
        return ApplicationError(CODE_NOT_SENT, code="code_not_sent", field="code")
    if sms.used_at is not None:
        return ApplicationError(CODE_USED, code="code_used", field="code")
    if sms.is_exhausted:
        return ApplicationError(CODE_EXHAUSTED, code="code_exhausted", field="code")
    if sms.is_expired(now):
        return ApplicationError(EXPIRED_CODE, code="expired_code", field="code")
    if not constant_time_compare(sms.code_hash, _code_hash(phone=sms.phone, purpose=sms.purpose, code=code)):
        sms.attempts += 1
        sms.save(update_fields=["attempts"])
        if sms.is_exhausted:
            return ApplicationError(CODE_EXHAUSTED, code="code_exhausted", field="code")
        return ApplicationError(INVALID_CODE, code="invalid_code", field="code")
    return None


def sms_code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Accept the latest code sent to this phone for this purpose, once.

    Call it before opening your own atomic block: the wrong-try count it writes must
    survive the error it raises.
    """
    phone = _phone_or_error(phone)
    code = (code or "").strip()
    if not code:
        raise ApplicationError(CODE_REQUIRED, code="code_required", field="code")
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-id")
            .first()
        )
        now = timezone.now()
        refusal = _code_refusal(sms, code=code, now=now)
        if refusal is None and sms is not None:
            sms.used_at = now
            sms.save(update_fields=["used_at"])
    if refusal is not None:
        raise refusal


# --- Registration ------------------------------------------------------------------


def _raise_field_errors(errors: dict[str, list[str]]) -> None:
    """One wrong field raises ApplicationError(field=...); several raise FieldErrors."""
    errors = {field: messages for field, messages in errors.items() if messages}
    if len(errors) > 1:
        raise FieldErrors(errors)
    if errors:
        field, messages = next(iter(errors.items()))
        raise ApplicationError(messages[0], code="invalid", field=field, extra={"messages": messages})


def _password_errors(password: str, *, user: User) -> list[str]:
    if not password:
        return [str(PASSWORD_REQUIRED)]
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return [_password_message(error) for error in exc.error_list]
    return []


def _password_message(error: ValidationError) -> str:
    # Django 5.2 changed this msgid and its zh_Hans catalog has not caught up yet.
    if error.code == "password_too_short" and error.params:
        return str(PASSWORD_TOO_SHORT % {"min_length": error.params["min_length"]})
    return str(error.messages[0])


def _registration_errors(*, phone: str, password: str, name: str, accept_terms: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        phone = normalize_cn_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = [str(m) for m in exc.messages]
    else:
        if User.objects.filter(phone=phone).exists():
            errors["phone"] = [str(PHONE_TAKEN)]
    if len(name) > 50:
        errors["name"] = [str(NAME_TOO_LONG)]
    password_errors = _password_errors(password, user=User(phone=phone, name=name))
    if password_errors:
        errors["password"] = password_errors
    if not accept_terms:
        errors["accept_terms"] = [str(TERMS_REQUIRED)]
    return errors


def consent_record(*, user: User, ip: str | None, now: datetime | None = None) -> list[Consent]:
    """Record that the person accepted the current privacy policy and user agreement."""
    accepted_at = now or timezone.now()
    consents = []
    for document, version in (
        (Consent.Document.PRIVACY, PRIVACY_POLICY_VERSION),
        (Consent.Document.TERMS, USER_AGREEMENT_VERSION),
    ):
        consent = Consent(
            user=user, document=document, version=version, accepted_at=accepted_at, ip=ip or None
        )
        consent.full_clean()
        consent.save()
        consents.append(consent)
    return consents


def user_register(
    *,
    phone: str,
    password: str,
    name: str = "",
    code: str,
    purpose: str = "register",
    ip: str | None,
    accept_terms: bool,
) -> User:
    """Register a person (a car owner, or an applicant's contact) with a verified phone.

    Field errors come all at once; the code is checked last so that a typo elsewhere does
    not spend it. The user and the consent records are written in one transaction.
    """
    name = (name or "").strip()
    _raise_field_errors(
        _registration_errors(phone=phone, password=password, name=name, accept_terms=accept_terms)
    )
    phone = normalize_cn_mobile(phone)
    sms_code_verify(phone=phone, purpose=purpose, code=code)
    try:
        with transaction.atomic():
            user = User(phone=phone, name=name)
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
            consent_record(user=user, ip=ip, now=user.date_joined)
    except IntegrityError:
        # Someone registered the same phone between our check and our insert.
        raise ApplicationError(PHONE_TAKEN, code="phone_taken", field="phone") from None
    return user


# --- Login -------------------------------------------------------------------------


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _phone_failures(*, phone: str, now: datetime) -> QuerySet[LoginAttempt]:
    """Failures of this phone in the window, since its last successful login."""
    since = _window_start(now)
    last_ok = (
        LoginAttempt.objects.filter(phone=phone, succeeded=True, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return LoginAttempt.objects.filter(phone=phone, succeeded=False, created_at__gte=last_ok or since)


def _ip_failures(*, ip: str | None, now: datetime) -> QuerySet[LoginAttempt]:
    if not ip:
        return LoginAttempt.objects.none()
    return LoginAttempt.objects.filter(ip=ip, succeeded=False, created_at__gte=_window_start(now))


def _locked_until(failures: QuerySet[LoginAttempt], *, limit: int) -> datetime | None:
    """When the lock lifts: once the failure that reached the limit leaves the window."""
    times = list(failures.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _lock_error(until: datetime, *, now: datetime) -> ApplicationError:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    time = timezone.localtime(until).strftime("%H:%M")
    return ApplicationError(
        LOGIN_LOCKED % {"minutes": minutes, "time": time}, code="login_locked", extra={"retry_at": until}
    )


def _check_not_locked(*, phone: str, ip: str | None, now: datetime) -> None:
    candidates = [
        _locked_until(_phone_failures(phone=phone, now=now), limit=settings.LOGIN_MAX_FAILURES_PER_PHONE),
        _locked_until(_ip_failures(ip=ip, now=now), limit=settings.LOGIN_MAX_FAILURES_PER_IP),
    ]
    locks = [until for until in candidates if until is not None and until > now]
    if locks:
        raise _lock_error(max(locks), now=now)


def _record_attempt(*, phone: str, ip: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(phone=phone, ip=ip or None, succeeded=succeeded, created_at=timezone.now())


def _failed(*, phone: str, ip: str | None, error: ApplicationError) -> ApplicationError:
    """Record a failed try; the error to raise is the lock-out once this try reached it."""
    _record_attempt(phone=phone, ip=ip, succeeded=False)
    try:
        _check_not_locked(phone=phone, ip=ip, now=timezone.now())
    except ApplicationError as locked:
        return locked
    return error


def login_needs_captcha(*, phone: str, ip: str | None) -> bool:
    """True once this phone or this IP failed LOGIN_CAPTCHA_AFTER_FAILURES times in the window."""
    try:
        phone = normalize_cn_mobile(phone)
    except ValidationError:
        phone = ""
    now = timezone.now()
    limit = settings.LOGIN_CAPTCHA_AFTER_FAILURES
    if phone and _phone_failures(phone=phone, now=now).count() >= limit:
        return True
    return _ip_failures(ip=ip, now=now).count() >= limit


def login_with_password(*, phone: str, password: str, ip: str | None, captcha_ok: bool) -> User:
    """The person, or a refusal that never tells whether the phone is registered.

    Not atomic on purpose: the failure it records must outlive the error it raises.
    """
    phone = _phone_or_error(phone)
    _check_not_locked(phone=phone, ip=ip, now=timezone.now())
    if not captcha_ok and login_needs_captcha(phone=phone, ip=ip):
        raise ApplicationError(CAPTCHA_REQUIRED, code="captcha_required", field="captcha")
    user = authenticate(None, phone=phone, password=password or "")
    if not isinstance(user, User):
        raise _failed(
            phone=phone,
            ip=ip,
            error=ApplicationError(WRONG_CREDENTIALS, code="wrong_credentials", field="password"),
        )
    _record_attempt(phone=phone, ip=ip, succeeded=True)
    return user


def login_with_sms(*, phone: str, code: str, ip: str | None) -> User:
    """The person who proved the phone with a login code."""
    phone = _phone_or_error(phone)
    _check_not_locked(phone=phone, ip=ip, now=timezone.now())
    try:
        sms_code_verify(phone=phone, purpose=SmsCode.Purpose.LOGIN, code=code)
    except ApplicationError as exc:
        raise _failed(phone=phone, ip=ip, error=exc) from None
    # The code proved the phone is theirs, so saying it has no account reveals nothing.
    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise ApplicationError(NO_ACCOUNT, code="no_account", field="phone")
    if not user.is_active:
        raise ApplicationError(ACCOUNT_DISABLED, code="account_disabled", field="phone")
    _record_attempt(phone=phone, ip=ip, succeeded=True)
    return user


# --- Passwords ---------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change the password of a logged-in person (the view keeps their session)."""
    if not user.check_password(old_password or ""):
        raise ApplicationError(OLD_PASSWORD_WRONG, code="wrong_password", field="old_password")
    if old_password == new_password:
        raise ApplicationError(SAME_PASSWORD, code="same_password", field="new_password")
    _raise_field_errors({"new_password": _password_errors(new_password, user=user)})
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def password_reset(*, phone: str, code: str, new_password: str, ip: str | None) -> User:
    """Set a new password for the phone proved with a reset code."""
    phone = _phone_or_error(phone)
    _raise_field_errors({"new_password": _password_errors(new_password, user=User(phone=phone))})
    sms_code_verify(phone=phone, purpose=SmsCode.Purpose.RESET_PASSWORD, code=code)
    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise ApplicationError(NO_ACCOUNT, code="no_account", field="phone")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
    logger.info("password reset for %s from %s", mask_phone(phone), ip or "-")
    return user
