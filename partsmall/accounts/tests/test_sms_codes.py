from unittest.mock import patch

import pytest
from django.test import override_settings
from django.utils import translation

from partsmall.accounts import services
from partsmall.accounts.models import SmsCode
from partsmall.accounts.services import sms_code_send, sms_code_verify
from partsmall.accounts.tests.factories import UserFactory, sent_code
from partsmall.core.errors import ApplicationError
from partsmall.core.models import OutboxMessage
from partsmall.core.testing import make_mobile

PHONE = make_mobile(1)
IP = "203.0.113.7"


@pytest.mark.django_db
def test_send_stores_a_hashed_code_and_sends_the_text(clock):
    sms = sms_code_send(phone=f"+86 {PHONE[:3]}-{PHONE[3:]}", purpose="login", ip=IP)

    code = sent_code(PHONE)
    message = OutboxMessage.objects.get()
    assert message.to == PHONE
    assert message.body == f"【汽配商城】验证码 {code}，5 分钟内有效。请勿告诉他人。"
    assert sms.phone == PHONE
    assert sms.purpose == SmsCode.Purpose.LOGIN
    assert sms.ip == IP
    assert sms.created_at == clock.now
    assert (sms.expires_at - sms.created_at).total_seconds() == 300
    assert code not in sms.code_hash
    assert len(code) == 6


@pytest.mark.django_db
def test_send_refuses_an_invalid_phone_and_saves_nothing():
    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone="12345", purpose="login", ip=IP)

    assert exc.value.field == "phone"
    assert str(exc.value.message) == "手机号格式不正确，请输入 11 位中国大陆手机号。"
    assert SmsCode.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_send_refuses_an_unknown_purpose():
    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=PHONE, purpose="anything", ip=IP)

    assert exc.value.field == "purpose"
    assert exc.value.message == services.INVALID_PURPOSE
    assert SmsCode.objects.count() == 0


@pytest.mark.django_db
def test_asked_again_within_cooldown_is_refused_naming_phone_and_seconds(clock):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)
    clock.advance(seconds=20)

    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=PHONE, purpose="register", ip="198.51.100.1")

    assert exc.value.field == "phone"
    assert exc.value.code == "sms_cooldown"
    assert str(exc.value.message) == "验证码发送太频繁，请 40 秒后再试。"
    assert exc.value.extra == {"retry_after": 40}
    assert SmsCode.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_asked_again_after_cooldown_sends_a_new_code(clock):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)
    clock.advance(seconds=60)

    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert SmsCode.objects.count() == 2


@pytest.mark.django_db
@override_settings(SMS_DAILY_CAP_PER_PHONE=3)
def test_daily_cap_per_phone(clock):
    for _ in range(3):
        sms_code_send(phone=PHONE, purpose="login", ip=IP)
        clock.advance(minutes=2)

    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert exc.value.field == "phone"
    assert exc.value.message == services.SMS_PHONE_DAILY_CAP
    assert str(exc.value.message) == "该手机号今日获取验证码次数已达上限，请明天再试。"
    assert SmsCode.objects.count() == 3


@pytest.mark.django_db
@override_settings(SMS_DAILY_CAP_PER_PHONE=3)
def test_daily_cap_per_phone_resets_the_next_day(clock):
    for _ in range(3):
        sms_code_send(phone=PHONE, purpose="login", ip=IP)
        clock.advance(minutes=2)
    clock.advance(days=1)

    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert SmsCode.objects.count() == 4


@pytest.mark.django_db
@override_settings(SMS_DAILY_CAP_PER_IP=2)
def test_daily_cap_per_ip(clock):
    sms_code_send(phone=make_mobile(2), purpose="login", ip=IP)
    sms_code_send(phone=make_mobile(3), purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=make_mobile(4), purpose="login", ip=IP)

    assert exc.value.field == "phone"
    assert exc.value.message == services.SMS_IP_DAILY_CAP
    assert SmsCode.objects.count() == 2
    sms_code_send(phone=make_mobile(4), purpose="login", ip="198.51.100.1")
    assert SmsCode.objects.count() == 3


@pytest.mark.django_db
def test_register_code_is_refused_for_a_registered_phone():
    UserFactory(phone=PHONE)

    with pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=PHONE, purpose="register", ip=IP)

    assert exc.value.field == "phone"
    assert exc.value.message == services.PHONE_TAKEN
    assert SmsCode.objects.count() == 0


