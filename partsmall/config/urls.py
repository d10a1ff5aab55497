from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from partsmall.core.access import declare

api_patterns = [
    path("", include("partsmall.accounts.api_urls")),
    path("", include("partsmall.notifications.api_urls")),
    path("", include("partsmall.organizations.api_urls")),
    path("", include("partsmall.integrations.api_urls")),
    path("", include("partsmall.vehicles.api_urls")),
    path("", include("partsmall.catalog.api_urls")),
    path("", include("partsmall.catalog.import_api_urls")),
    path("", include("partsmall.pricing.api_urls")),
    path("", include("partsmall.inventory.api_urls")),
    path("", include("partsmall.search.api_urls")),
    path("", include("partsmall.orders.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "api/schema/",
        declare(SpectacularAPIView.as_view(), permission=None, scope="public"),
        name="api-schema",
    ),
    path(
        "api/docs/",
        declare(SpectacularSwaggerView.as_view(url_name="api-schema"), permission=None, scope="public"),
        name="api-docs",
    ),
    path("api/v1/", include(api_patterns)),
    path("", include("partsmall.core.urls")),
    path("accounts/", include("partsmall.accounts.urls")),
    path("inbox/", include("partsmall.notifications.urls")),
    path("", include("partsmall.organizations.urls")),
    path("", include("partsmall.integrations.urls")),
    path("", include("partsmall.vehicles.urls")),
    path("", include("partsmall.catalog.urls")),
    path("", include("partsmall.catalog.import_urls")),
    path("", include("partsmall.pricing.urls")),
    path("", include("partsmall.inventory.urls")),
    path("", include("partsmall.search.urls")),
    path("", include("partsmall.orders.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
