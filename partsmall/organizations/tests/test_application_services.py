import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partsmall.accounts.models import User
from partsmall.accounts.services import INVALID_CODE, sms_code_send
from partsmall.accounts.tests.factories import UserFactory, sent_code
from partsmall.core.errors import ApplicationError, FieldErrors
from partsmall.core.testing import make_credit_code, make_mobile
from partsmall.notifications.models import Message
from partsmall.organizations import errors
from partsmall.organizations.models import (
    Application,
    ApplicationEvent,
    AuditLog,
    Membership,
    Organization,
    OrganizationEvent,
)
from partsmall.organizations.roles import Role
from partsmall.organizations.services import (
    application_approve,
    application_register_and_submit,
    application_reject,
    application_resubmit,
    application_submit,
    application_transition,
)
from partsmall.organizations.tests.factories import (
    CITY,
    DISTRICT,
    PROVINCE,
    MembershipFactory,
    OrganizationFactory,
    application_fields,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db

INVALID_CREDIT_CODE = "统一社会信用代码无效：应为 18 位，且校验位正确。"
INVALID_PHONE = "手机号格式不正确，请输入 11 位中国大陆手机号。"


def _nothing_saved() -> None:
    assert Organization.objects.filter(status=Organization.Status.PENDING).count() == 0
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0
    assert Membership.objects.filter(role=Role.OWNER, organization__status="pending").count() == 0


def _refusal(applicant: User, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(FieldErrors) as caught:
        application_submit(applicant=applicant, **application_fields(**overrides))
    return caught.value.errors


def test_submit_creates_pending_organization_owner_application_and_event():
    applicant = UserFactory.create()

    application = application_submit(applicant=applicant, **application_fields(1))

    org = application.organization
    assert org.status == Organization.Status.PENDING
    assert org.kind == Organization.Kind.SUPPLIER
    assert org.credit_code == make_credit_code(900_001)
    assert (org.province_id, org.city_id, org.district_id) == (PROVINCE, CITY, DISTRICT)
    assert org.contact_phone == make_mobile(800_001)
    assert re.fullmatch(r"licences/\d{4}/\d{2}/[0-9a-f]{32}\.png", org.licence.name)
    assert application.status == Application.Status.SUBMITTED
    assert application.applicant == applicant
    assert application.channel == Application.Channel.FIELD_SALES
    assert application.attempt == 1
    membership = Membership.objects.get(organization=org)
    assert (membership.user, membership.role, membership.is_active) == (applicant, Role.OWNER, True)
    events = list(application.events.values_list("from_status", "to_status", "actor"))
    assert events == [("", Application.Status.SUBMITTED, applicant.pk)]


def test_submit_accepts_a_pdf_licence_and_normalises_inputs():
    application = application_submit(
        applicant=UserFactory.create(),
        **application_fields(
            2,
            licence=pdf_upload(),
            credit_code=" " + make_credit_code(900_002).lower() + " ",
            contact_phone="+86 139-0080-0002",
        ),
    )

    assert application.organization.licence.name.endswith(".pdf")
    assert application.organization.credit_code == make_credit_code(900_002)
    assert application.organization.contact_phone == "13900800002"


def test_submit_refuses_a_credit_code_already_applied_for_or_admitted():
    OrganizationFactory.create(credit_code=make_credit_code(900_001), status=Organization.Status.ACTIVE)
    applicant = UserFactory.create()

    found = _refusal(applicant)

    assert found == {"credit_code": [str(errors.DUPLICATE_CREDIT_CODE)]}
    assert str(errors.DUPLICATE_CREDIT_CODE) == "该统一社会信用代码已提交入驻申请或已入驻。"
    _nothing_saved()


def test_submit_accepts_the_credit_code_of_a_rejected_organization():
    OrganizationFactory.create(credit_code=make_credit_code(900_001), status=Organization.Status.REJECTED)

    application = application_submit(applicant=UserFactory.create(), **application_fields(1))

    assert application.organization.credit_code == make_credit_code(900_001)


def test_submit_refuses_a_missing_licence():
    assert _refusal(UserFactory.create(), licence=None) == {"licence": [str(errors.LICENCE_REQUIRED)]}
    _nothing_saved()


def test_submit_refuses_a_licence_that_is_no_image_or_pdf():
    fake = SimpleUploadedFile("licence.png", b"MZ\x90\x00 not an image", content_type="image/png")

    assert _refusal(UserFactory.create(), licence=fake) == {"licence": [str(errors.LICENCE_BAD_TYPE)]}
    _nothing_saved()


def test_submit_refuses_a_licence_over_5_mb():
    big = SimpleUploadedFile(
        "licence.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )

    assert _refusal(UserFactory.create(), licence=big) == {"licence": [str(errors.LICENCE_TOO_LARGE)]}
    _nothing_saved()


def test_submit_refuses_an_invalid_credit_code():
    assert _refusal(UserFactory.create(), credit_code="91110105123456789X") == {
        "credit_code": [INVALID_CREDIT_CODE]
    }
    _nothing_saved()


def test_submit_refuses_an_invalid_contact_phone():
    assert _refusal(UserFactory.create(), contact_phone="12345") == {"contact_phone": [INVALID_PHONE]}
    _nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"province": ""}, {"province": [str(errors.PROVINCE_REQUIRED)]}),
        ({"city": ""}, {"city": [str(errors.CITY_REQUIRED)]}),
        ({"district": ""}, {"district": [str(errors.DISTRICT_REQUIRED)]}),
        ({"city": "1101", "district": "110105"}, {"city": [str(errors.CITY_NOT_IN_PROVINCE)]}),
        ({"district": "110105"}, {"district": [str(errors.DISTRICT_NOT_IN_CITY)]}),
        ({"district": "999999"}, {"district": [str(errors.REGION_UNKNOWN)]}),
        ({"province": "4401"}, {"province": [str(errors.REGION_UNKNOWN)], "city": []}),
    ],
)
def test_submit_refuses_an_inconsistent_region_chain(overrides, expected):
    found = _refusal(UserFactory.create(), **overrides)

    assert dict(found.items()) == {k: v for k, v in expected.items() if v}
    _nothing_saved()


