"""The acting party of a request: a person in an organization, or an API key."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from partsmall.organizations.roles import role_has_perm

if TYPE_CHECKING:
    from partsmall.accounts.models import User
    from partsmall.organizations.models import Membership, Organization


@dataclass(frozen=True)
class Actor:
    user: "User | None"
    organization: "Organization | None" = None
    membership: "Membership | None" = None
    role: str | None = None
    api_key_id: int | None = None

    def can(self, perm: str) -> bool:
        return self.organization is not None and role_has_perm(self.role, perm)

    @property
    def organization_id(self) -> int | None:
        return self.organization.pk if self.organization else None

    @property
    def is_platform(self) -> bool:
        return bool(self.organization and self.organization.is_platform and self.organization.is_active)


ANONYMOUS = Actor(user=None)
