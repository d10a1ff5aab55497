import json
from unittest.mock import patch

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from partsmall.accounts.captcha import SESSION_KEY as CAPTCHA_SESSION_KEY
from partsmall.accounts.models import Consent, LoginAttempt, SmsCode, User
from partsmall.accounts.tests.factories import PASSWORD, UserFactory, sent_code
from partsmall.core.legal import PRIVACY_POLICY_VERSION, USER_AGREEMENT_VERSION
from partsmall.core.testing import make_mobile

PHONE = make_mobile(41)
NEW_PASSWORD = "Bao-Yang-5566"
HTMX = {"HTTP_HX_REQUEST": "true"}
LOGIN = "/accounts/login/"


def logged_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def user(db):
    return UserFactory(phone=PHONE)


def test_login_page_offers_both_ways_and_the_links(db, client):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="tab-password"' in html
    assert "密码登录" in html
    assert "验证码登录" in html
    assert "车主注册" in html
    assert reverse("accounts:register") in html
    assert 'data-testid="apply-link"' in html
    assert 'href="/dev/inbox/"' in html
    assert 'data-testid="captcha-block"' not in html


def test_login_page_hides_the_developer_inbox_when_disabled(db, client, settings):
    settings.DEVELOPER_INBOX_ENABLED = False

    response = client.get(reverse("accounts:login"))

    assert "/dev/inbox/" not in response.content.decode()


def test_login_by_password_through_the_page(user, client):
    response = client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:home")
    assert logged_in_as(client) == str(user.pk)


def test_login_goes_to_next_but_never_off_site(user, client):
    inside = client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD, "next": "/inbox/"})
    client.logout()
    outside = client.post(
        LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert inside["Location"] == "/inbox/"
    assert outside["Location"] == reverse("organizations:home")


def test_wrong_password_shows_the_error_and_does_not_log_in(user, client):
    response = client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": "not-the-password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="invalid-feedback" data-testid="error-password">手机号或密码错误。</div>' in html
    assert logged_in_as(client) is None


def test_missing_phone_is_a_field_error(db, client):
    response = client.post(LOGIN, {"mode": "password", "phone": "", "password": "x"})

    assert 'data-testid="error-phone">该字段是必填项。</div>' in response.content.decode()


def test_captcha_appears_after_three_failures_and_is_checked(user, client):
    for _ in range(3):
        client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": "not-the-password"})

    page = client.get(LOGIN)
    without = client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD})
    with patch("partsmall.accounts.captcha.secrets.choice", return_value="K"):
        image = client.get(reverse("accounts:captcha"))
    wrong_answer = client.post(
        LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD, "captcha": "AAAA"}
    )
    with patch("partsmall.accounts.captcha.secrets.choice", return_value="K"):
        client.get(reverse("accounts:captcha"))
    right_answer = client.post(
        LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD, "captcha": "kkkk"}
    )

    assert 'data-testid="captcha-block"' in page.content.decode()
    assert 'data-testid="error-captcha">请正确输入图形验证码。</div>' in without.content.decode()
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert 'data-testid="error-captcha">请正确输入图形验证码。</div>' in wrong_answer.content.decode()
    assert right_answer.status_code == 302
    assert logged_in_as(client) == str(user.pk)


def test_captcha_answer_is_kept_hashed_and_used_once(db, client):
    with patch("partsmall.accounts.captcha.secrets.choice", return_value="K"):
        response = client.get(reverse("accounts:captcha"))

    stored = client.session[CAPTCHA_SESSION_KEY]
    assert response["Cache-Control"].startswith("max-age=0")
    assert "KKKK" not in stored
    assert len(stored) == 64


def test_lock_out_message_on_the_page(user, client, settings):
    settings.LOGIN_CAPTCHA_AFTER_FAILURES = 10
    for _ in range(5):
        client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": "not-the-password"})

    response = client.post(LOGIN, {"mode": "password", "phone": PHONE, "password": PASSWORD})

    assert 'data-testid="form-error"><div>登录失败次数过多，请在 15 分钟后' in response.content.decode()
    assert logged_in_as(client) is None


def test_sms_code_button_sends_a_code_and_starts_the_countdown(user, client):
    response = client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, **HTMX)

    assert response.status_code == 200
    assert "验证码已发送至 139****0041，5 分钟内有效。" in response.content.decode()
    assert json.loads(response["HX-Trigger"]) == {"pm:sms-countdown": {"seconds": 60}}
    assert SmsCode.objects.filter(phone=PHONE, purpose="login").count() == 1


def test_sms_code_button_asked_again_answers_a_phone_error(user, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, **HTMX)

    response = client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="phone"' in html
    assert "验证码发送太频繁，请" in html
    assert "pm:sms-countdown" in response["HX-Trigger"]
    assert SmsCode.objects.count() == 1


def test_sms_code_button_refuses_an_invalid_phone(db, client):
    response = client.post(reverse("accounts:sms_code"), {"phone": "123", "purpose": "login"}, **HTMX)

    assert (
        'data-field="phone">手机号格式不正确，请输入 11 位中国大陆手机号。</div>' in response.content.decode()
    )
    assert "HX-Trigger" not in response
    assert SmsCode.objects.count() == 0


def test_sms_code_without_htmx_redirects_back_with_a_message(user, client):
    response = client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "验证码已发送至 139****0041" in response.content.decode()


def test_sms_code_endpoint_only_takes_post(db, client):
    assert client.get(reverse("accounts:sms_code")).status_code == 405


def test_login_by_sms_code_through_the_page(user, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, **HTMX)

    response = client.post(LOGIN, {"mode": "sms", "phone": PHONE, "code": sent_code(PHONE)})

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:home")
    assert logged_in_as(client) == str(user.pk)


