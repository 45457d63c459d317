"""An Atom feed of the public change log (/changes/): versions published and entries withdrawn, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cases.core.addresses import absolute_url

from . import selectors

FEED_LENGTH = 50


class PublicChangesFeed(Feed):
    feed_type = Atom1Feed
    author_name = settings.SITE_NAME

    def title(self):
        return _("%(site)s: public changes") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Every version the archive published and every entry it withdrew, each with the curator's note.")

    def link(self):
        return absolute_url(reverse("public_changes"))

    def feed_url(self):
        return absolute_url(reverse("public_changes_feed"))

    def items(self):
        return selectors.public_changes()[:FEED_LENGTH]

    def item_title(self, change):
        return f"{change.kind_label}: {change.title} — {change.summary}"

    def item_description(self, change):
        return change.public_note

    def item_link(self, change):
        return absolute_url(change.url or change.entry_url)

    def item_guid(self, change):
        return absolute_url(f"{reverse('public_changes')}#change-{change.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.at

    def item_updateddate(self, change):
        return change.at

    def item_categories(self, change):
        return [change.kind_label, change.get_change_display()]
