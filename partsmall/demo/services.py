"""Loads the demo data set (data.py) so `make run` opens on a populated platform.

The loader writes rows directly through the ORM rather than through the onboarding
services: it sets up a past (applications decided weeks ago, one rejected once) that the
services, which only move forward from now, cannot produce.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from partsmall.accounts.models import User
from partsmall.accounts.services import consent_record
from partsmall.core.errors import ApplicationError
from partsmall.core.testing import make_credit_code
from partsmall.demo import data
from partsmall.demo.catalog_data import catalog_load
from partsmall.demo.data import DemoOrganization
from partsmall.demo.inventory_data import inventory_load
from partsmall.demo.orders_data import orders_load
from partsmall.demo.pricing_data import pricing_load
from partsmall.notifications.models import Message
from partsmall.organizations.models import (
    Application,
    ApplicationEvent,
    Membership,
    Organization,
    OrganizationEvent,
    Region,
)
from partsmall.organizations.roles import Role

DEMO_ALREADY_LOADED = _("演示数据已加载过（演示手机号已注册），不再重复加载。")
REGION_MISSING = _("找不到演示地址所在的行政区划“%(place)s”，请先运行 manage.py migrate。")

M = TypeVar("M", bound=Model)
PhoneOf = Callable[[int], str]

_CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@dataclass(frozen=True)
class LoadedOrganization:
    organization: Organization
    members: dict[str, User]

    @property
    def owner(self) -> User:
        return self.members[Role.OWNER]


@dataclass
class _Context:
    now: datetime
    password_hash: str
    people: int = 0

    def next_name(self) -> str:
        self.people += 1
        return data.person_name(self.people)


def _saved(obj: M) -> M:
    obj.full_clean()
    obj.save()
    return obj


def _backdate(model: type[Model], pk: int, **fields: datetime) -> None:
    """Sets auto_now_add timestamps to the demo's past (save() would overwrite them)."""
    model._default_manager.filter(pk=pk).update(**fields)


def _backdate_members(org: Organization, *, owner_at: datetime, others_at: datetime) -> None:
    """People join with their organization: the owner applied, colleagues were invited later."""
    members = Membership.objects.filter(organization=org)
    for memberships, at in (
        (members.filter(role=Role.OWNER), owner_at),
        (members.exclude(role=Role.OWNER), others_at),
    ):
        memberships.update(created_at=at)
        User.objects.filter(pk__in=memberships.values("user")).update(date_joined=at)


def _link(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _all_phones() -> list[str]:
    phones = [data.platform_phone(i) for i in range(1, len(data.PLATFORM_ROLES) + 1)]
    for n in range(1, len(data.SUPPLIERS) + 1):
        phones += [data.supplier_phone(n, r) for r in range(1, len(data.SUPPLIER_ROLES) + 1)]
    for n in range(1, len(data.SHOPS) + 1):
        phones += [data.shop_phone(n, r) for r in range(1, len(data.SHOP_ROLES) + 1)]
    phones += [data.car_owner_phone(n) for n in range(1, data.CAR_OWNER_COUNT + 1)]
    phones += [data.applicant_phone(1), data.applicant_phone(2)]
    return phones


def _region(name: str, level: str, parent: Region | None, place: str) -> Region:
    found = Region.objects.filter(name=name, level=level, parent=parent).first()
    if found is None:
        raise ApplicationError(REGION_MISSING % {"place": place})
    return found


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(_CJK_FONT), size) if _CJK_FONT.exists() else ImageFont.load_default()


def _licence(name: str, credit_code: str) -> ContentFile:
    """A stand-in scan of the business licence, so the review pages have a file to show."""
    if _CJK_FONT.exists():
        title, lines = "营业执照", [f"名称  {name}", f"统一社会信用代码  {credit_code}", "类型  有限责任公司"]
    else:  # Without a CJK font Chinese text would come out as boxes.
        title, lines = "BUSINESS LICENCE", [f"USCC  {credit_code}"]
    image = Image.new("RGB", (900, 620), "#fdf8ec")
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 884, 604), outline="#b0302a", width=6)
    draw.text((450, 110), title, fill="#b0302a", font=_font(52), anchor="mm")
    for row, line in enumerate(lines):
        draw.text((80, 230 + row * 60), line, fill="#222", font=_font(26))
    draw.text((450, 540), "DEMO", fill="#999", font=_font(26), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="licence.png")


