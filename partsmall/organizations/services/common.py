"""Small writes every organization service shares: validated saves and the audit log."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from partsmall.core.errors import FieldErrors
from partsmall.organizations.models import AuditLog, Organization

if TYPE_CHECKING:
    from partsmall.accounts.models import User


def save_validated(obj: models.Model, **kwargs: Any) -> None:
    """full_clean() then save(); a model-level refusal becomes field errors, never a 500."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
        raise FieldErrors(errors) from None
    obj.save(**kwargs)


def audit(
    *,
    organization: Organization | None,
    actor: "User | None",
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditLog:
    entry = AuditLog(
        organization=organization, actor=actor, action=action, target=target[:200], details=details or {}
    )
    save_validated(entry)
    return entry
