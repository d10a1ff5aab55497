"""The organizations REST API (apis.py): every endpoint with the three actors."""

import pytest
from django.test import Client

from conftest import login_client
from partsmall.accounts.tests.factories import UserFactory
from partsmall.core.testing import make_mobile
from partsmall.organizations import errors
from partsmall.organizations.models import Application, AuditLog, Membership, Organization
from partsmall.organizations.roles import Role
from partsmall.organizations.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganizationFactory,
    application_fields,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"


# GET/PATCH /api/v1/organization/


def test_organization_profile_three_actors(make_actors):
    actors = make_actors(role=Role.OWNER, wrong_role=Role.SALES)

    member = actors.member_client.get("/api/v1/organization/")
    colleague = actors.colleague_client.get("/api/v1/organization/")
    outsider = actors.outsider_client.get("/api/v1/organization/")

    assert member.status_code == 200
    assert member.json()["id"] == actors.organization.pk
    assert member.json()["name"] == actors.organization.name
    assert colleague.json()["id"] == actors.organization.pk
    assert outsider.json()["id"] == actors.other_organization.pk


def test_organization_update_three_actors(make_actors):
    actors = make_actors()
    body = {"contact_name": "王经理", "invoice_title": "测试汽配有限公司"}

    colleague = actors.colleague_client.patch("/api/v1/organization/", body, content_type=JSON)
    outsider = actors.outsider_client.patch(
        "/api/v1/organization/", {"contact_name": "外人"}, content_type=JSON
    )
    member = actors.member_client.patch("/api/v1/organization/", body, content_type=JSON)

    assert colleague.status_code == 403
    assert member.status_code == 200
    assert member.json()["contact_name"] == "王经理"
    actors.organization.refresh_from_db()
    assert (actors.organization.contact_name, actors.organization.invoice_title) == (
        "王经理",
        "测试汽配有限公司",
    )
    assert outsider.status_code == 200
    actors.other_organization.refresh_from_db()
    assert actors.other_organization.contact_name == "外人"


def test_organization_update_answers_400_with_the_field(make_actors):
    actors = make_actors()
    before = actors.organization.contact_name

    response = actors.member_client.patch(
        "/api/v1/organization/", {"contact_name": "", "invoice_bank_account": "abc"}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "contact_name": [str(errors.CONTACT_NAME_REQUIRED)],
        "invoice_bank_account": [str(errors.INVOICE_BANK_ACCOUNT_INVALID)],
    }
    actors.organization.refresh_from_db()
    assert actors.organization.contact_name == before


def test_organization_update_accepts_region_codes(make_actors):
    actors = make_actors()

    response = actors.member_client.patch(
        "/api/v1/organization/", {"province": "11", "city": "1101", "district": "110105"}, content_type=JSON
    )

    assert response.status_code == 200
    assert (response.json()["province"], response.json()["district"]) == ("11", "110105")


def test_organization_endpoint_needs_login():
    assert Client().get("/api/v1/organization/").status_code == 401


# GET /api/v1/memberships/


def test_memberships_lists_only_the_persons_own():
    first = MembershipFactory.create(organization__name="甲汽配")
    MembershipFactory.create(user=first.user, organization__name="乙汽修", organization__kind="repair_shop")
    MembershipFactory.create(organization__name="别人的公司")
    MembershipFactory.create(user=first.user, organization__name="已移除", is_active=False)

    response = login_client(first).get("/api/v1/memberships/")

    assert response.status_code == 200
    rows = response.json()
    assert sorted(row["organization"]["name"] for row in rows) == ["乙汽修", "甲汽配"]
    assert [row["is_current"] for row in rows if row["id"] == first.pk] == [True]


# GET/POST /api/v1/members/


def test_members_list_three_actors(make_actors):
    actors = make_actors()

    member = actors.member_client.get("/api/v1/members/")
    colleague = actors.colleague_client.get("/api/v1/members/")
    outsider = actors.outsider_client.get("/api/v1/members/")

    assert member.status_code == 200
    assert {row["id"] for row in member.json()["results"]} == {actors.member.pk, actors.colleague.pk}
    assert colleague.status_code == 403
    assert {row["id"] for row in outsider.json()["results"]} == {actors.outsider.pk}