def test_submit_needs_no_district_for_a_city_without_districts():
    application = application_submit(
        applicant=UserFactory.create(), **application_fields(3, city="4419", district="")
    )

    assert application.organization.city_id == "4419"
    assert application.organization.district is None


def test_submit_reports_every_wrong_field_at_once():
    found = _refusal(
        UserFactory.create(),
        kind="platform",
        name="",
        credit_code="",
        licence=None,
        address_detail="",
        contact_name="",
        contact_phone="",
        invoice_tax_number="abc",
        invoice_bank_account="12ab",
        channel="tv",
        referral_code="!",
    )

    assert sorted(found) == [
        "address_detail",
        "channel",
        "contact_name",
        "contact_phone",
        "credit_code",
        "invoice_bank_account",
        "invoice_tax_number",
        "kind",
        "licence",
        "name",
        "referral_code",
    ]
    assert found["kind"] == [str(errors.KIND_REQUIRED)]
    assert found["name"] == [str(errors.NAME_REQUIRED)]
    _nothing_saved()


def test_submit_refuses_an_applicant_with_an_open_application():
    applicant = UserFactory.create()
    first = application_submit(applicant=applicant, **application_fields(1))

    with pytest.raises(ApplicationError) as caught:
        application_submit(applicant=applicant, **application_fields(2))

    assert caught.value.message == errors.OPEN_APPLICATION_EXISTS
    assert list(Application.objects.all()) == [first]
    assert Organization.objects.filter(status=Organization.Status.PENDING).count() == 1


def test_reject_resubmit_approve_writes_events_and_inbox_messages(reviewer):
    applicant = UserFactory.create()
    application = application_submit(applicant=applicant, **application_fields(1))

    application = application_reject(application=application, by=reviewer.user, reason="营业执照不清晰")

    assert application.status == Application.Status.REJECTED
    assert application.reject_reason == "营业执照不清晰"
    assert application.decided_by == reviewer.user
    assert application.organization.status == Organization.Status.PENDING
    rejected = Message.objects.get(recipient=applicant)
    assert rejected.title == "入驻申请被驳回：营业执照不清晰"
    assert rejected.link == "/application/"

    application = application_resubmit(
        application=application,
        by=applicant,
        **application_fields(1, licence=pdf_upload(), name="广州申请汽配有限公司（新）"),
    )

    assert application.status == Application.Status.SUBMITTED
    assert application.attempt == 2
    assert application.reject_reason == ""
    assert application.decided_at is None
    application.organization.refresh_from_db()
    assert application.organization.name == "广州申请汽配有限公司（新）"
    assert application.organization.licence.name.endswith(".pdf")

    application = application_approve(application=application, by=reviewer.user)

    assert application.status == Application.Status.APPROVED
    org = Organization.objects.get(pk=application.organization_id)
    assert org.status == Organization.Status.ACTIVE
    assert list(application.events.values_list("from_status", "to_status", "reason")) == [
        ("", "submitted", ""),
        ("submitted", "rejected", "营业执照不清晰"),
        ("rejected", "submitted", ""),
        ("submitted", "approved", ""),
    ]
    assert list(
        OrganizationEvent.objects.filter(organization=org).values_list("from_status", "to_status")
    ) == [("pending", "active")]
    assert AuditLog.objects.filter(organization=org, action="organization.status").count() == 1
    titles = list(Message.objects.filter(recipient=applicant).order_by("id").values_list("title", flat=True))
    assert titles == ["入驻申请被驳回：营业执照不清晰", "入驻申请已通过"]


def test_resubmit_keeps_the_licence_when_none_is_uploaded(reviewer):
    applicant = UserFactory.create()
    application = application_submit(applicant=applicant, **application_fields(1))
    licence_name = application.organization.licence.name
    application = application_reject(application=application, by=reviewer.user, reason="地址不详")

    application = application_resubmit(
        application=application, by=applicant, **application_fields(1, licence=None)
    )

    application.organization.refresh_from_db()
    assert application.organization.licence.name == licence_name
    assert application.status == Application.Status.SUBMITTED


