from django.contrib import admin
from django.urls import include, path

from cases.core.health import health
from cases.teaching.account_views import admin_login

urlpatterns = [
    # Staff previews (…/preview/) come before the public routes so that no public pattern can swallow them.
    path("", include("cases.curation.urls")),
    # Citation downloads (…/cite.bib), sitemap.xml, feed.atom, robots.txt.
    path("", include("cases.citations.urls")),
    path("cases/", include("cases.interventions.urls")),
    path("organisations/", include("cases.organisations.urls")),
    path("search/", include("cases.search.urls")),
    path("api/", include("cases.api.urls")),
    path("", include("cases.scholarship.urls")),
    path("", include("cases.site.urls")),
    path("", include("cases.visual.urls")),
    # OAI-PMH (/oai/) and the open-data releases (/data/).
    path("", include("cases.keeping.urls")),
    path("accounts/", include("cases.teaching.account_urls")),
    path("", include("cases.teaching.urls")),
    path("health/", health, name="health"),
    # Before the admin: its login page sends to the site's, so the second factor cannot be skipped there.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

handler400 = "cases.core.errors.bad_request"
handler403 = "cases.core.errors.permission_denied"
handler404 = "cases.core.errors.page_not_found"
handler500 = "cases.core.errors.server_error"
