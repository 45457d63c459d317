from django.urls import include, path

from . import views

urlpatterns = [
    path("leaflets/<slug:slug>/", views.leaflet_detail, name="leaflet_detail"),
    path("", include("labourarchive.urls")),
]
