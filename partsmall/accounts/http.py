from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP for lock-outs and SMS caps.

    X-Forwarded-For is written by whoever sends the request, so it is only read when
    settings.TRUST_X_FORWARDED_FOR says one trusted proxy appends the real address to it.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidate = forwarded.split(",")[-1].strip() or candidate
    try:
        validate_ipv46_address(candidate)
    except ValidationError:
        return None
    return candidate