def _user(ctx: _Context, phone: str, **extra: bool) -> User:
    return _saved(User(phone=phone, name=ctx.next_name(), password=ctx.password_hash, **extra))


def _organization(spec: DemoOrganization, number: int, status: str, contact: User) -> Organization:
    place = spec.place
    label = f"{place.province}{place.city}{place.district}"
    province = _region(place.province, Region.Level.PROVINCE, None, label)
    city = _region(place.city, Region.Level.CITY, province, label)
    district = _region(place.district, Region.Level.DISTRICT, city, label)
    credit_code = make_credit_code(1000 + number, region=district.code)
    org = Organization(
        kind=spec.kind,
        name=spec.name,
        credit_code=credit_code,
        licence=_licence(spec.name, credit_code),
        province=province,
        city=city,
        district=district,
        address_detail=place.street,
        contact_name=contact.name,
        contact_phone=contact.phone,
        invoice_title=spec.name,
        invoice_tax_number=credit_code,
        invoice_bank_name=f"{spec.bank}{place.city.removesuffix('市')}{place.district}支行",
        invoice_bank_account=f"62220{number:03d}{1000_0000 + number * 7919:08d}",
        invoice_address=f"{place.city}{place.district}{place.street}",
        invoice_phone=f"{place.area_code}-8{number:03d}{6000 + number:04d}",
        status=status,
        tier=spec.tier,
    )
    return _saved(org)


def _members(
    ctx: _Context, org: Organization, owner: User, roles: tuple[str, ...], phone: PhoneOf
) -> dict[str, User]:
    """The owner plus one login per other role; phone(n) is the n-th role's number."""
    members: dict[str, User] = {Role.OWNER: owner}
    _saved(Membership(user=owner, organization=org, role=Role.OWNER))
    for index, role in enumerate(roles, start=1):
        if role == Role.OWNER:
            continue
        members[role] = _user(ctx, phone(index))
        _saved(Membership(user=members[role], organization=org, role=role, invited_by=owner))
    return members


def _event(application: Application, actor: User, old: str, new: str, at: datetime, reason: str = "") -> None:
    event = _saved(
        ApplicationEvent(application=application, actor=actor, from_status=old, to_status=new, reason=reason)
    )
    _backdate(ApplicationEvent, event.pk, created_at=at)


def _approved_organization(
    ctx: _Context, spec: DemoOrganization, number: int, days_ago: int, reviewer: User, phone: PhoneOf
) -> LoadedOrganization:
    roles = data.SUPPLIER_ROLES if spec.kind == Organization.Kind.SUPPLIER else data.SHOP_ROLES
    owner = _user(ctx, phone(1))
    org = _organization(spec, number, Organization.Status.ACTIVE, owner)
    members = _members(ctx, org, owner, roles, phone)
    submitted = ctx.now - timedelta(days=days_ago, hours=number % 7)
    decided = submitted + timedelta(hours=20)
    application = _saved(
        Application(
            organization=org,
            applicant=owner,
            status=Application.Status.APPROVED,
            channel=spec.channel,
            submitted_at=submitted,
            decided_at=decided,
            decided_by=reviewer,
        )
    )
    _event(application, owner, "", Application.Status.SUBMITTED, submitted)
    _event(application, reviewer, Application.Status.SUBMITTED, Application.Status.APPROVED, decided)
    org_event = _saved(
        OrganizationEvent(
            organization=org,
            actor=reviewer,
            from_status=Organization.Status.PENDING,
            to_status=Organization.Status.ACTIVE,
        )
    )
    _backdate(OrganizationEvent, org_event.pk, created_at=decided)
    _backdate(Organization, org.pk, created_at=submitted)
    _backdate_members(org, owner_at=submitted, others_at=decided + timedelta(hours=3))
    return LoadedOrganization(org, members)


