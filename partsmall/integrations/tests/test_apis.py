"""API keys over the API, the key lifecycle end to end, and the platform's suspension."""

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login_client
from partsmall.integrations.apis import SESSION_ONLY
from partsmall.integrations.models import ApiKey
from partsmall.integrations.tests.factories import ApiKeyFactory, full_key
from partsmall.notifications.tests.factories import MessageFactory
from partsmall.organizations import errors
from partsmall.organizations.models import AuditLog, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def key_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


# The lifecycle of a key.


def test_a_created_key_works_once_shown_and_records_its_use(make_actors):
    actors = make_actors()

    created = actors.member_client.post(
        "/api/v1/api-keys/", {"name": "ERP", "role": Role.SALES}, content_type=JSON
    )
    key = created.json()["key"]
    answer = key_client(key).get("/api/v1/organization/")
    listed = actors.member_client.get("/api/v1/api-keys/")

    assert created.status_code == 201
    assert answer.status_code == 200
    assert answer.json()["id"] == actors.organization.pk
    api_key = ApiKey.objects.get()
    assert api_key.last_used_at is not None
    assert key.split(".", 1)[1] not in api_key.key_hash
    assert "key" not in listed.json()["results"][0]
    assert key not in listed.content.decode()


def test_a_key_acts_with_its_role_only():
    api_key = ApiKeyFactory.create(role=Role.SALES)

    read = key_client(full_key(api_key)).get("/api/v1/organization/")
    write = key_client(full_key(api_key)).patch(
        "/api/v1/organization/", {"contact_name": "机器人"}, content_type=JSON
    )

    assert read.status_code == 200
    assert write.status_code == 403
    api_key.organization.refresh_from_db()
    assert api_key.organization.contact_name != "机器人"


def test_a_revoked_key_is_401():
    api_key = ApiKeyFactory.create(revoked_at=timezone.now())

    assert key_client(full_key(api_key)).get("/api/v1/organization/").status_code == 401


def test_a_wrong_key_is_401():
    api_key = ApiKeyFactory.create()

    assert key_client(f"{api_key.prefix}.wrong").get("/api/v1/organization/").status_code == 401


def test_the_key_of_a_suspended_organization_is_401():
    api_key = ApiKeyFactory.create(organization__status=Organization.Status.SUSPENDED)

    assert key_client(full_key(api_key)).get("/api/v1/organization/").status_code == 401


def test_suspension_revokes_the_keys_and_they_stop_working(platform_org):
    operator = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)
    api_key = ApiKeyFactory.create()
    organization = api_key.organization

    response = login_client(operator).post(
        f"/api/v1/platform/organizations/{organization.pk}/suspend/",
        {"reason": "资质过期"},
        content_type=JSON,
    )
    refused = key_client(full_key(api_key)).get("/api/v1/organization/")

    assert response.status_code == 200
    assert response.json()["status"] == Organization.Status.SUSPENDED
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key.revoked_by == operator.user
    assert refused.status_code == 401


@pytest.mark.parametrize(
    "url", ["/api/v1/inbox/", "/api/v1/inbox/unread-count/", "/api/v1/memberships/", "/api/v1/applications/"]
)
def test_person_endpoints_refuse_api_keys(url):
    api_key = ApiKeyFactory.create()

    response = key_client(full_key(api_key)).get(url)

    assert response.status_code == 403


def test_inbox_read_refuses_api_keys():
    api_key = ApiKeyFactory.create()
    message = MessageFactory.create()

    response = key_client(full_key(api_key)).post(f"/api/v1/inbox/{message.pk}/read/")

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.read_at is None


# GET/POST /api/v1/api-keys/, POST /api/v1/api-keys/{id}/revoke/


def test_api_keys_list_three_actors(make_actors):
    actors = make_actors()
    mine = ApiKeyFactory.create(organization=actors.organization)
    theirs = ApiKeyFactory.create(organization=actors.other_organization)

    member = actors.member_client.get("/api/v1/api-keys/")
    colleague = actors.colleague_client.get("/api/v1/api-keys/")
    outsider = actors.outsider_client.get("/api/v1/api-keys/")

    assert [row["id"] for row in member.json()["results"]] == [mine.pk]
    assert colleague.status_code == 403
    assert [row["id"] for row in outsider.json()["results"]] == [theirs.pk]


