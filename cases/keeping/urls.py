from django.urls import path

from . import views

# The release pages; OAI-PMH and the release files are at one address in every language (labourarchive/urls.py).
# A release is `v<n>`; a file is one its manifest lists (cases/keeping/views.py): anything else answers 404.
urlpatterns = [
    path("data/", views.data_index, name="data_index"),
    path("data/latest/", views.data_latest, name="data_latest"),
    path("data/<str:version>/", views.data_release, name="data_release"),
]
