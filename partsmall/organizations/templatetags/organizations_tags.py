"""Status tags and masked phone numbers, one look everywhere (UI.md)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partsmall.core.validators import mask_phone
from partsmall.organizations.models import Application, Organization

register = template.Library()

# One colour per meaning: orange waits for someone, green done, red refused or stopped.
_COLOURS: dict[tuple[str, str], str] = {
    ("organization", Organization.Status.PENDING): "orange",
    ("organization", Organization.Status.ACTIVE): "green",
    ("organization", Organization.Status.SUSPENDED): "red",
    ("organization", Organization.Status.REJECTED): "red",
    ("application", Application.Status.SUBMITTED): "orange",
    ("application", Application.Status.APPROVED): "green",
    ("application", Application.Status.REJECTED): "red",
}


@register.simple_tag
def status_tag(obj: Organization | Application) -> SafeString:
    kind = "application" if isinstance(obj, Application) else "organization"
    colour = _COLOURS.get((kind, obj.status), "grey")
    return format_html(
        '<span class="pm-tag pm-tag-{}" data-testid="status-tag">{}</span>', colour, obj.get_status_display()
    )


@register.filter
def masked(phone: str) -> str:
    return mask_phone(phone or "")
