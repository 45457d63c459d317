from django.urls import path, re_path

from cases.organisations import views

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", views.organisation_export, name="organisation_export"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
