from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from partsmall.accounts import services
from partsmall.accounts.models import LoginAttempt
from partsmall.accounts.services import (
    login_needs_captcha,
    login_with_password,
    login_with_sms,
    sms_code_send,
)
from partsmall.accounts.tests.factories import PASSWORD, UserFactory, sent_code
from partsmall.core.errors import ApplicationError
from partsmall.core.testing import make_mobile

PHONE = make_mobile(21)
IP = "203.0.113.21"


def fail(phone=PHONE, ip=IP, times=1):
    for _ in range(times):
        with pytest.raises(ApplicationError):
            login_with_password(phone=phone, password="wrong-password", ip=ip, captcha_ok=True)


@pytest.fixture
def user(db):
    return UserFactory(phone=PHONE)


def test_login_with_password(user):
    logged_in = login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=False)

    assert logged_in == user
    assert list(LoginAttempt.objects.values_list("phone", "ip", "succeeded")) == [(PHONE, IP, True)]


def test_wrong_password_and_unknown_phone_get_the_same_answer(user):
    with pytest.raises(ApplicationError) as wrong_password:
        login_with_password(phone=PHONE, password="nope-nope-nope", ip=IP, captcha_ok=False)
    with pytest.raises(ApplicationError) as unknown_phone:
        login_with_password(phone=make_mobile(99), password=PASSWORD, ip=IP, captcha_ok=False)

    assert wrong_password.value.as_dict() == unknown_phone.value.as_dict()
    assert str(wrong_password.value.message) == "手机号或密码错误。"
    assert wrong_password.value.field == "password"
    assert LoginAttempt.objects.filter(succeeded=False).count() == 2


def test_disabled_person_cannot_log_in(db):
    UserFactory(phone=PHONE, is_active=False)

    with pytest.raises(ApplicationError) as exc:
        login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=False)

    assert exc.value.message == services.WRONG_CREDENTIALS


def test_captcha_required_after_three_failures(user):
    fail(times=2)
    assert login_needs_captcha(phone=PHONE, ip=IP) is False
    fail(times=1)

    assert login_needs_captcha(phone=PHONE, ip=IP) is True
    with pytest.raises(ApplicationError) as exc:
        login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=False)
    assert exc.value.field == "captcha"
    assert exc.value.message == services.CAPTCHA_REQUIRED
    assert login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=True) == user


def test_captcha_needed_for_the_ip_even_with_another_phone(user):
    for n in range(3):
        fail(phone=make_mobile(200 + n))

    assert login_needs_captcha(phone=PHONE, ip=IP) is True
    assert login_needs_captcha(phone=PHONE, ip="198.51.100.3") is False


def test_success_resets_the_phone_count(user):
    fail(times=2)
    login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=False)
    fail(ip="198.51.100.3", times=2)

    assert login_needs_captcha(phone=PHONE, ip="198.51.100.4") is False


def test_phone_locked_after_five_failures_with_retry_time(user, clock):
    fail(times=4)
    clock.advance(minutes=1)

    with pytest.raises(ApplicationError) as fifth:
        login_with_password(phone=PHONE, password="wrong-password", ip=IP, captcha_ok=True)
    with pytest.raises(ApplicationError) as right_password:
        login_with_password(phone=PHONE, password=PASSWORD, ip="198.51.100.9", captcha_ok=True)

    assert fifth.value.code == "login_locked"
    retry_at = clock.now + timedelta(minutes=14)
    expected = f"登录失败次数过多，请在 14 分钟后（{timezone.localtime(retry_at):%H:%M} 之后）再试。"
    assert str(right_password.value.message) == expected
    assert LoginAttempt.objects.filter(succeeded=True).count() == 0
    assert LoginAttempt.objects.count() == 5


def test_phone_lock_lifts_after_the_window(user, clock):
    fail(times=5)
    clock.advance(minutes=15)

    assert login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=True) == user


@override_settings(LOGIN_MAX_FAILURES_PER_IP=6)
def test_ip_locked_after_its_limit_whatever_the_phone(user):
    for n in range(6):
        fail(phone=make_mobile(300 + n))

    with pytest.raises(ApplicationError) as exc:
        login_with_password(phone=PHONE, password=PASSWORD, ip=IP, captcha_ok=True)

    assert exc.value.code == "login_locked"
    assert str(exc.value.message).startswith("登录失败次数过多，请在 15 分钟后")
    assert login_with_password(phone=PHONE, password=PASSWORD, ip="198.51.100.7", captcha_ok=True) == user


def test_login_with_sms(user):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert login_with_sms(phone=PHONE, code=sent_code(PHONE), ip=IP) == user
    assert LoginAttempt.objects.get().succeeded is True


def test_login_with_sms_wrong_code_counts_as_a_failure(user):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    with pytest.raises(ApplicationError) as exc:
        login_with_sms(phone=PHONE, code=wrong, ip=IP)

    assert exc.value.field == "code"
    assert exc.value.message == services.INVALID_CODE
    assert LoginAttempt.objects.get().succeeded is False


def test_login_with_sms_for_an_unregistered_phone(db):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        login_with_sms(phone=PHONE, code=sent_code(PHONE), ip=IP)

    assert exc.value.field == "phone"
    assert str(exc.value.message) == "该手机号尚未注册，请先注册。"


def test_login_with_sms_refused_while_locked(user):
    fail(times=5)
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        login_with_sms(phone=PHONE, code=sent_code(PHONE), ip=IP)

    assert exc.value.code == "login_locked"
