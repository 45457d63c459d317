from django.shortcuts import get_object_or_404, render

from cases.core.registry import service

from .models import Leaflet


def leaflet_detail(request, slug):
    leaflet = get_object_or_404(Leaflet.objects.published(), slug=slug)
    # What every entry page passes for its "Add to reading list" form: the instructor's lists.
    lists = service("reading_lists_to_add_to")(request.user)
    return render(request, "kindapp/leaflet_detail.html", {"leaflet": leaflet, "reading_lists": lists})


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
