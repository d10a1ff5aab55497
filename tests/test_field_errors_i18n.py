"""Bad input gets a clear message that names the field, in 简体中文 and in English, and
nothing is saved (issue 2, acceptance point 4). Messages are asserted word for word."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partsmall.accounts.models import SmsCode, User
from partsmall.accounts.tests.factories import sent_code
from partsmall.core.testing import make_credit_code, make_mobile
from partsmall.organizations.models import Application, Organization
from partsmall.organizations.tests.factories import OrganizationFactory, application_fields

pytestmark = pytest.mark.django_db

MESSAGES = {
    "zh-hans": {
        "credit_code": "统一社会信用代码无效：应为 18 位，且校验位正确。",
        "phone": "手机号格式不正确，请输入 11 位中国大陆手机号。",
        "licence": "请上传营业执照。",
        "duplicate": "该统一社会信用代码已提交入驻申请或已入驻。",
        "wrong_code": "验证码错误。",
        "expired_code": "验证码已过期，请重新获取。",
        "cooldown": "验证码发送太频繁，请 60 秒后再试。",
    },
    "en": {
        "credit_code": (
            "Invalid unified social credit code: it must be 18 characters with a valid check digit."
        ),
        "phone": "Invalid mobile number: enter an 11-digit mainland China mobile number.",
        "licence": "Upload the business licence.",
        "duplicate": (
            "This unified social credit code already has an onboarding application or is already onboarded."
        ),
        "wrong_code": "Incorrect verification code.",
        "expired_code": "The verification code has expired. Request a new one.",
        "cooldown": "Codes requested too often. Try again in 60 seconds.",
    },
}
LANGUAGES = list(MESSAGES)


def _client(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def _apply(client: Client, n: int, **overrides: object) -> str:
    phone = make_mobile(720_000 + n)
    client.post(reverse("accounts:sms_code"), {"phone": phone, "purpose": "apply"})
    data = {k: ("" if v is None else v) for k, v in application_fields(n).items()}
    data |= {
        "phone": phone,
        "code": sent_code(phone),
        "password": "Parts-Mall-2026",
        "person_name": "王五",
        "accept_terms": "on",
    }
    data |= overrides
    response = client.post(reverse("organizations:apply"), data)
    assert response.status_code == 200
    return response.content.decode()


def _nothing_saved() -> bool:
    return not Application.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_credit_code(language):
    html = _apply(_client(language), 1, credit_code="91440606ABCDEFGHIJ")

    assert f'data-testid="error-credit_code">{MESSAGES[language]["credit_code"]}' in html
    assert _nothing_saved()


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_contact_phone(language):
    html = _apply(_client(language), 2, contact_phone="12345")

    assert f'data-testid="error-contact_phone">{MESSAGES[language]["phone"]}' in html
    assert _nothing_saved()


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_licence(language):
    html = _apply(_client(language), 3, licence="")

    assert f'data-testid="error-licence">{MESSAGES[language]["licence"]}' in html
    assert _nothing_saved()


@pytest.mark.parametrize("language", LANGUAGES)
def test_duplicate_application(language):
    OrganizationFactory.create(credit_code=make_credit_code(900_004))
    organizations_before = Organization.objects.count()

    html = _apply(_client(language), 4)

    assert f'data-testid="error-credit_code">{MESSAGES[language]["duplicate"]}' in html
    assert _nothing_saved()
    assert Organization.objects.count() == organizations_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_sms_code(language):
    html = _apply(_client(language), 5, code="000000")

    assert f'data-testid="error-code">{MESSAGES[language]["wrong_code"]}' in html
    assert _nothing_saved()


@pytest.mark.parametrize("language", LANGUAGES)
def test_expired_sms_code(language):
    client = _client(language)
    phone = make_mobile(720_006)
    client.post(reverse("accounts:sms_code"), {"phone": phone, "purpose": "apply"})
    code = sent_code(phone)
    SmsCode.objects.filter(phone=phone).update(expires_at=timezone.now() - timedelta(seconds=1))

    html = _apply(client, 6, phone=phone, code=code)

    assert f'data-testid="error-code">{MESSAGES[language]["expired_code"]}' in html
    assert _nothing_saved()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_code_asked_for_again_within_the_cooldown(language):
    client = _client(language)
    url = reverse("api-auth-sms-codes")
    body = {"phone": make_mobile(720_007), "purpose": "register"}
    assert client.post(url, body).status_code == 201

    response = client.post(url, body)

    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert response.json()["message"] == MESSAGES[language]["cooldown"]
    assert SmsCode.objects.count() == 1
