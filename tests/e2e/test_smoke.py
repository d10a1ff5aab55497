import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partsmall.organizations.models import Region

pytestmark = pytest.mark.e2e


def test_the_login_page_renders_in_chinese_and_switches_to_english(page, screenshot):
    page.goto(reverse("accounts:login"))

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile("^登录 · "))
    expect(page.get_by_role("heading", level=1)).to_contain_text("汽配商城")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    expect(page.get_by_test_id("lang-switch")).to_have_text("English")
    screenshot("login-zh")

    page.get_by_test_id("lang-switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("lang-switch")).to_have_text("中文")
    expect(page).to_have_title(re.compile("^Log in · "))
    expect(page.get_by_test_id("tab-password")).to_have_text("Password login")
    expect(page.get_by_role("button", name="Log in", exact=True)).to_be_visible()
    screenshot("login-en")


def test_data_migrations_survive_between_end_to_end_tests(page):
    page.goto(reverse("accounts:login"))

    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 34
