from django.urls import path, re_path

from cases.interventions import views

urlpatterns = [
    path("", views.intervention_list, name="intervention_list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", views.intervention_export, name="intervention_export"),
    path("<slug:slug>/", views.intervention_detail, name="intervention_detail"),
]
