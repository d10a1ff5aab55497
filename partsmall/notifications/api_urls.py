from django.urls import path

from partsmall.notifications import apis

urlpatterns = [
    path("inbox/", apis.InboxListApi.as_view(), name="api-inbox"),
    path("inbox/unread-count/", apis.InboxUnreadCountApi.as_view(), name="api-inbox-unread-count"),
    path("inbox/read-all/", apis.InboxReadAllApi.as_view(), name="api-inbox-read-all"),
    path("inbox/<int:pk>/read/", apis.InboxReadApi.as_view(), name="api-inbox-read"),
]
