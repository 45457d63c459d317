"""What machines read, at one address in every language: sitemap.xml, feed.atom, robots.txt, and a source's
reference downloads (its bibliographic data, the same in every language)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from cases.citations import views
from cases.citations.feeds import NewEntriesFeed
from cases.citations.sitemaps import sitemaps
from cases.citations.urls import ReferenceFormat  # noqa: F401 (registers the converter)

urlpatterns = [
    path("sources/<slug:slug>/reference.<referenceformat:fmt>", views.source_reference, name="source_reference"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("feed.atom", NewEntriesFeed(), name="feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
