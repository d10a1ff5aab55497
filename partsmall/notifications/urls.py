from django.http import HttpRequest, HttpResponse
from django.urls import path

from partsmall.core.access import declare


def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("inbox")


app_name = "notifications"
urlpatterns = [path("", declare(inbox, permission=None, scope="authenticated"), name="inbox")]
