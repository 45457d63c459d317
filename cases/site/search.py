"""What a source and a place contribute to the search index (see cases/search/)."""

from django.db.models import Prefetch

from cases.core.chinese import chinese_names
from cases.core.gate import is_public
from cases.core.models import Place, Source, SourceAuthor
from cases.core.text import clean


def source_entry(source):
    if not is_public(source):
        return None
    authors = [link.author.display_name for link in source.authorships.all()]
    return {
        "title": clean(source.name),
        "summary": clean(*authors, source.short_title, source.container_title, source.editors),
        "body": clean(source.abstract, source.publisher, source.year),
        "url": source.get_absolute_url(),
        "context": clean(source.author_label, f"({source.year_display})", source.get_kind_display()),
    }


def sources_to_index():
    return Source.objects.prefetch_related(
        Prefetch("authorships", queryset=SourceAuthor.objects.select_related("author"))
    )


def place_entry(place):
    if not is_public(place):
        return None
    parent = place.parent if place.parent is not None and is_public(place.parent) else None
    return {
        "title": clean(place.name),
        "summary": clean(*chinese_names(place), place.description),
        "body": clean(parent.name if parent else "", *(chinese_names(parent) if parent else ())),
        "url": place.get_absolute_url(),
        "context": clean(place.get_kind_display(), f"in {parent.name}" if parent else ""),
        "names": [place.name_zh_hans, place.name_zh_hant],
    }


def places_to_index():
    return Place.objects.select_related("parent")
