from django.urls import path, re_path

from cases.scholarship import views

urlpatterns = [
    path("debate/", views.position_list, name="position_list"),
    re_path(r"^debate/export\.(?P<fmt>csv|json)$", views.position_export, name="position_export"),
    path("positions/<slug:slug>/", views.position_detail, name="position_detail"),
    path("concepts/", views.concept_list, name="concept_list"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept_detail"),
]
