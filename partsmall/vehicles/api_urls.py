from django.urls import path

from partsmall.vehicles import apis

urlpatterns = [
    path("vin/<str:vin>/", apis.VinDecodeApi.as_view(), name="api-vin-decode"),
    path("vin/<str:vin>/choice/", apis.VinChoiceApi.as_view(), name="api-vin-choice"),
    path("vehicles/makes/", apis.MakesApi.as_view(), name="api-vehicle-makes"),
    path("vehicles/models/", apis.VehicleModelsApi.as_view(), name="api-vehicle-models"),
    path("vehicles/types/", apis.VehicleTypesApi.as_view(), name="api-vehicle-types"),
    path(
        "platform/vehicle-types/", apis.PlatformVehicleTypesApi.as_view(), name="api-platform-vehicle-types"
    ),
    path(
        "platform/vehicle-types/<int:pk>/",
        apis.PlatformVehicleTypeApi.as_view(),
        name="api-platform-vehicle-type",
    ),
    path("platform/vin-patterns/", apis.PlatformVinPatternsApi.as_view(), name="api-platform-vin-patterns"),
    path(
        "platform/vin-patterns/<int:pk>/",
        apis.PlatformVinPatternApi.as_view(),
        name="api-platform-vin-pattern",
    ),
]
