from django.urls import path, register_converter

from . import views


class _Text:
    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class VersionConverter(_Text):
    regex = r"v[0-9]+"


class FileNameConverter(_Text):
    """A file's name in a release: no folder, no dot but the extension's."""

    regex = r"[A-Za-z0-9_]+(\.[A-Za-z0-9]+)?"


register_converter(VersionConverter, "release")
register_converter(FileNameConverter, "filename")

urlpatterns = [
    path("oai/", views.oai_endpoint, name="oai"),
    path("data/", views.data_index, name="data_index"),
    path("data/latest/", views.data_latest, name="data_latest"),
    path("data/latest/<filename:name>", views.data_latest_file, name="data_latest_file"),
    path("data/<release:version>/", views.data_release, name="data_release"),
    path("data/<release:version>/<filename:name>", views.data_file, name="data_file"),
]
