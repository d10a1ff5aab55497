"""The inbox pages 站内信. Notifications sits below organizations, so these views
declare their access with core's `declare` and check the login themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from partsmall.accounts.models import User
from partsmall.core.access import declare
from partsmall.notifications import selectors, services

PAGE_SIZE = 20
ALL_MARKED_READ = _("已将 %(count)s 条消息标为已读。")
NOTHING_UNREAD = _("没有未读消息。")


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    tab = "unread" if request.GET.get("tab") == "unread" else "all"
    found = selectors.messages_for(user=user, unread_only=tab == "unread")
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "tab": tab,
            "page_obj": page_obj,
            "total_count": selectors.messages_for(user=user).count(),
            "unread_total": selectors.unread_count(user=user),
        },
    )


@login_required
@require_GET
def message(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.message_get(user=_person(request), pk=pk)
    services.message_mark_read(message=found)
    # Links come from our own services; still never render one that leaves the site.
    safe_link = found.link if url_has_allowed_host_and_scheme(found.link, allowed_hosts=None) else ""
    return render(request, "notifications/message.html", {"message": found, "safe_link": safe_link})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.messages_mark_all_read(recipient=_person(request))
    if count:
        messages.success(request, ALL_MARKED_READ % {"count": count})
    else:
        messages.info(request, NOTHING_UNREAD)
    return redirect("notifications:inbox")


declare(inbox, permission=None, scope="authenticated")
declare(message, permission=None, scope="authenticated", selector="message_get")
declare(mark_all_read, permission=None, scope="authenticated")
