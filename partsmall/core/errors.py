"""One base error for refused business actions.

Services raise ApplicationError (or a subclass) with a translatable message and, where
the error belongs to one input, the field it names. Views and the API turn it into a
field error or a 400 answer; it never becomes a 500.
"""

from typing import Any

from django.utils.functional import Promise


class ApplicationError(Exception):
    code: str = "error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        return data


class FieldErrors(ApplicationError):
    """Several fields wrong at once: `errors` maps each field to its messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first)
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "errors": self.errors}