def test_login_by_wrong_sms_code_shows_the_error_on_the_sms_tab(user, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "login"}, **HTMX)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    response = client.post(LOGIN, {"mode": "sms", "phone": PHONE, "code": wrong})

    html = response.content.decode()
    assert 'data-testid="error-code">验证码错误。</div>' in html
    assert 'class="tab-pane fade show active" id="tab-sms"' in html
    assert logged_in_as(client) is None


def test_logout_needs_post(user, client):
    client.force_login(user)

    refused = client.get(reverse("accounts:logout"))
    response = client.post(reverse("accounts:logout"), follow=True)

    assert refused.status_code == 405
    assert response.redirect_chain == [(LOGIN, 302)]
    assert "您已退出登录。" in response.content.decode()
    assert logged_in_as(client) is None


def register_data(**overrides):
    data = {
        "phone": PHONE,
        "code": "123456",
        "name": "李四",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_register_through_the_page(db, client):
    page = client.get(reverse("accounts:register"))
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "register"}, **HTMX)

    response = client.post(reverse("accounts:register"), register_data(code=sent_code(PHONE)))

    assert 'href="/legal/privacy/"' in page.content.decode()
    assert 'href="/legal/terms/"' in page.content.decode()
    assert response["Location"] == reverse("organizations:home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["注册成功，欢迎加入汽配商城。"]
    user = User.objects.get(phone=PHONE)
    assert user.name == "李四"
    assert logged_in_as(client) == str(user.pk)
    assert set(Consent.objects.filter(user=user).values_list("document", "version")) == {
        ("privacy", PRIVACY_POLICY_VERSION),
        ("terms", USER_AGREEMENT_VERSION),
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "1234"}, "phone", "手机号格式不正确，请输入 11 位中国大陆手机号。"),
        ({"accept_terms": ""}, "accept_terms", "请阅读并同意《隐私政策》和《用户协议》。"),
        ({"password2": "Something-Else-1"}, "password2", "两次输入的密码不一致。"),
        ({"code": "999999x"}, "code", "确保该变量包含不超过 6 字符 (目前字符数 7)。"),
    ],
)
def test_register_page_shows_field_errors_and_saves_nothing(db, client, overrides, field, message):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "register"}, **HTMX)

    response = client.post(
        reverse("accounts:register"), register_data(**{"code": sent_code(PHONE), **overrides})
    )

    assert response.status_code == 200
    assert f'data-testid="error-{field}">{message}</div>' in response.content.decode()
    assert User.objects.count() == 0
    assert Consent.objects.count() == 0


def test_register_page_refuses_a_registered_phone(user, client):
    response = client.post(reverse("accounts:register"), register_data(code="123456"))

    assert 'data-testid="error-phone">该手机号已注册，请直接登录。</div>' in response.content.decode()
    assert User.objects.count() == 1


def test_register_page_refuses_a_wrong_code(db, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "register"}, **HTMX)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"

    response = client.post(reverse("accounts:register"), register_data(code=wrong))

    assert 'data-testid="error-code">验证码错误。</div>' in response.content.decode()
    assert User.objects.count() == 0


def test_field_error_comes_back_under_accept_language_en(db, client):
    response = client.post(
        reverse("accounts:register"), register_data(phone="1234"), HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert '<html lang="en">' in html
    start = html.index('data-testid="error-phone">') + len('data-testid="error-phone">')
    assert html[start : html.index("</div>", start)].strip()
    assert User.objects.count() == 0


def test_password_reset_through_the_page(user, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "reset_password"}, **HTMX)
    data = {"phone": PHONE, "code": sent_code(PHONE), "new_password": NEW_PASSWORD, "password2": NEW_PASSWORD}

    response = client.post(reverse("accounts:password_reset"), data, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "密码已重置，请使用新密码登录。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_page_with_a_wrong_code_changes_nothing(user, client):
    client.post(reverse("accounts:sms_code"), {"phone": PHONE, "purpose": "reset_password"}, **HTMX)
    wrong = "000000" if sent_code(PHONE) != "000000" else "111111"
    data = {"phone": PHONE, "code": wrong, "new_password": NEW_PASSWORD, "password2": NEW_PASSWORD}

    response = client.post(reverse("accounts:password_reset"), data)

    assert 'data-testid="error-code">验证码错误。</div>' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_needs_login(db, client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/accounts/password/"


def test_password_change_through_the_page_keeps_the_session(user, client):
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "password2": NEW_PASSWORD}

    page = client.get(reverse("accounts:password_change"))
    response = client.post(reverse("accounts:password_change"), data, follow=True)

    assert page.status_code == 200
    assert "密码已修改，下次请使用新密码登录。" in response.content.decode()
    assert logged_in_as(client) == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_old_password(user, client):
    client.force_login(user)
    data = {"old_password": "not-it-at-all", "new_password": NEW_PASSWORD, "password2": NEW_PASSWORD}

    response = client.post(reverse("accounts:password_change"), data)

    assert 'data-testid="error-old_password">原密码错误。</div>' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_client_ip_ignores_x_forwarded_for_unless_trusted(user, client, settings):
    client.post(
        LOGIN,
        {"mode": "password", "phone": PHONE, "password": "not-the-password"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    settings.TRUST_X_FORWARDED_FOR = True
    client.post(
        LOGIN,
        {"mode": "password", "phone": PHONE, "password": "not-the-password"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1",
    )

    assert list(LoginAttempt.objects.order_by("id").values_list("ip", flat=True)) == [
        "203.0.113.5",
        "198.51.100.1",
    ]
