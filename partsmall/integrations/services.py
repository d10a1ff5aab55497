"""API keys of organizations, and the suspension entry points that also revoke them.

Suspension lives here, above organizations, because suspending must revoke the keys and
organizations may not import integrations (DESIGN.md, "Which app may import which").
"""

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partsmall.core.errors import ApplicationError
from partsmall.integrations.models import ApiKey
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Role, roles_for_kind
from partsmall.organizations.services import organization_set_status
from partsmall.organizations.services.common import audit

if TYPE_CHECKING:
    from partsmall.accounts.models import User

# last_used_at is written at most this often, so a busy key does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)

NAME_REQUIRED = _("请填写密钥名称。")
ROLE_NOT_ALLOWED = _("API 密钥不能使用该角色。")
ORGANIZATION_NOT_ACTIVE = _("组织未启用，不能创建 API 密钥。")
ALREADY_REVOKED = _("该密钥已吊销。")

# A key acts for the organization's systems; it must never manage members or keys.
_ROLES_NEVER_FOR_KEYS = frozenset({Role.OWNER, Role.ADMIN})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_roles(*, kind: str) -> list[Role]:
    """Roles an API key of an organization of this kind may act with, in table order."""
    if kind == Organization.Kind.PLATFORM:
        return []
    allowed = roles_for_kind(kind) - _ROLES_NEVER_FOR_KEYS
    return [role for role in Role if role in allowed]


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    prefix, _sep, secret = raw_key.partition(".")
    if not prefix or not secret:
        return None
    api_key = ApiKey.objects.select_related("organization").filter(prefix=prefix).first()
    if api_key is None or api_key.is_revoked:
        return None
    if not secrets.compare_digest(api_key.key_hash, _hash(secret)):
        return None
    if api_key.organization.status != Organization.Status.ACTIVE:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def new_key_material() -> tuple[str, str, str]:
    """(prefix, secret, full key as shown once)."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    return prefix, secret, f"{prefix}.{secret}"


def _audit(*, organization: Organization, by: "User | None", action: str, api_key: ApiKey) -> None:
    audit(
        organization=organization,
        actor=by,
        action=action,
        target=str(api_key),
        details={"api_key_id": api_key.pk, "prefix": api_key.prefix, "role": api_key.role},
    )


@transaction.atomic
def api_key_create(*, organization: Organization, by: "User", name: str, role: str) -> tuple[ApiKey, str]:
    """Create a key; the full key is returned here once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError(NAME_REQUIRED, field="name")
    if role not in api_key_roles(kind=organization.kind):
        raise ApplicationError(ROLE_NOT_ALLOWED, field="role")
    if organization.status != Organization.Status.ACTIVE:
        raise ApplicationError(ORGANIZATION_NOT_ACTIVE)
    prefix, secret, full_key = new_key_material()
    api_key = ApiKey(
        organization=organization,
        name=name,
        role=role,
        prefix=prefix,
        key_hash=_hash(secret),
        created_by=by,
    )
    api_key.full_clean()
    api_key.save()
    _audit(organization=organization, by=by, action="api_key.create", api_key=api_key)
    return api_key, full_key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: "User") -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.is_revoked:
        raise ApplicationError(ALREADY_REVOKED)
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = by
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    _audit(organization=api_key.organization, by=by, action="api_key.revoke", api_key=api_key)
    return api_key


@transaction.atomic
def api_keys_revoke_for_organization(*, organization: Organization, by: "User | None" = None) -> int:
    revoked = ApiKey.objects.filter(organization=organization, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    # A revocation by a person is audited here; one without (a system job) by its caller.
    if revoked and by is not None:
        audit(
            organization=organization,
            actor=by,
            action="api_key.revoke_all",
            target=str(organization),
            details={"count": revoked},
        )
    return revoked


@transaction.atomic
def organization_suspend(*, organization: Organization, by: "User", reason: str) -> Organization:
    """Suspend (停用) an organization: members' sessions end on their next request (the
    middleware refuses it) and every live API key is revoked, in one transaction."""
    organization = organization_set_status(
        organization=organization, to_status=Organization.Status.SUSPENDED, by=by, reason=reason
    )
    api_keys_revoke_for_organization(organization=organization, by=by)
    return organization


@transaction.atomic
def organization_reactivate(*, organization: Organization, by: "User", reason: str) -> Organization:
    """Re-enable (恢复启用) a suspended organization. Its revoked keys stay revoked: the
    organization creates new ones."""
    return organization_set_status(
        organization=organization, to_status=Organization.Status.ACTIVE, by=by, reason=reason
    )
