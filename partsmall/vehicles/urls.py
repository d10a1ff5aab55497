from django.urls import path

from partsmall.vehicles import views

app_name = "vehicles"
urlpatterns = [
    path("vehicles/vin/decode/", views.vin_decode, name="vin_decode"),
    path("vehicles/vin/choose/", views.vin_choose, name="vin_choose"),
    path("vehicles/selects/", views.vehicle_selects, name="vehicle_selects"),
    path("platform/vehicles/", views.vehicle_types, name="vehicle_types"),
    path("platform/vehicles/new/", views.vehicle_type_create, name="vehicle_type_create"),
    path("platform/vehicles/picker/", views.vehicle_type_picker, name="vehicle_type_picker"),
    path("platform/vehicles/<int:pk>/edit/", views.vehicle_type_edit, name="vehicle_type_edit"),
    path("platform/vin-patterns/", views.vin_patterns, name="vin_patterns"),
    path("platform/vin-patterns/new/", views.vin_pattern_create, name="vin_pattern_create"),
    path("platform/vin-patterns/<int:pk>/edit/", views.vin_pattern_edit, name="vin_pattern_edit"),
    path("platform/vin-patterns/<int:pk>/delete/", views.vin_pattern_delete, name="vin_pattern_delete"),
    path("platform/wmi/", views.wmis, name="wmis"),
]
