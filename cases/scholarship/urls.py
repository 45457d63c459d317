from django.urls import path

from cases.scholarship import views

urlpatterns = [
    path("debate/", views.position_list, name="position_list"),
    path("positions/<slug:slug>/", views.position_detail, name="position_detail"),
    path("concepts/", views.concept_list, name="concept_list"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept_detail"),
]
