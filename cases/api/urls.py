from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("cases", views.InterventionViewSet, basename="api-case")
router.register("organisations", views.OrganisationViewSet, basename="api-organisation")
router.register("positions", views.PositionViewSet, basename="api-position")
router.register("sources", views.SourceViewSet, basename="api-source")

urlpatterns = [
    path("schema.json", SpectacularJSONAPIView.as_view(), name="api_schema"),
    path("", include(router.urls)),
]