def test_member_invite_three_actors(make_actors):
    actors = make_actors()
    body = {"phone": make_mobile(777), "name": "李仓管", "role": Role.WAREHOUSE}

    colleague = actors.colleague_client.post("/api/v1/members/", body, content_type=JSON)
    member = actors.member_client.post("/api/v1/members/", body, content_type=JSON)

    assert colleague.status_code == 403
    assert member.status_code == 201
    assert member.json()["role"] == Role.WAREHOUSE
    invited = Membership.objects.get(pk=member.json()["id"])
    assert (invited.organization, invited.user.phone) == (actors.organization, make_mobile(777))


def test_member_invite_answers_400_with_the_field(make_actors):
    actors = make_actors()
    before = Membership.objects.count()

    response = actors.member_client.post(
        "/api/v1/members/", {"phone": make_mobile(778), "role": Role.TECHNICIAN}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"role": [str(errors.ROLE_NOT_ALLOWED)]}
    assert Membership.objects.count() == before


# PATCH/DELETE /api/v1/members/{id}/


def test_member_change_role_three_actors(make_actors):
    actors = make_actors()
    target = MembershipFactory.create(organization=actors.organization, role=Role.SALES)
    url = f"/api/v1/members/{target.pk}/"

    colleague = actors.colleague_client.patch(url, {"role": Role.FINANCE}, content_type=JSON)
    outsider = actors.outsider_client.patch(url, {"role": Role.FINANCE}, content_type=JSON)
    target.refresh_from_db()
    untouched = target.role
    member = actors.member_client.patch(url, {"role": Role.WAREHOUSE}, content_type=JSON)

    assert colleague.status_code == 403
    assert outsider.status_code == 404
    assert untouched == Role.SALES
    assert member.status_code == 200
    target.refresh_from_db()
    assert target.role == Role.WAREHOUSE


def test_member_change_own_role_is_400(make_actors):
    actors = make_actors()

    response = actors.member_client.patch(
        f"/api/v1/members/{actors.member.pk}/", {"role": Role.SALES}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json() == {"code": "own_membership", "message": str(errors.OWN_ROLE), "field": "role"}
    actors.member.refresh_from_db()
    assert actors.member.role == Role.OWNER


def test_member_remove_three_actors(make_actors):
    actors = make_actors()
    target = MembershipFactory.create(organization=actors.organization, role=Role.SALES)
    url = f"/api/v1/members/{target.pk}/"

    colleague = actors.colleague_client.delete(url)
    outsider = actors.outsider_client.delete(url)
    target.refresh_from_db()
    still_active = target.is_active
    member = actors.member_client.delete(url)

    assert colleague.status_code == 403
    assert outsider.status_code == 404
    assert still_active is True
    assert member.status_code == 204
    target.refresh_from_db()
    assert target.is_active is False
    assert AuditLog.objects.filter(action="member.remove", organization=actors.organization).count() == 1


# GET/POST /api/v1/applications/ and GET /api/v1/applications/{id}/


def test_a_person_submits_an_application_with_a_licence():
    person = UserFactory.create()
    client = login_client(user=person)

    response = client.post("/api/v1/applications/", application_fields())
    listed = client.get("/api/v1/applications/")

    assert response.status_code == 201
    application = Application.objects.get(applicant=person)
    assert response.json()["id"] == application.pk
    assert response.json()["status"] == Application.Status.SUBMITTED
    assert application.organization.status == Organization.Status.PENDING
    assert application.organization.licence
    assert Membership.objects.get(user=person).role == Role.OWNER
    assert [row["id"] for row in listed.json()] == [application.pk]


def test_application_submit_answers_400_with_every_field():
    person = UserFactory.create()

    response = login_client(user=person).post(
        "/api/v1/applications/", application_fields(name="", licence="", district="")
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": [str(errors.NAME_REQUIRED)],
        "district": [str(errors.DISTRICT_REQUIRED)],
        "licence": [str(errors.LICENCE_REQUIRED)],
    }
    assert Application.objects.count() == 0
    assert Organization.objects.count() == 0


def test_applications_list_is_empty_for_someone_who_has_not_applied():
    ApplicationFactory.create()

    response = login_client(user=UserFactory.create()).get("/api/v1/applications/")

    assert response.status_code == 200
    assert response.json() == []


def _pending_actors():
    application = ApplicationFactory.create()
    owner = MembershipFactory.create(
        user=application.applicant, organization=application.organization, role=Role.OWNER
    )
    colleague = MembershipFactory.create(organization=application.organization, role=Role.FINANCE)
    other = ApplicationFactory.create()
    outsider = MembershipFactory.create(
        user=other.applicant, organization=other.organization, role=Role.OWNER
    )
    return application, owner, colleague, outsider


def test_application_detail_three_actors():
    application, owner, colleague, outsider = _pending_actors()
    url = f"/api/v1/applications/{application.pk}/"

    member = login_client(owner).get(url)
    wrong_role = login_client(colleague).get(url)
    other = login_client(outsider).get(url)

    assert member.status_code == 200
    assert member.json()["organization"]["id"] == application.organization.pk
    assert wrong_role.status_code == 403
    assert other.status_code == 404


def test_application_resubmit_after_rejection():
    application, owner, _colleague, outsider = _pending_actors()
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.REJECTED, reject_reason="执照模糊"
    )
    url = f"/api/v1/applications/{application.pk}/resubmit/"
    form = application_fields(2, kind=application.organization.kind)

    other = login_client(outsider).post(url, form)
    response = login_client(owner).post(url, application_fields(2, kind=application.organization.kind))

    assert other.status_code == 404
    assert response.status_code == 200
    application.refresh_from_db()
    assert (application.status, application.attempt) == (Application.Status.SUBMITTED, 2)
    assert application.organization.name == "广州申请汽配有限公司2"


