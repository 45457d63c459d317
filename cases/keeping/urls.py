from django.urls import path

from . import views

# A release is `v<n>`; a file is one its manifest lists (cases/keeping/views.py): anything else answers 404.
urlpatterns = [
    path("oai/", views.oai_endpoint, name="oai"),
    path("data/", views.data_index, name="data_index"),
    path("data/latest/", views.data_latest, name="data_latest"),
    path("data/latest/<str:name>", views.data_latest_file, name="data_latest_file"),
    path("data/<str:version>/", views.data_release, name="data_release"),
    path("data/<str:version>/<str:name>", views.data_file, name="data_file"),
]
