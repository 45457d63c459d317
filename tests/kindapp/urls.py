from django.urls import path

from labourarchive.urls import urlpatterns as archive_urlpatterns

from . import views

# The archive's own patterns, not an include of them: its pages are in i18n_patterns, which only a root URLconf holds.
urlpatterns = [
    path("leaflets/<slug:slug>/", views.leaflet_detail, name="leaflet_detail"),
    *archive_urlpatterns,
]
