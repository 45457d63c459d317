from django.urls import path

from cases.visual import views

urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("network/", views.network_view, name="network"),
    path("map/", views.map_view, name="map"),
    path("compare/", views.compare, name="compare"),
]
