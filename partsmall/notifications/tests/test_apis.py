import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from partsmall.accounts.tests.factories import UserFactory
from partsmall.notifications.models import Message
from partsmall.notifications.tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_inbox_api_lists_own_messages():
    user = UserFactory.create()
    mine = MessageFactory.create(recipient=user, title="新询价")
    MessageFactory.create(title="别人的消息")

    response = api_client(user).get("/api/v1/inbox/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["id"] == mine.pk
    assert response.json()["results"][0]["is_read"] is False


def test_inbox_api_filters_unread():
    user = UserFactory.create()
    unread = MessageFactory.create(recipient=user)
    MessageFactory.create(recipient=user, read_at=timezone.now())

    response = api_client(user).get("/api/v1/inbox/", {"unread": "1"})

    assert [row["id"] for row in response.json()["results"]] == [unread.pk]


def test_inbox_api_needs_login():
    response = APIClient().get("/api/v1/inbox/")

    assert response.status_code == 401


def test_mark_one_read():
    message = MessageFactory.create()

    response = api_client(message.recipient).post(f"/api/v1/inbox/{message.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    message.refresh_from_db()
    assert message.read_at is not None


def test_mark_read_of_another_persons_message_is_404():
    message = MessageFactory.create()

    response = api_client(UserFactory.create()).post(f"/api/v1/inbox/{message.pk}/read/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_read_all_and_unread_count():
    user = UserFactory.create()
    MessageFactory.create_batch(3, recipient=user)
    other = MessageFactory.create()
    client = api_client(user)

    before = client.get("/api/v1/inbox/unread-count/").json()
    marked = client.post("/api/v1/inbox/read-all/").json()
    after = client.get("/api/v1/inbox/unread-count/").json()

    assert before == {"unread": 3}
    assert marked == {"marked_read": 3}
    assert after == {"unread": 0}
    assert Message.objects.get(pk=other.pk).read_at is None
