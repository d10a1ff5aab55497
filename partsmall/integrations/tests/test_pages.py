import pytest
from django.urls import reverse
from django.utils import timezone

from partsmall.integrations.models import ApiKey
from partsmall.integrations.services import NAME_REQUIRED, ROLE_NOT_ALLOWED, api_key_authenticate
from partsmall.integrations.tests.factories import ApiKeyFactory
from partsmall.integrations.views import KEY_REVOKED
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role

pytestmark = pytest.mark.django_db


def test_api_keys_page_three_actors(make_actors):
    actors = make_actors()
    ApiKeyFactory.create(organization=actors.organization, name="ERP 同步")
    ApiKeyFactory.create(organization=actors.other_organization, name="别家的密钥")
    url = reverse("integrations:api_keys")

    member = actors.member_client.get(url)
    colleague = actors.colleague_client.get(url)
    outsider = actors.outsider_client.get(url)

    assert member.status_code == 200
    assert [k.name for k in member.context["api_keys"]] == ["ERP 同步"]
    assert colleague.status_code == 403
    assert "ERP 同步" not in outsider.content.decode()


def test_api_keys_page_shows_status_tags_and_empty_state(make_actors):
    actors = make_actors()

    empty = actors.member_client.get(reverse("integrations:api_keys"))
    ApiKeyFactory.create(organization=actors.organization, revoked_at=timezone.now())
    listed = actors.member_client.get(reverse("integrations:api_keys"))

    assert 'data-testid="api-keys-empty"' in empty.content.decode()
    assert "pm-tag-grey" in listed.content.decode()
    assert "已吊销" in listed.content.decode()


def test_create_page_shows_the_key_once(make_actors):
    actors = make_actors()
    client = actors.member_client

    response = client.post(reverse("integrations:api_key_create"), {"name": "ERP 同步", "role": Role.SALES})

    assert response.status_code == 200
    full_key = response.context["full_key"]
    assert full_key in response.content.decode()
    assert 'data-testid="api-key-warning"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    api_key = ApiKey.objects.get()
    assert (api_key.organization, api_key.created_by) == (actors.organization, actors.member.user)
    assert api_key_authenticate(raw_key=full_key) == api_key
    assert full_key not in client.get(reverse("integrations:api_keys")).content.decode()


def test_create_page_offers_only_roles_a_key_may_have(make_actors):
    actors = make_actors(kind=Organization.Kind.REPAIR_SHOP)

    response = actors.member_client.get(reverse("integrations:api_key_create"))

    choices = [value for value, _label in response.context["form"].fields["role"].choices]
    assert choices == [Role.PURCHASER, Role.TECHNICIAN, Role.WAREHOUSE, Role.FINANCE]


def test_create_page_shows_errors_under_the_field(make_actors):
    actors = make_actors()

    response = actors.member_client.post(
        reverse("integrations:api_key_create"), {"name": "", "role": "owner"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"name": [str(NAME_REQUIRED)], "role": [str(ROLE_NOT_ALLOWED)]}
    assert 'class="invalid-feedback"' in response.content.decode()
    assert ApiKey.objects.count() == 0


def test_create_page_reports_a_service_refusal_under_the_field(make_actors, monkeypatch):
    actors = make_actors()
    monkeypatch.setattr("partsmall.integrations.forms.api_key_roles", lambda kind: [Role.OWNER])

    response = actors.member_client.post(
        reverse("integrations:api_key_create"), {"name": "ERP", "role": Role.OWNER}
    )

    assert response.context["form"].errors["role"] == [str(ROLE_NOT_ALLOWED)]
    assert ApiKey.objects.count() == 0


def test_create_page_three_actors(make_actors):
    actors = make_actors()
    url = reverse("integrations:api_key_create")
    data = {"name": "ERP", "role": Role.SALES}

    colleague = actors.colleague_client.post(url, data)
    member = actors.member_client.post(url, data)

    assert colleague.status_code == 403
    assert member.status_code == 200
    assert ApiKey.objects.get().organization == actors.organization


def test_revoke_page_three_actors(make_actors):
    actors = make_actors()
    api_key = ApiKeyFactory.create(organization=actors.organization, name="ERP 同步")
    url = reverse("integrations:api_key_revoke", args=[api_key.pk])

    colleague = actors.colleague_client.post(url)
    outsider = actors.outsider_client.post(url)
    api_key.refresh_from_db()
    untouched = api_key.revoked_at
    member = actors.member_client.post(url, follow=True)

    assert colleague.status_code == 403
    assert outsider.status_code == 404
    assert untouched is None
    assert member.redirect_chain == [(reverse("integrations:api_keys"), 302)]
    assert str(KEY_REVOKED % {"name": "ERP 同步"}) in member.content.decode()
    api_key.refresh_from_db()
    assert api_key.revoked_by == actors.member.user
