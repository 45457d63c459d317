"""The publication gate: the one module that decides which rows the public may see.

Public code never filters on `status` itself. It asks the gate:

- `Model.objects.published()`: the published entries of a curated model, or the public rows of a part (a case's
  events, roles...), whose own publication is that of the entries it belongs to (declared in the registry);
- `PublishedPrefetch("roles", Role.objects...)`: the same rule carried into a prefetch;
- `published_q(path)` / `published_count(relation)`: a condition or a count over related entries;
- `is_public(obj)` / `public_or_none(obj)`: for a row already in hand (a case's source, a position's report).

tests/test_gate.py fails when a module outside this one (and the curation workflow, which changes status)
filters on status, so a new public query cannot slip past the gate unnoticed.
"""

from contextvars import ContextVar

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from cases.core import registry
from cases.core.status import Status

PUBLISHED = Status.PUBLISHED

# The entry a member of staff is previewing in this request (set only by cases/curation/preview.py, after a
# permission check, and reset when the response is rendered): the gate lets that one row through, so the preview
# runs the public view's own code path while every other draft stays hidden.
PREVIEWING = ContextVar("archive_previewing", default=None)


def is_curated(model):
    return any(f.name == "status" for f in model._meta.concrete_fields)


def published_q(path="", model=None):
    """Q: the entry at relation `path` ("" for the row itself) is published.

    With `model` (the model at `path`), the entry being previewed passes too.
    """
    prefix = f"{path}__" if path else ""
    condition = Q(**{f"{prefix}status": PUBLISHED})
    previewing = PREVIEWING.get()
    if previewing is not None and model is not None and previewing._meta.concrete_model is model._meta.concrete_model:
        condition |= Q(**{f"{prefix}pk": previewing.pk})
    return condition


def _related_model(model, path):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def related_rows(model, relation):
    """All rows of the model at the end of `relation`: for a lower app to prefetch, through the gate, the rows an
    app above it keeps (a case's stances) without importing that app."""
    return _related_model(model, relation)._default_manager.all()


def public_rows_q(model, *, exists=False):
    """Q: a row of `model` is public (its own status if curated, and every entry the registry names for it).

    With `exists`, each related entry is checked by a correlated EXISTS on its primary key instead of a join: on
    SQLite without table statistics a join on status may start from every published entry rather than from the
    rows asked for.
    """
    condition = published_q("", model) if is_curated(model) else Q()
    for path in registry.gate_paths(model):
        related = _related_model(model, path)
        if exists and "__" not in path:
            attname = model._meta.get_field(path).attname
            condition &= Q(Exists(related._base_manager.filter(published_q("", related), pk=OuterRef(attname))))
        else:
            condition &= published_q(path, related)
    return condition


def status_lookup(path):
    """The field path of the publication state of the entry at `path`, for reads that fetch it as a value."""
    return f"{path}__status"


def is_published_state(value):
    """Whether a publication state read with `status_lookup` lets the row be shown."""
    return value == PUBLISHED


def published_count(relation, **extra):
    """Count of the distinct published entries reached through `relation` (e.g. "interventions")."""
    return Count(relation, filter=published_q(relation) & Q(**extra), distinct=True)


def is_public(obj):
    """Whether a row in hand may be shown: published (or being previewed), and so are the entries it belongs to."""
    if obj is None:
        return False
    model = type(obj)
    if is_curated(model):
        previewing = PREVIEWING.get()
        if obj.status != PUBLISHED and not (
            previewing is not None
            and previewing._meta.concrete_model is model._meta.concrete_model
            and previewing.pk == obj.pk
        ):
            return False
    for path in registry.gate_paths(model):
        target = obj
        for name in path.split("__"):
            target = getattr(target, name, None)
        if target is not None and not is_public(target):
            return False
    return True


def public_or_none(obj):
    """The row if the public may see it, else None (a link to a draft is dropped, never shown)."""
    return obj if is_public(obj) else None


class PublishedQuerySet(models.QuerySet):
    """The default queryset of every curated model and every part: `published()` is the public's only door."""

    def published(self):
        return self.filter(public_rows_q(self.model))


class PublishedPrefetch(Prefetch):
    """A Prefetch whose rows pass the gate, whatever the queryset it was given.

    `PublishedPrefetch("roles", Role.objects.select_related("organisation"))` prefetches only the roles whose case
    and organisation are published, so a related list cannot show a draft by forgetting a filter.
    """

    def __init__(self, lookup, queryset=None, to_attr=None, *, model=None, exists=False):
        if queryset is None:
            if model is None:
                raise TypeError("PublishedPrefetch needs a queryset or the model the lookup starts from.")
            queryset = _related_model(model, lookup)._default_manager.all()
        super().__init__(lookup, queryset.filter(public_rows_q(queryset.model, exists=exists)), to_attr=to_attr)
