"""Acceptance: a supplier applies, is rejected, fixes and re-applies, is approved, logs in
and finds the message in its inbox and its workspace (issue 2, point 6)."""

from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from partsmall.accounts.tests.factories import PASSWORD, sent_code
from partsmall.core.testing import make_credit_code
from partsmall.organizations.models import Application, Organization
from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.e2e

PHONE = "13912340001"
SUPPLIER_PASSWORD = "Supplier@2026"
COMPANY = "佛山顺驰汽车配件有限公司"


def _licence_image(tmp_path: Path) -> Path:
    path = tmp_path / "营业执照.png"
    Image.new("RGB", (480, 320), "#f0f0f0").save(path)
    return path


def _log_in(page: Page, phone: str, password: str) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_test_id("password-login-form").get_by_label("手机号").fill(phone)
    page.get_by_test_id("password-login-form").get_by_label("密码", exact=True).fill(password)
    page.get_by_test_id("login-submit").click()


def _fill_application(page: Page, licence: Path, *, credit_code: str) -> None:
    page.get_by_label("配件厂商：发布配件、接询价、发货结算").check()
    page.get_by_label("企业名称").fill(COMPANY)
    page.get_by_label("统一社会信用代码").fill(credit_code)
    page.get_by_label("营业执照").set_input_files(licence)
    page.get_by_test_id("select-province").select_option(label="广东省")
    expect(page.get_by_test_id("select-city").locator("option", has_text="佛山市")).to_have_count(1)
    page.get_by_test_id("select-city").select_option(label="佛山市")
    expect(page.get_by_test_id("select-district").locator("option", has_text="顺德区")).to_have_count(1)
    page.get_by_test_id("select-district").select_option(label="顺德区")
    page.get_by_label("详细地址").fill("大良街道新城区德民路 8 号")
    page.get_by_label("联系人").fill("陈志强")
    page.get_by_label("联系电话").fill(PHONE)


def test_supplier_onboarding_rejected_then_approved(page, other_page, reviewer, tmp_path, screenshot):
    licence = _licence_image(tmp_path)

    # A visitor applies as a supplier, with a wrong credit code at first.
    page.goto(reverse("organizations:apply"))
    _fill_application(page, licence, credit_code="91440606ABCDEFGHIJ")
    page.get_by_test_id("account-card").get_by_label("手机号").fill(PHONE)
    page.get_by_test_id("sms-send-apply").click()
    expect(page.locator("#id_code_feedback")).not_to_be_empty()
    page.get_by_label("短信验证码").fill(sent_code(PHONE))
    page.get_by_label("登录密码").fill(SUPPLIER_PASSWORD)
    page.get_by_label("您的姓名").fill("陈志强")
    page.locator("#id_accept_terms").check()
    page.get_by_test_id("apply-submit").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("统一社会信用代码无效")
    screenshot("onboarding-01-field-error")
    assert not Organization.objects.filter(name=COMPANY).exists()

    # Fixed: the file is chosen again, the code typed right.
    good_code = make_credit_code(880_001, region="440606")
    page.get_by_label("统一社会信用代码").fill(good_code)
    page.get_by_label("营业执照").set_input_files(licence)
    page.get_by_label("登录密码").fill(SUPPLIER_PASSWORD)
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("application-steps")).to_be_visible()
    screenshot("onboarding-02-submitted")
    application = Application.objects.get(organization__name=COMPANY)
    assert application.status == Application.Status.SUBMITTED

    # The reviewer rejects it with a reason.
    reviewer_page = other_page()
    _log_in(reviewer_page, reviewer.user.phone, PASSWORD)
    reviewer_page.goto(reverse("organizations:review_queue"))
    reviewer_page.get_by_test_id(f"application-row-{application.pk}").get_by_role("link").first.click()
    reviewer_page.get_by_test_id("reject-form").get_by_label("驳回原因").fill(
        "营业执照照片不清晰，请上传清晰的彩色扫描件"
    )
    save_screenshot(reviewer_page, "onboarding-03-review")
    reviewer_page.get_by_test_id("reject-submit").click()
    expect(reviewer_page.get_by_test_id("reject-reason")).to_contain_text("营业执照照片不清晰")

    # The applicant sees the reason, fixes the application and submits it again.
    page.goto(reverse("organizations:application_status"))
    expect(page.get_by_test_id("reject-reason")).to_contain_text("营业执照照片不清晰")
    screenshot("onboarding-04-rejected")
    page.get_by_test_id("application-edit").click()
    page.get_by_label("营业执照").set_input_files(licence)
    page.get_by_label("详细地址").fill("大良街道新城区德民路 8 号 3 楼")
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("application-steps")).to_be_visible()
    application.refresh_from_db()
    assert (application.status, application.attempt) == (Application.Status.SUBMITTED, 2)

    # The reviewer approves.
    reviewer_page.goto(reverse("organizations:review_detail", args=[application.pk]))
    reviewer_page.get_by_test_id("approve").click()
    expect(reviewer_page.locator(".alert-success")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.organization.status == Organization.Status.ACTIVE

    # The supplier logs in afresh: the message waits in its inbox, the workspace is open.
    supplier_page = other_page()
    _log_in(supplier_page, PHONE, SUPPLIER_PASSWORD)
    expect(supplier_page.get_by_test_id("sidebar")).to_be_visible()
    expect(supplier_page.get_by_test_id("inbox-unread")).to_have_text("2")
    save_screenshot(supplier_page, "onboarding-05-workspace")
    supplier_page.get_by_test_id("inbox-link").click()
    expect(supplier_page.get_by_test_id("inbox-table")).to_contain_text("入驻申请已通过")
    expect(supplier_page.get_by_test_id("inbox-table")).to_contain_text("入驻申请被驳回")
    save_screenshot(supplier_page, "onboarding-06-inbox")
