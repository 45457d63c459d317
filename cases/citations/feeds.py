"""An Atom feed of newly published entries of every kind, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cases.citations import selectors
from cases.citations.formats import absolute_url
from cases.citations.metadata import description

FEED_LENGTH = 50


class NewEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: newly published"
    subtitle = "Cases, organisations, scholarly positions, sources, concepts and places as they are published."
    author_name = settings.SITE_NAME

    def link(self):
        return absolute_url(reverse("home"))

    def feed_url(self):
        return absolute_url(reverse("feed"))

    def items(self):
        return selectors.newly_published(FEED_LENGTH)

    def item_title(self, entry):
        return f"{selectors.label_of(entry)}: {entry}"

    def item_description(self, entry):
        return description(entry)

    def item_link(self, entry):
        return absolute_url(entry.get_absolute_url())

    def item_guid(self, entry):
        return self.item_link(entry)

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_categories(self, entry):
        return [selectors.label_of(entry)]
