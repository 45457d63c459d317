"""Query helpers every app shares: the ordered authors of a cited source."""

from django.db.models import Prefetch

from cases.core.models import SourceAuthor


def source_authors(path="source"):
    """Prefetch the ordered authors of the source at `path` (Source.author_label reads them)."""
    lookup = f"{path}__authorships" if path else "authorships"
    return Prefetch(lookup, queryset=SourceAuthor.objects.select_related("author"))


def sourced(queryset, *related):
    """Rows that cite a source: join the source (and `related`) and prefetch the source's authors.
    The source's text (long, and private to curators) is left in the database."""
    return queryset.select_related("source", *related).defer("source__text").prefetch_related(source_authors())
