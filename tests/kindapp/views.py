from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import escape

from .models import Leaflet


def leaflet_detail(request, slug):
    leaflet = get_object_or_404(Leaflet.objects.published(), slug=slug)
    return HttpResponse(f"<!doctype html><title>{escape(leaflet.title)}</title><h1>{escape(leaflet.title)}</h1>")


def leaflets_to_index():
    return Leaflet.objects.all()


def leaflet_document(leaflet):
    from cases.core.gate import is_public

    if not is_public(leaflet):
        return None
    return {
        "title": leaflet.title,
        "summary": leaflet.summary,
        "body": "",
        "url": leaflet.get_absolute_url(),
        "context": "Leaflet",
    }