def test_api_keys_create_three_actors(make_actors):
    actors = make_actors()
    body = {"name": "WMS", "role": Role.WAREHOUSE}

    colleague = actors.colleague_client.post("/api/v1/api-keys/", body, content_type=JSON)
    member = actors.member_client.post("/api/v1/api-keys/", body, content_type=JSON)

    assert colleague.status_code == 403
    assert member.status_code == 201
    assert ApiKey.objects.get().organization == actors.organization


def test_api_keys_create_answers_400_with_the_field(make_actors):
    actors = make_actors()

    response = actors.member_client.post(
        "/api/v1/api-keys/", {"name": "ERP", "role": Role.OWNER}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["field"] == "role"
    assert ApiKey.objects.count() == 0


def test_api_key_revoke_three_actors(make_actors):
    actors = make_actors()
    api_key = ApiKeyFactory.create(organization=actors.organization)
    url = f"/api/v1/api-keys/{api_key.pk}/revoke/"

    colleague = actors.colleague_client.post(url)
    outsider = actors.outsider_client.post(url)
    api_key.refresh_from_db()
    untouched = api_key.revoked_at
    member = actors.member_client.post(url)

    assert colleague.status_code == 403
    assert outsider.status_code == 404
    assert untouched is None
    assert member.status_code == 200
    assert member.json()["is_revoked"] is True


def test_a_key_cannot_manage_keys():
    api_key = ApiKeyFactory.create(role=Role.SALES)
    other = ApiKeyFactory.create(organization=api_key.organization)
    client = key_client(full_key(api_key))

    listed = client.get("/api/v1/api-keys/")
    created = client.post("/api/v1/api-keys/", {"name": "x", "role": Role.SALES}, content_type=JSON)
    revoked = client.post(f"/api/v1/api-keys/{other.pk}/revoke/")

    assert (listed.status_code, created.status_code, revoked.status_code) == (403, 403, 403)
    assert listed.json()["detail"] == str(SESSION_ONLY)
    assert ApiKey.objects.count() == 2
    other.refresh_from_db()
    assert other.revoked_at is None


# POST /api/v1/platform/organizations/{id}/suspend/ and /reactivate/


def test_suspend_needs_a_reason(platform_org):
    operator = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)
    api_key = ApiKeyFactory.create()

    response = login_client(operator).post(
        f"/api/v1/platform/organizations/{api_key.organization.pk}/suspend/",
        {"reason": ""},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["message"]) == ("reason", str(errors.REASON_REQUIRED))
    api_key.organization.refresh_from_db()
    assert api_key.organization.status == Organization.Status.ACTIVE
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_reactivate_keeps_revoked_keys_revoked(platform_org):
    operator = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)
    api_key = ApiKeyFactory.create(
        organization__status=Organization.Status.SUSPENDED, revoked_at=timezone.now()
    )
    organization = api_key.organization

    response = login_client(operator).post(
        f"/api/v1/platform/organizations/{organization.pk}/reactivate/",
        {"reason": "已补齐资质"},
        content_type=JSON,
    )

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE
    assert key_client(full_key(api_key)).get("/api/v1/organization/").status_code == 401


@pytest.mark.parametrize("action", ["suspend", "reactivate"])
def test_suspension_endpoints_refuse_others(action, platform_org, make_actors):
    actors = make_actors()
    reviewer = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)
    target = actors.other_organization
    url = f"/api/v1/platform/organizations/{target.pk}/{action}/"

    for membership in (actors.member, reviewer):
        response = login_client(membership).post(url, {"reason": "测试"}, content_type=JSON)
        assert response.status_code == 403

    target.refresh_from_db()
    assert target.status == Organization.Status.ACTIVE
    assert not AuditLog.objects.filter(action="organization.status").exists()


def test_suspend_of_the_platform_itself_is_404(platform_org):
    operator = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_OPERATOR)

    response = login_client(operator).post(
        f"/api/v1/platform/organizations/{platform_org.pk}/suspend/", {"reason": "x"}, content_type=JSON
    )

    assert response.status_code == 404
