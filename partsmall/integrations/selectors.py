from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partsmall.integrations.models import ApiKey
from partsmall.organizations.actor import Actor
from partsmall.organizations.models import Organization


def api_keys_of(*, actor: Actor) -> QuerySet[ApiKey]:
    """The acting organization's keys, revoked ones included (they stay on the list)."""
    if actor.organization is None:
        return ApiKey.objects.none()
    return ApiKey.objects.filter(organization=actor.organization).select_related("created_by", "revoked_by")


def api_key_get(*, actor: Actor, pk: int) -> ApiKey:
    """Another organization's key answers 404."""
    return get_object_or_404(api_keys_of(actor=actor).select_related("organization"), pk=pk)


def live_api_key_count(*, organization: Organization) -> int:
    """For the platform's suspension message; the caller resolved the organization."""
    return ApiKey.objects.filter(organization=organization, revoked_at__isnull=True).count()