@pytest.mark.django_db
def test_a_failing_transport_saves_nothing():
    with (
        patch("partsmall.accounts.services.send_sms", side_effect=RuntimeError("gateway down")),
        pytest.raises(ApplicationError) as exc,
    ):
        sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert exc.value.field == "phone"
    assert exc.value.message == services.SMS_SEND_FAILED
    assert SmsCode.objects.count() == 0


@pytest.mark.django_db
def test_verify_accepts_the_right_code_once(clock):
    sms = sms_code_send(phone=PHONE, purpose="login", ip=IP)
    code = sent_code(PHONE)

    sms_code_verify(phone=PHONE, purpose="login", code=code)

    sms.refresh_from_db()
    assert sms.used_at == clock.now
    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="login", code=code)
    assert exc.value.field == "code"
    assert exc.value.message == services.CODE_USED


@pytest.mark.django_db
def test_verify_refuses_a_code_of_another_purpose():
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="reset_password", code=sent_code(PHONE))

    assert exc.value.field == "code"
    assert exc.value.message == services.CODE_NOT_SENT


@pytest.mark.django_db
def test_wrong_code_is_refused_and_counted():
    sms = sms_code_send(phone=PHONE, purpose="login", ip=IP)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="login", code=wrong)

    assert exc.value.field == "code"
    assert exc.value.code == "invalid_code"
    assert exc.value.message == services.INVALID_CODE
    assert str(exc.value.message) == "验证码错误。"
    sms.refresh_from_db()
    assert sms.attempts == 1
    assert sms.used_at is None


@pytest.mark.django_db
def test_empty_code_is_refused():
    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="login", code="  ")

    assert exc.value.field == "code"
    assert exc.value.message == services.CODE_REQUIRED


@pytest.mark.django_db
def test_five_wrong_tries_invalidate_the_code():
    sms = sms_code_send(phone=PHONE, purpose="login", ip=IP)
    code = sent_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ApplicationError):
            sms_code_verify(phone=PHONE, purpose="login", code=wrong)

    with pytest.raises(ApplicationError) as fifth:
        sms_code_verify(phone=PHONE, purpose="login", code=wrong)
    with pytest.raises(ApplicationError) as right_but_late:
        sms_code_verify(phone=PHONE, purpose="login", code=code)

    assert fifth.value.message == services.CODE_EXHAUSTED
    assert right_but_late.value.message == services.CODE_EXHAUSTED
    assert right_but_late.value.field == "code"
    sms.refresh_from_db()
    assert sms.attempts == 5
    assert sms.used_at is None


@pytest.mark.django_db
def test_code_expires_after_five_minutes(clock):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)
    code = sent_code(PHONE)
    clock.advance(seconds=300)

    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="login", code=code)

    assert exc.value.field == "code"
    assert exc.value.code == "expired_code"
    assert exc.value.message == services.EXPIRED_CODE
    assert str(exc.value.message) == "验证码已过期，请重新获取。"


@pytest.mark.django_db
def test_code_is_still_valid_just_before_five_minutes(clock):
    sms = sms_code_send(phone=PHONE, purpose="login", ip=IP)
    clock.advance(seconds=299)

    sms_code_verify(phone=PHONE, purpose="login", code=sent_code(PHONE))

    sms.refresh_from_db()
    assert sms.used_at == clock.now


@pytest.mark.django_db
def test_a_new_code_supersedes_the_old_one(clock):
    with patch("partsmall.accounts.services.secrets.randbelow", side_effect=[111111, 222222]):
        sms_code_send(phone=PHONE, purpose="login", ip=IP)
        clock.advance(seconds=61)
        sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with pytest.raises(ApplicationError) as exc:
        sms_code_verify(phone=PHONE, purpose="login", code="111111")
    sms_code_verify(phone=PHONE, purpose="login", code="222222")

    assert exc.value.message == services.INVALID_CODE


@pytest.mark.django_db
def test_field_error_comes_back_in_english_too(clock):
    sms_code_send(phone=PHONE, purpose="login", ip=IP)

    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        sms_code_send(phone=PHONE, purpose="login", ip=IP)

    assert exc.value.as_dict()["field"] == "phone"
    assert exc.value.as_dict()["message"]
