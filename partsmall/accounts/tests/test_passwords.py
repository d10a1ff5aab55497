import pytest

from partsmall.accounts import services
from partsmall.accounts.services import password_change, password_reset, sms_code_send
from partsmall.accounts.tests.factories import PASSWORD, UserFactory, sent_code
from partsmall.core.errors import ApplicationError
from partsmall.core.testing import make_mobile

PHONE = make_mobile(31)
NEW_PASSWORD = "Shua-Che-2027"


@pytest.fixture
def user(db):
    return UserFactory(phone=PHONE)


def test_password_change(user):
    password_change(user=user, old_password=PASSWORD, new_password=NEW_PASSWORD)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_wrong_old_password(user):
    with pytest.raises(ApplicationError) as exc:
        password_change(user=user, old_password="not-it-at-all", new_password=NEW_PASSWORD)

    assert exc.value.field == "old_password"
    assert str(exc.value.message) == "原密码错误。"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_refuses_a_weak_password(user):
    with pytest.raises(ApplicationError) as exc:
        password_change(user=user, old_password=PASSWORD, new_password="abc")

    assert exc.value.field == "new_password"
    assert str(exc.value.message) == "密码太短，至少需要 8 个字符。"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_flow(user):
    sms_code_send(phone=PHONE, purpose="reset_password", ip=None)

    password_reset(phone=PHONE, code=sent_code(PHONE), new_password=NEW_PASSWORD, ip=None)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_refuses_a_wrong_code(user):
    sms_code_send(phone=PHONE, purpose="reset_password", ip=None)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    with pytest.raises(ApplicationError) as exc:
        password_reset(phone=PHONE, code=wrong, new_password=NEW_PASSWORD, ip=None)

    assert exc.value.field == "code"
    assert exc.value.message == services.INVALID_CODE
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_refuses_a_login_code(user):
    sms_code_send(phone=PHONE, purpose="login", ip=None)

    with pytest.raises(ApplicationError) as exc:
        password_reset(phone=PHONE, code=sent_code(PHONE), new_password=NEW_PASSWORD, ip=None)

    assert exc.value.field == "code"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_checks_the_password_before_spending_the_code(user):
    sms = sms_code_send(phone=PHONE, purpose="reset_password", ip=None)

    with pytest.raises(ApplicationError) as exc:
        password_reset(phone=PHONE, code=sent_code(PHONE), new_password="11112222", ip=None)

    assert exc.value.field == "new_password"
    sms.refresh_from_db()
    assert sms.used_at is None
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_for_an_unregistered_phone(db):
    sms_code_send(phone=PHONE, purpose="reset_password", ip=None)

    with pytest.raises(ApplicationError) as exc:
        password_reset(phone=PHONE, code=sent_code(PHONE), new_password=NEW_PASSWORD, ip=None)

    assert exc.value.field == "phone"
    assert exc.value.message == services.NO_ACCOUNT
