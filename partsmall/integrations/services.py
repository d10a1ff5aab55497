import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partsmall.integrations.models import ApiKey
from partsmall.organizations.models import Organization

# last_used_at is written at most this often, so a busy key does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


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


@transaction.atomic
def api_keys_revoke_for_organization(*, organization: Organization, by: object | None = None) -> int:
    return ApiKey.objects.filter(organization=organization, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
