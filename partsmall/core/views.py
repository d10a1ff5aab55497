from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partsmall.core.access import declare
from partsmall.core.legal import PRIVACY_POLICY_VERSION, USER_AGREEMENT_VERSION
from partsmall.core.models import OutboxMessage


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"version": PRIVACY_POLICY_VERSION})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/terms.html", {"version": USER_AGREEMENT_VERSION})


def developer_inbox(request: HttpRequest) -> HttpResponse:
    """Texts the embedded default "sent" (SMS codes). Off in production."""
    if not settings.DEVELOPER_INBOX_ENABLED:
        raise Http404
    items = OutboxMessage.objects.all()[:50]
    return render(request, "core/developer_inbox.html", {"items": items})


declare(privacy, permission=None, scope="public")
declare(terms, permission=None, scope="public")
declare(developer_inbox, permission=None, scope="public")
