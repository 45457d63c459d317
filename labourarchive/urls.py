"""The archive's addresses: the pages in every language, and the machine endpoints at one address each.

The pages are inside `i18n_patterns` without a prefix for English, so every English address is what it always was
and the same page in Chinese is at /zh-hans/… and /zh-hant/…. What a machine reads, or what is the same in every
language, stays outside the prefix: a second address for it would only split caches and links.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from cases.api import views as api_views
from cases.core.health import health
from cases.interventions import views as intervention_views
from cases.keeping import views as keeping_views
from cases.organisations import views as organisation_views
from cases.scholarship import views as scholarship_views
from cases.site import assets as site_assets
from cases.site import views as site_views
from cases.teaching.account_views import admin_login

# One address in every language.
urlpatterns = [
    # The lists' downloads: data with the same columns and values whatever the language of the page linking them.
    re_path(r"^cases/export\.(?P<fmt>csv|json)$", intervention_views.intervention_export, name="intervention_export"),
    re_path(
        r"^organisations/export\.(?P<fmt>csv|json)$",
        organisation_views.organisation_export,
        name="organisation_export",
    ),
    re_path(r"^debate/export\.(?P<fmt>csv|json)$", scholarship_views.position_export, name="position_export"),
    re_path(r"^sources/export\.(?P<fmt>csv|json)$", site_views.source_export, name="source_export"),
    # sitemap.xml (listing every language's pages), feed.atom, robots.txt and a source's reference downloads.
    path("", include("cases.citations.machine_urls")),
    # The JSON API and its schema (its documentation page is a page, below).
    path("api/", include("cases.api.urls")),
    # OAI-PMH for harvesters, and the files of the open-data releases (the release pages are pages, below).
    path("oai/", keeping_views.oai_endpoint, name="oai"),
    path("data/latest/<str:name>", keeping_views.data_latest_file, name="data_latest_file"),
    path("data/<str:version>/<str:name>", keeping_views.data_file, name="data_file"),
    # Browser furniture: the favicon and the print stylesheet that writes out the site's address.
    path("favicon.ico", site_assets.favicon, name="favicon"),
    path("site-address.css", site_assets.print_addresses, name="print_addresses"),
    path("health/", health, name="health"),
    # Before the admin: its login page sends to the site's, so the second factor cannot be skipped there.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

# The pages, in every language.
urlpatterns += i18n_patterns(
    # Staff previews (…/preview/) come before the public routes so that no public pattern can swallow them.
    path("", include("cases.curation.urls")),
    # "Cite this page" downloads (…/cite.bib): they cite the page in the language it was read in.
    path("", include("cases.citations.urls")),
    path("cases/", include("cases.interventions.urls")),
    path("organisations/", include("cases.organisations.urls")),
    path("search/", include("cases.search.urls")),
    path("api/", api_views.docs, name="api_docs"),
    path("", include("cases.scholarship.urls")),
    path("", include("cases.site.urls")),
    path("", include("cases.visual.urls")),
    # The open-data release pages (/data/, /data/v1/).
    path("", include("cases.keeping.urls")),
    # Accounts and reading lists: people's pages, never cached, so a prefix costs nothing and reads in their language.
    path("accounts/", include("cases.teaching.account_urls")),
    path("", include("cases.teaching.urls")),
    prefix_default_language=False,
)

handler400 = "cases.core.errors.bad_request"
handler403 = "cases.core.errors.permission_denied"
handler404 = "cases.core.errors.page_not_found"
handler500 = "cases.core.errors.server_error"
