"""sitemap.xml: every published entry's page and the public lists, at the archive's canonical address, in each of
the site's languages, each location naming its other languages (hreflang alternates, as the pages themselves do)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from cases.citations import selectors
from cases.core import registry

LIST_PAGES = [
    "home",
    "about",
    "intervention_list",
    "organisation_list",
    "position_list",
    "source_list",
    "concept_list",
    "place_list",
    "timeline",
    "map",
    "network",
    "public_changes",
]


class ArchiveSitemap(Sitemap):
    """Locations on SITE_URL (the address of the canonical links), not on whatever host the request named."""

    # Each location once per language (English unprefixed, /zh-hans/, /zh-hant/), reversed under that language.
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc or super().get_domain(site)


class EntrySitemap(ArchiveSitemap):
    def __init__(self, model_name):
        self.model_name = model_name

    def items(self):
        return selectors.for_sitemap(self.model_name)

    def lastmod(self, entry):
        return entry.updated_at


class ListSitemap(ArchiveSitemap):
    def items(self):
        # Only the pages this installation serves (the visual views are an app of their own).
        names = []
        for name in LIST_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, name):
        return reverse(name)


def sitemaps():
    """{"lists": ..., "<model name>": ...}: the list pages and every registered kind that is in the sitemap."""
    return {"lists": ListSitemap()} | {
        kind.model_name: EntrySitemap(kind.model_name) for kind in registry.kinds() if kind.sitemap
    }
