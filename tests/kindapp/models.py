from django.db import models
from django.urls import reverse

from cases.core.models import Curated


class Leaflet(Curated):
    """A leaflet handed out in a campaign (a kind made up for the registry's test)."""

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leaflet_detail", args=[self.slug])
