import pytest
from rest_framework.test import APIClient

from partsmall.accounts import services
from partsmall.accounts.models import SmsCode
from partsmall.accounts.tests.factories import UserFactory
from partsmall.core.models import OutboxMessage
from partsmall.core.testing import make_mobile

PHONE = make_mobile(51)
SMS_CODES = "/api/v1/auth/sms-codes/"
ME = "/api/v1/me/"


@pytest.fixture
def api(db):
    return APIClient()


def test_send_an_sms_code(api):
    response = api.post(SMS_CODES, {"phone": PHONE, "purpose": "login"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["phone"] == "139****0051"
    assert body["purpose"] == "login"
    assert body["retry_after"] == 60
    assert body["message"] == "验证码已发送至 139****0051，5 分钟内有效。"
    assert set(body) == {"phone", "purpose", "expires_at", "retry_after", "message"}
    assert OutboxMessage.objects.filter(to=PHONE).count() == 1


def test_send_again_within_cooldown_is_a_400_naming_phone(api):
    api.post(SMS_CODES, {"phone": PHONE, "purpose": "login"}, format="json")

    response = api.post(SMS_CODES, {"phone": PHONE, "purpose": "login"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "sms_cooldown",
        "message": "验证码发送太频繁，请 60 秒后再试。",
        "field": "phone",
    }
    assert SmsCode.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"purpose": "login"}, "phone", "请输入手机号。"),
        ({"phone": "1234", "purpose": "login"}, "phone", "手机号格式不正确，请输入 11 位中国大陆手机号。"),
        ({"phone": PHONE, "purpose": "nonsense"}, "purpose", str(services.INVALID_PURPOSE)),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, data, field, message):
    response = api.post(SMS_CODES, data, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["message"] == message
    assert SmsCode.objects.count() == 0


def test_field_error_in_english(api):
    response = api.post(
        SMS_CODES, {"phone": "1234", "purpose": "login"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert response.json()["message"]


def test_send_needs_no_csrf_token_even_when_logged_in(db):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(UserFactory.create())

    response = api.post(SMS_CODES, {"phone": PHONE, "purpose": "login"}, format="json")

    assert response.status_code == 201


def test_me_answers_the_person_only(api):
    user = UserFactory.create(phone=PHONE, name="王五")
    UserFactory.create(phone=make_mobile(52))
    api.force_login(user)

    response = api.get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["phone"] == PHONE
    assert body["name"] == "王五"
    assert set(body) == {"id", "phone", "name", "email", "date_joined", "last_login"}


def test_me_refuses_anonymous(api):
    response = api.get(ME)

    assert response.status_code == 401
