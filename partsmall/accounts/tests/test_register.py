from typing import Any

import pytest
from django.utils import translation

from partsmall.accounts import services
from partsmall.accounts.models import Consent, SmsCode, User
from partsmall.accounts.services import sms_code_send, user_register
from partsmall.accounts.tests.factories import UserFactory, sent_code
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.legal import PRIVACY_POLICY_VERSION, USER_AGREEMENT_VERSION
from partsmall.core.testing import make_mobile

PHONE = make_mobile(11)
IP = "203.0.113.9"
GOOD_PASSWORD = "Lun-Tai-8866"


def register(**overrides):
    values: dict[str, Any] = {
        "phone": PHONE,
        "password": GOOD_PASSWORD,
        "name": "张三",
        "code": sent_code(PHONE),
        "ip": IP,
        "accept_terms": True,
    }
    values.update(overrides)
    return user_register(**values)


@pytest.fixture
def code_sent(db):
    return sms_code_send(phone=PHONE, purpose="register", ip=IP)


def test_register_creates_the_person_and_records_consent(code_sent):
    user = register()

    assert user.phone == PHONE
    assert user.name == "张三"
    assert user.check_password(GOOD_PASSWORD)
    consents = {(c.document, c.version, c.ip) for c in Consent.objects.filter(user=user)}
    assert consents == {
        ("privacy", PRIVACY_POLICY_VERSION, IP),
        ("terms", USER_AGREEMENT_VERSION, IP),
    }
    code_sent.refresh_from_db()
    assert code_sent.used_at is not None


def assert_nothing_saved():
    assert User.objects.count() == 0
    assert Consent.objects.count() == 0


def test_register_refuses_an_invalid_phone(code_sent):
    with pytest.raises(ApplicationError) as exc:
        register(phone="1390000")

    assert exc.value.field == "phone"
    assert str(exc.value.message) == "手机号格式不正确，请输入 11 位中国大陆手机号。"
    assert_nothing_saved()


def test_register_refuses_a_registered_phone(code_sent):
    UserFactory(phone=PHONE)

    with pytest.raises(ApplicationError) as exc:
        register()

    assert exc.value.field == "phone"
    assert str(exc.value.message) == "该手机号已注册，请直接登录。"
    assert User.objects.count() == 1
    assert Consent.objects.count() == 0
    code_sent.refresh_from_db()
    assert code_sent.used_at is None


def test_register_requires_consent(code_sent):
    with pytest.raises(ApplicationError) as exc:
        register(accept_terms=False)

    assert exc.value.field == "accept_terms"
    assert exc.value.message == str(services.TERMS_REQUIRED)
    assert str(exc.value.message) == "请阅读并同意《隐私政策》和《用户协议》。"
    assert_nothing_saved()
    code_sent.refresh_from_db()
    assert code_sent.used_at is None


def test_register_refuses_a_wrong_code(code_sent):
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    with pytest.raises(ApplicationError) as exc:
        register(code=wrong)

    assert exc.value.field == "code"
    assert exc.value.message == services.INVALID_CODE
    assert_nothing_saved()
    code_sent.refresh_from_db()
    assert code_sent.attempts == 1


def test_register_refuses_a_login_code(db):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        register()

    assert exc.value.field == "code"
    assert exc.value.message == services.CODE_NOT_SENT
    assert_nothing_saved()


def test_register_refuses_a_weak_password(code_sent):
    with pytest.raises(ApplicationError) as exc:
        register(password="12345678")

    assert exc.value.field == "password"
    assert exc.value.extra["messages"] == ["这个密码太常见了。", "密码只包含数字。"]
    assert_nothing_saved()


def test_register_reports_several_wrong_fields_at_once(code_sent):
    with pytest.raises(FieldErrors) as exc:
        register(phone="abc", password="", accept_terms=False)

    assert set(exc.value.errors) == {"phone", "password", "accept_terms"}
    assert exc.value.errors["password"] == ["请输入密码。"]
    assert_nothing_saved()
    assert SmsCode.objects.get().used_at is None


def test_register_with_the_apply_purpose(db):
    sms_code_send(phone=PHONE, purpose="apply", ip=IP)

    user = register(purpose="apply")

    assert user.phone == PHONE
    assert Consent.objects.filter(user=user).count() == 2


def test_register_field_error_in_english(code_sent):
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        register(accept_terms=False)

    assert exc.value.field == "accept_terms"
    assert exc.value.message
    assert_nothing_saved()
