import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login_client
from partsmall.accounts.tests.factories import UserFactory
from partsmall.notifications.models import Message
from partsmall.notifications.tests.factories import MessageFactory
from partsmall.notifications.views import ALL_MARKED_READ, PAGE_SIZE
from partsmall.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_inbox_needs_login(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inbox_lists_own_messages_with_tab_counts():
    user = UserFactory.create()
    MessageFactory.create(recipient=user, title="新订单")
    MessageFactory.create(recipient=user, title="旧通知", read_at=timezone.now())
    MessageFactory.create(title="别人的消息")

    response = login_client(user=user).get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert [m.title for m in response.context["page_obj"]] == ["旧通知", "新订单"]
    assert response.context["total_count"] == 2
    assert response.context["unread_total"] == 1
    assert "别人的消息" not in response.content.decode()


def test_unread_tab_shows_only_unread():
    user = UserFactory.create()
    MessageFactory.create(recipient=user, title="新订单")
    MessageFactory.create(recipient=user, title="旧通知", read_at=timezone.now())

    response = login_client(user=user).get(reverse("notifications:inbox"), {"tab": "unread"})

    assert [m.title for m in response.context["page_obj"]] == ["新订单"]
    assert response.context["tab"] == "unread"


def test_inbox_paginates():
    user = UserFactory.create()
    MessageFactory.create_batch(PAGE_SIZE + 3, recipient=user)

    response = login_client(user=user).get(reverse("notifications:inbox"), {"page": 2})

    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"]) == 3
    assert f"共 {PAGE_SIZE + 3} 条" in response.content.decode()


def test_empty_inbox_shows_empty_state():
    response = login_client(user=UserFactory.create()).get(reverse("notifications:inbox"))

    assert 'data-testid="inbox-empty"' in response.content.decode()


def test_inbox_renders_in_an_organization_workspace():
    membership = MembershipFactory.create()
    MessageFactory.create(recipient=membership.user, title="入驻审核通过")

    response = login_client(membership).get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert 'data-testid="inbox-unread"' in response.content.decode()


def test_opening_a_message_marks_it_read():
    message = MessageFactory.create(title="报价已更新")

    response = login_client(user=message.recipient).get(reverse("notifications:message", args=[message.pk]))

    assert response.status_code == 200
    assert "报价已更新" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None


def test_message_of_another_person_is_404_and_stays_unread():
    message = MessageFactory.create()

    response = login_client(user=UserFactory.create()).get(
        reverse("notifications:message", args=[message.pk])
    )

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_message_never_links_off_site():
    message = MessageFactory.create(link="https://evil.example.com/")

    response = login_client(user=message.recipient).get(reverse("notifications:message", args=[message.pk]))

    assert response.context["safe_link"] == ""
    assert "evil.example.com" not in response.content.decode()


def test_mark_all_read_marks_only_own_messages():
    user = UserFactory.create()
    MessageFactory.create_batch(2, recipient=user)
    other = MessageFactory.create()

    response = login_client(user=user).post(reverse("notifications:mark_all_read"), follow=True)

    assert response.redirect_chain == [(reverse("notifications:inbox"), 302)]
    assert str(ALL_MARKED_READ % {"count": 2}) in response.content.decode()
    assert Message.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_refuses_get():
    user = UserFactory.create()
    MessageFactory.create(recipient=user)

    response = login_client(user=user).get(reverse("notifications:mark_all_read"))

    assert response.status_code == 405
    assert Message.objects.filter(recipient=user, read_at__isnull=True).count() == 1
