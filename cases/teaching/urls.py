from django.urls import path, register_converter

from cases.teaching import views

app_name = "teaching"


class IdConverter:
    """A database id: at most 18 digits, so no number overflows a 64-bit column (that would be a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class ExportFormatConverter:
    regex = "bib|ris|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "id")
register_converter(ExportFormatConverter, "export")

urlpatterns = [
    path("reading-lists/", views.list_index, name="list_index"),
    path("reading-lists/new/", views.list_create, name="list_create"),
    path("reading-lists/add/", views.add_to_list, name="add_to_list"),
    path("reading-lists/<id:pk>/", views.list_detail, name="list_detail"),
    path("reading-lists/<id:pk>/edit/", views.list_edit, name="list_edit"),
    path("reading-lists/<id:pk>/duplicate/", views.list_duplicate, name="list_duplicate"),
    path("reading-lists/<id:pk>/archive/", views.list_archive, name="list_archive"),
    path("reading-lists/<id:pk>/delete/", views.list_delete, name="list_delete"),
    path("reading-lists/<id:pk>/share/", views.list_share, name="list_share"),
    path("reading-lists/<id:pk>/print/", views.list_print, name="list_print"),
    path("reading-lists/<id:pk>/export.<export:fmt>", views.list_export, name="list_export"),
    path("reading-lists/<id:pk>/items/<id:item_pk>/", views.item_edit, name="item_edit"),
    path("reading-lists/<id:pk>/items/<id:item_pk>/move/", views.item_move, name="item_move"),
    path("reading-lists/<id:pk>/items/<id:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("reading-lists/<id:pk>/items/<id:item_pk>/restore/", views.item_restore, name="item_restore"),
    path("shared/<str:token>/", views.shared_list, name="shared"),
    path("shared/<str:token>/print/", views.shared_print, name="shared_print"),
    path("shared/<str:token>/export.<export:fmt>", views.shared_export, name="shared_export"),
]
