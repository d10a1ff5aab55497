"""Writes of the organizations app (a package: applications, organization, members).

Import services from here: `from partsmall.organizations.services import member_invite`.
"""

from partsmall.organizations.services.applications import (
    application_approve,
    application_register_and_submit,
    application_reject,
    application_resubmit,
    application_submit,
    application_transition,
)
from partsmall.organizations.services.members import member_change_role, member_invite, member_remove
from partsmall.organizations.services.organization import (
    organization_set_status,
    organization_update_profile,
)

__all__ = [
    "application_approve",
    "application_register_and_submit",
    "application_reject",
    "application_resubmit",
    "application_submit",
    "application_transition",
    "member_change_role",
    "member_invite",
    "member_remove",
    "organization_set_status",
    "organization_update_profile",
]