# Platform: GET /api/v1/platform/applications/, approve, reject, organizations


def test_platform_applications_list_filters_by_status(reviewer_client):
    waiting = ApplicationFactory.create()
    ApplicationFactory.create(status=Application.Status.APPROVED)

    response = reviewer_client.get("/api/v1/platform/applications/", {"status": "submitted"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [waiting.pk]


REVIEW_URLS = [
    ("get", "/api/v1/platform/applications/"),
    ("post", "/api/v1/platform/applications/{pk}/approve/"),
    ("post", "/api/v1/platform/applications/{pk}/reject/"),
]


@pytest.mark.parametrize(("method", "url"), REVIEW_URLS)
def test_review_endpoints_refuse_non_platform_and_wrong_platform_role(method, url, platform_org):
    application = ApplicationFactory.create()
    supplier = MembershipFactory.create(role=Role.OWNER)
    platform_finance = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_FINANCE)
    target = url.format(pk=application.pk)

    for membership in (supplier, platform_finance):
        response = getattr(login_client(membership), method)(
            target, {"reason": "资料不全"}, content_type=JSON
        )
        assert response.status_code == 403

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_platform_organizations_refuse_non_platform():
    supplier = MembershipFactory.create(role=Role.OWNER)

    response = login_client(supplier).get("/api/v1/platform/organizations/")

    assert response.status_code == 403


def test_platform_approves_an_application(reviewer, reviewer_client):
    application = ApplicationFactory.create()

    response = reviewer_client.post(f"/api/v1/platform/applications/{application.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == Application.Status.APPROVED
    application.refresh_from_db()
    assert application.decided_by == reviewer.user
    assert application.organization.status == Organization.Status.ACTIVE


def test_platform_reject_needs_a_reason(reviewer_client):
    application = ApplicationFactory.create()
    url = f"/api/v1/platform/applications/{application.pk}/reject/"

    empty = reviewer_client.post(url, {"reason": " "}, content_type=JSON)
    application.refresh_from_db()
    status_after_empty = application.status
    response = reviewer_client.post(url, {"reason": "营业执照不清晰"}, content_type=JSON)

    assert empty.status_code == 400
    assert empty.json()["field"] == "reason"
    assert empty.json()["message"] == str(errors.REASON_REQUIRED)
    assert status_after_empty == Application.Status.SUBMITTED
    assert response.status_code == 200
    application.refresh_from_db()
    assert (application.status, application.reject_reason) == (Application.Status.REJECTED, "营业执照不清晰")


def test_platform_approve_of_unknown_application_is_404(reviewer_client):
    assert reviewer_client.post("/api/v1/platform/applications/999999/approve/").status_code == 404


def test_platform_organizations_list(reviewer_client, platform_org):
    supplier = OrganizationFactory.create(name="甲汽配")
    OrganizationFactory.create(name="乙汽修", kind=Organization.Kind.REPAIR_SHOP)

    response = reviewer_client.get("/api/v1/platform/organizations/", {"kind": "supplier"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [supplier.pk]
