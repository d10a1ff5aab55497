import io
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partsmall.accounts.tests.factories import UserFactory
from partsmall.core.testing import make_credit_code, make_mobile
from partsmall.organizations.models import Application, Membership, Organization
from partsmall.organizations.roles import Role


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    kind = Organization.Kind.SUPPLIER
    name = factory.Sequence(lambda n: f"测试汽配有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(50_000 + n))
    status = Organization.Status.ACTIVE
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Sequence(lambda n: f"138{n:08d}")
    address_detail = "科技路 1 号"


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OWNER


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    organization = factory.SubFactory(OrganizationFactory, status=Organization.Status.PENDING)
    applicant = factory.SubFactory(UserFactory)
    submitted_at = factory.Faker("date_time_this_month", tzinfo=__import__("datetime").UTC)
    channel = Application.Channel.FIELD_SALES


# Region codes loaded by the regions migration: 广东省 / 广州市 / 荔湾区.
PROVINCE, CITY, DISTRICT = "44", "4401", "440103"


def png_upload(name: str = "营业执照.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    """A real (tiny) PNG image, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (22, 119, 255)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "licence.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def application_fields(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """Valid keyword arguments of application_submit (without the applicant)."""
    fields: dict[str, Any] = {
        "kind": Organization.Kind.SUPPLIER,
        "name": f"广州申请汽配有限公司{n}",
        "credit_code": make_credit_code(900_000 + n),
        "licence": png_upload(),
        "province": PROVINCE,
        "city": CITY,
        "district": DISTRICT,
        "address_detail": "环市西路 1 号",
        "contact_name": "张三",
        "contact_phone": make_mobile(800_000 + n),
        "invoice_title": f"广州申请汽配有限公司{n}",
        "invoice_tax_number": make_credit_code(900_000 + n),
        "invoice_bank_name": "工商银行广州分行",
        "invoice_bank_account": "6222020200001234567",
        "invoice_address": "广州市荔湾区环市西路 1 号",
        "invoice_phone": "020-81234567",
        "channel": Application.Channel.FIELD_SALES,
        "referral_code": "",
    }
    fields.update(overrides)
    return fields


def with_licence(organization: Organization, upload: SimpleUploadedFile | None = None) -> Organization:
    upload = upload or png_upload()
    organization.licence.save(f"licence-{organization.pk}.png", ContentFile(upload.read()), save=True)
    return organization
