"""The site's URLs plus views that fail on purpose (the designed 403, 500 and 503 pages) and a form page."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from labourarchive.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def form_page(request):
    # A public page with a form: its CSRF token belongs to one reader and must never be served to another.
    return HttpResponse(Template("<form method=post>{% csrf_token %}</form>").render(RequestContext(request)))


def forbidden(request):
    raise PermissionDenied("secret-reason-for-403")


def broken(request):
    raise RuntimeError("secret-detail-for-500 /srv/labourarchive/settings.py")


def database_down(request):
    raise OperationalError('connection to server at "10.0.0.7", port 5432 failed: secret-detail-for-503')


urlpatterns = [
    path("test-errors/form/", form_page),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", broken),
    path("test-errors/503/", database_down),
    *urlpatterns,
]