def _platform(ctx: _Context) -> LoadedOrganization:
    admin = _user(ctx, data.platform_phone(4), is_staff=True, is_superuser=True)
    org = _saved(
        Organization(
            kind=Organization.Kind.PLATFORM,
            name=data.PLATFORM_NAME,
            status=Organization.Status.ACTIVE,
            contact_name=admin.name,
            contact_phone=admin.phone,
        )
    )
    members: dict[str, User] = {}
    for index, role in enumerate(data.PLATFORM_ROLES, start=1):
        members[role] = admin if role == Role.PLATFORM_ADMIN else _user(ctx, data.platform_phone(index))
        _saved(Membership(user=members[role], organization=org, role=role))
    opened = ctx.now - timedelta(days=90)
    _backdate(Organization, org.pk, created_at=opened)
    _backdate_members(org, owner_at=opened, others_at=opened)
    return LoadedOrganization(org, members)


def _pending_supplier(ctx: _Context) -> LoadedOrganization:
    spec = data.PENDING_SUPPLIER
    owner = _user(ctx, data.applicant_phone(1))
    org = _organization(spec, 31, Organization.Status.PENDING, owner)
    _saved(Membership(user=owner, organization=org, role=Role.OWNER))
    submitted = ctx.now - timedelta(hours=2)
    application = _saved(
        Application(
            organization=org,
            applicant=owner,
            channel=spec.channel,
            referral_code=data.PENDING_REFERRAL_CODE,
            submitted_at=submitted,
        )
    )
    _event(application, owner, "", Application.Status.SUBMITTED, submitted)
    _backdate(Organization, org.pk, created_at=submitted)
    _backdate_members(org, owner_at=submitted, others_at=submitted)
    return LoadedOrganization(org, {Role.OWNER: owner})


def _resubmitted_shop(ctx: _Context, reviewer: User) -> LoadedOrganization:
    spec = data.PENDING_SHOP
    owner = _user(ctx, data.applicant_phone(2))
    org = _organization(spec, 32, Organization.Status.PENDING, owner)
    _saved(Membership(user=owner, organization=org, role=Role.OWNER))
    first = ctx.now - timedelta(days=3)
    rejected = first + timedelta(hours=26)
    again = ctx.now - timedelta(hours=5)
    application = _saved(
        Application(
            organization=org,
            applicant=owner,
            channel=spec.channel,
            submitted_at=again,
            attempt=2,
        )
    )
    submitted, refused = Application.Status.SUBMITTED, Application.Status.REJECTED
    _event(application, owner, "", submitted, first)
    _event(application, reviewer, submitted, refused, rejected, data.PENDING_SHOP_REJECT_REASON)
    _event(application, owner, refused, submitted, again)
    _backdate(Organization, org.pk, created_at=first)
    _backdate_members(org, owner_at=first, others_at=first)
    return LoadedOrganization(org, {Role.OWNER: owner})


def _car_owners(ctx: _Context) -> list[User]:
    owners = []
    for n in range(1, data.CAR_OWNER_COUNT + 1):
        joined = ctx.now - timedelta(days=n * 3, hours=n)
        owner = _saved(
            User(
                phone=data.car_owner_phone(n),
                name=ctx.next_name(),
                password=ctx.password_hash,
                date_joined=joined,
            )
        )
        consent_record(user=owner, ip=None, now=joined)
        owners.append(owner)
    return owners


def _message(
    recipient: User,
    title: str,
    body: str,
    *,
    org: Organization | None,
    kind: str = "application",
    link: str = "",
    read: bool = False,
    at: datetime,
) -> None:
    message = _saved(
        Message(
            recipient=recipient,
            organization_id=org.pk if org else None,
            kind=kind,
            title=title,
            body=body,
            link=link,
            read_at=at if read else None,
        )
    )
    _backdate(Message, message.pk, created_at=at)


