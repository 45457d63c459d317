from django.urls import path

from cases.interventions import views

urlpatterns = [
    path("", views.intervention_list, name="intervention_list"),
    path("<slug:slug>/", views.intervention_detail, name="intervention_detail"),
]
