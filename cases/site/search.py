"""What a source contributes to the search index (see cases/search/)."""

from django.db.models import Prefetch

from cases.core.gate import is_public
from cases.core.models import Source, SourceAuthor
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