def _messages(
    ctx: _Context,
    platform: LoadedOrganization,
    supplier: LoadedOrganization,
    key_account: LoadedOrganization,
    pending: list[LoadedOrganization],
) -> None:
    queue = _link("organizations:review_queue")
    status = _link("organizations:application_status")
    new, resubmitted = (item.organization for item in pending)
    for role in (Role.PLATFORM_REVIEWER, Role.PLATFORM_ADMIN):
        reviewer = platform.members[role]
        org = platform.organization
        body = f"{new.get_kind_display()}「{new.name}」提交了入驻申请，请及时审核。"
        _message(
            reviewer, f"新的入驻申请：{new.name}", body, org=org, link=queue, at=ctx.now - timedelta(hours=2)
        )
        body = f"{resubmitted.get_kind_display()}「{resubmitted.name}」按驳回意见修改后重新提交了入驻申请。"
        title = f"入驻申请重新提交：{resubmitted.name}"
        _message(reviewer, title, body, org=org, link=queue, at=ctx.now - timedelta(hours=5))
    reason = data.PENDING_SHOP_REJECT_REASON
    _message(
        pending[1].owner,
        f"入驻申请被驳回：{reason}"[:200],
        f"「{resubmitted.name}」的入驻申请被驳回，原因：{reason}。请修改后重新提交。",
        org=resubmitted,
        link=status,
        read=True,
        at=ctx.now - timedelta(days=3) + timedelta(hours=26),
    )
    approved = supplier.organization.application
    _message(
        supplier.owner,
        "入驻申请已通过",
        f"「{supplier.organization.name}」已通过入驻审核，现在可以进入工作台开展业务。",
        org=supplier.organization,
        link=status,
        read=True,
        at=approved.decided_at or ctx.now,
    )
    _message(
        key_account.owner,
        "已升级为大客户",
        f"「{key_account.organization.name}」已升级为平台大客户，可享受合同价与账期服务。",
        org=key_account.organization,
        kind="general",
        at=ctx.now - timedelta(days=1),
    )


@transaction.atomic
def demo_load() -> list[LoadedOrganization]:
    """Loads the demo platform, suppliers, repair shops, car owners, review queue and the
    catalogue (catalog_data: vehicles, parts, fitment, offers, VIN patterns).

    Refuses (ApplicationError) when any demo phone is already registered.
    """
    if User.objects.filter(phone__in=_all_phones()).exists():
        raise ApplicationError(DEMO_ALREADY_LOADED)
    ctx = _Context(now=timezone.now(), password_hash=make_password(data.DEMO_PASSWORD))
    platform = _platform(ctx)
    reviewer = platform.members[Role.PLATFORM_REVIEWER]
    loaded = [platform]
    for n, spec in enumerate(data.SUPPLIERS, start=1):
        phone = partial(data.supplier_phone, n)
        loaded.append(_approved_organization(ctx, spec, n, 60 - n * 4, reviewer, phone))
    for n, spec in enumerate(data.SHOPS, start=1):
        phone = partial(data.shop_phone, n)
        loaded.append(_approved_organization(ctx, spec, 10 + n, 35 - n * 2, reviewer, phone))
    pending = [_pending_supplier(ctx), _resubmitted_shop(ctx, reviewer)]
    loaded += pending
    owners = _car_owners(ctx)
    first_supplier = loaded[1]
    key_account = next(item for item in loaded if item.organization.tier == Organization.Tier.KEY_ACCOUNT)
    _messages(ctx, platform, first_supplier, key_account, pending)
    suppliers = [
        item.organization
        for item in loaded
        if item.organization.kind == Organization.Kind.SUPPLIER
        and item.organization.status == Organization.Status.ACTIVE
    ]
    catalog_load(suppliers=suppliers)
    inventory_load(
        suppliers=suppliers,
        shops=[
            item.organization
            for item in loaded
            if item.organization.kind == Organization.Kind.REPAIR_SHOP
            and item.organization.status == Organization.Status.ACTIVE
        ],
    )
    pricing_load(suppliers=suppliers, organizations=[item.organization for item in loaded])
    # Past orders need the catalogue, prices and stock above: keep this step after them.
    active = [item for item in loaded if item.organization.status == Organization.Status.ACTIVE]
    orders_load(
        shops=[
            (i.organization, i.members)
            for i in active
            if i.organization.kind == Organization.Kind.REPAIR_SHOP
        ],
        suppliers=[
            (i.organization, i.members) for i in active if i.organization.kind == Organization.Kind.SUPPLIER
        ],
        platform=platform.members,
        now=ctx.now,
    )
    _message(
        owners[0],
        "欢迎来到汽配商城",
        "添加爱车后，可以预约附近门店的保养与维修，报价确认后再付款。",
        org=None,
        kind="general",
        at=owners[0].date_joined,
    )
    return loaded