def test_resubmit_refuses_an_application_that_is_not_rejected():
    applicant = UserFactory.create()
    application = application_submit(applicant=applicant, **application_fields(1))

    with pytest.raises(ApplicationError) as caught:
        application_resubmit(application=application, by=applicant, **application_fields(1, name="改名"))

    assert caught.value.message == errors.NOT_REJECTED
    application.organization.refresh_from_db()
    assert application.organization.name == "广州申请汽配有限公司1"
    assert application.events.count() == 1


def test_resubmit_validates_like_submit_and_saves_nothing(reviewer):
    applicant = UserFactory.create()
    application = application_submit(applicant=applicant, **application_fields(1))
    application_reject(application=application, by=reviewer.user, reason="信息有误")
    OrganizationFactory.create(credit_code=make_credit_code(123))

    with pytest.raises(FieldErrors) as caught:
        application_resubmit(
            application=application, by=applicant, **application_fields(1, credit_code=make_credit_code(123))
        )

    assert caught.value.errors == {"credit_code": [str(errors.DUPLICATE_CREDIT_CODE)]}
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.organization.credit_code == make_credit_code(900_001)


def test_reject_needs_a_reason(reviewer):
    application = application_submit(applicant=UserFactory.create(), **application_fields(1))

    with pytest.raises(ApplicationError) as caught:
        application_reject(application=application, by=reviewer.user, reason="  ")

    assert (caught.value.message, caught.value.field) == (errors.REASON_REQUIRED, "reason")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert Message.objects.count() == 0


@pytest.mark.parametrize("to_status", [Application.Status.APPROVED, Application.Status.REJECTED])
def test_an_approved_application_cannot_change_again(reviewer, to_status):
    application = application_submit(applicant=UserFactory.create(), **application_fields(1))
    application_approve(application=application, by=reviewer.user)

    with pytest.raises(ApplicationError) as caught:
        application_transition(application=application, to_status=to_status, by=reviewer.user, reason="x")

    assert caught.value.code == "illegal_transition"
    assert str(caught.value.message) == f"入驻申请当前为「已通过」，不能变更为「{to_status.label}」。"
    assert application.events.count() == 2


def test_nobody_reviews_their_own_application(platform_org):
    reviewer = MembershipFactory.create(organization=platform_org, role=Role.PLATFORM_REVIEWER)
    application = application_submit(applicant=reviewer.user, **application_fields(1))

    with pytest.raises(ApplicationError) as caught:
        application_approve(application=application, by=reviewer.user)

    assert caught.value.message == errors.SELF_REVIEW
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.organization.status == Organization.Status.PENDING


def test_a_member_of_the_applying_organization_cannot_review_it(platform_org):
    application = application_submit(applicant=UserFactory.create(), **application_fields(1))
    colleague = MembershipFactory.create(organization=application.organization, role=Role.FINANCE)

    with pytest.raises(ApplicationError) as caught:
        application_reject(application=application, by=colleague.user, reason="不行")

    assert caught.value.message == errors.SELF_REVIEW
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def _sms_code(phone: str) -> str:
    sms_code_send(phone=phone, purpose="apply", ip="127.0.0.1")
    return sent_code(phone)


def test_a_visitor_registers_and_applies_in_one_step():
    phone = make_mobile(700_001)
    code = _sms_code(phone)

    application = application_register_and_submit(
        phone=phone,
        code=code,
        password="Parts-Mall-2026",
        person_name="李四",
        accept_terms=True,
        ip="127.0.0.1",
        **application_fields(1),
    )

    applicant = User.objects.get(phone=phone)
    assert application.applicant == applicant
    assert applicant.check_password("Parts-Mall-2026")
    assert Membership.objects.get(organization=application.organization).user == applicant


def test_a_visitor_with_a_wrong_code_gets_the_code_error_and_nothing_is_saved():
    phone = make_mobile(700_002)
    _sms_code(phone)

    with pytest.raises(FieldErrors) as caught:
        application_register_and_submit(
            phone=phone,
            code="000000",
            password="Parts-Mall-2026",
            accept_terms=True,
            ip="127.0.0.1",
            **application_fields(1),
        )

    assert caught.value.errors == {"code": [str(INVALID_CODE)]}
    assert not User.objects.filter(phone=phone).exists()
    _nothing_saved()


def test_a_visitor_with_wrong_organization_fields_keeps_the_sms_code_unspent():
    phone = make_mobile(700_003)
    code = _sms_code(phone)

    with pytest.raises(FieldErrors) as caught:
        application_register_and_submit(
            phone=phone,
            code=code,
            password="Parts-Mall-2026",
            accept_terms=True,
            ip="127.0.0.1",
            **application_fields(1, licence=None),
        )

    assert caught.value.errors == {"licence": [str(errors.LICENCE_REQUIRED)]}
    assert not User.objects.filter(phone=phone).exists()
    application = application_register_and_submit(
        phone=phone,
        code=code,
        password="Parts-Mall-2026",
        accept_terms=True,
        ip="127.0.0.1",
        **application_fields(1, licence=png_upload()),
    )
    assert application.applicant.phone == phone
