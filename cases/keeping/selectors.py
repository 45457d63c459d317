"""The queries of the OAI-PMH endpoint, through the publication gate.

A record is an entry of a registered kind that is published, or that was published once and no longer is (a
withdrawn entry: reported as deleted, header only). An entry never published is no record at all. Each kind is
read in primary-key order; a page of a list reads, per kind it reaches, one count, one page of headers and the
published rows in full with what their records show: a number of queries that does not grow with the archive.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q

from cases.core import registry
from cases.core.gate import public_rows_q

from . import records


def record_kinds(set_spec=None):
    """The kinds harvested: every registered kind, or the one a set names."""
    return [kind for kind in registry.kinds() if set_spec in (None, kind.key)]


def _records(kind, since=None, before=None):
    """Entries of `kind` that are records (published now or once), with `live`: whether the public sees them."""
    model = kind.model_class
    queryset = model._base_manager.filter(published_at__isnull=False)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    if before is not None:
        queryset = queryset.filter(updated_at__lt=before)
    live = ExpressionWrapper(public_rows_q(model), output_field=BooleanField())
    return queryset.annotate(live=live).order_by("pk")


def count(kind, since=None, before=None):
    return _records(kind, since, before).count()


def headers(kind, since=None, before=None, after=0, limit=100):
    """[(pk, slug, updated_at, live)] of up to `limit` records of `kind` after primary key `after`."""
    rows = _records(kind, since, before).filter(pk__gt=after).values_list("pk", "slug", "updated_at", "live")
    return list(rows[:limit])


def entries(kind, pks):
    """The published entries of `kind` among `pks`, with what their records show: {pk: entry}."""
    if not pks:
        return {}
    queryset = kind.model_class.objects.published().filter(pk__in=pks)
    prepare = records.dublin_core(kind).prepare
    if prepare is not None:
        queryset = prepare(queryset)
    return {entry.pk: entry for entry in queryset}


def header_by_slug(kind, slug):
    """(pk, slug, updated_at, live) of the record of `kind` with `slug`, or None."""
    return _records(kind).filter(slug=slug).values_list("pk", "slug", "updated_at", "live").first()


def earliest_datestamp():
    """The earliest datestamp of any record, or None when there is no record."""
    stamps = [
        _records(kind).order_by("updated_at").values_list("updated_at", flat=True).first() for kind in registry.kinds()
    ]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return min(stamps) if stamps else None


def public_changes():
    """The change log: every public version and withdrawal, newest first (drafts never have one)."""
    from cases.core.public_versions import PublicVersion

    kinds = {(kind.model_class._meta.app_label, kind.model_name) for kind in registry.kinds()}
    known = Q()
    for app_label, model_name in kinds:
        known |= Q(content_type__app_label=app_label, content_type__model=model_name)
    return (
        PublicVersion.objects.filter(known)
        .select_related("content_type")
        .defer("content", "stylesheets")
        .order_by("-at", "-pk")
    )


def entry_for_version(kind, slug):
    """The published entry of `kind` at `slug`, with its latest version number, or None."""
    return kind.model_class.objects.published().with_public_version().filter(slug=slug).first()


def version_of(entry, number):
    from cases.core.public_versions import PublicVersion

    return (
        PublicVersion.objects.for_object(entry).numbered().select_related("content_type").filter(number=number).first()
    )
