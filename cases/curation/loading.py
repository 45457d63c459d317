"""An entry read together with the rows that belong to it, in one query.

`prefetch_related` costs a query per relation: saving a case would read its places, issues, tactics, roles,
events, evidence, figures and stances one after the other. Here each relation is a subquery returning its rows
as one JSON array (in the relation's own order, the database's), and the rows are put where prefetch_related
would have put them: `case.events.all()`, `case.places.all()`... then cost nothing, and each row knows its entry
(and the rows joined to it, such as a role's organisation) without a query.

SQLite and PostgreSQL only (JSON functions and window aggregates); elsewhere, and for a model with a field whose
value JSON would not carry faithfully, the relations are prefetched as usual.
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.db import connections, models
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

VENDORS = ("sqlite", "postgresql")
# Fields read from JSON as the ORM reads them from their columns (others need their own converters; a float
# could come back rounded from SQLite's JSON).
PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.SmallAutoField,
    models.TextField,
)
SEPARATOR = "__"


class JSONRows(models.Aggregate):
    """The rows of a group as one JSON array of objects."""

    function = "JSON_AGG"
    window_compatible = True
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def _supported(model):
    return all(isinstance(f, PLAIN_FIELDS) and not hasattr(f, "from_db_value") for f in model._meta.concrete_fields)


def _field_columns(model, prefix=""):
    """{JSON key: expression} of a model's columns (decimals as text: exact; JSON numbers are floats)."""
    columns = {}
    for field in model._meta.concrete_fields:
        ref = F(f"{prefix}{field.attname}")
        if isinstance(field, models.DecimalField):
            ref = Cast(ref, models.CharField())
        columns[f"{prefix}{field.attname}"] = ref
    return columns


def _ordering(model):
    """The order a relation's rows come in (the model's default ordering, then the primary key), as expressions."""
    terms = []
    for term in model._meta.ordering or ():
        if isinstance(term, str):
            term = F(term[1:]).desc() if term.startswith("-") else F(term).asc()
        terms.append(term)
    return [*terms, F("pk").asc()]


class Relation:
    """One relation of the entry to read: a reverse foreign key ("events") or a many-to-many field ("places"),
    with the forward foreign keys of its rows to read with them ("organisation" for roles)."""

    def __init__(self, model, name, joined=()):
        self.name = name
        field = model._meta.get_field(name)
        self.row_model = field.related_model
        self.many_to_many = isinstance(field, models.ManyToManyField)
        # Forward many-to-many fields and reverse foreign keys; any other relation is prefetched as usual.
        self.readable = self.many_to_many or isinstance(field, models.ManyToOneRel)
        if self.many_to_many:
            self.lookup = field.related_query_name()
        elif self.readable:
            self.field = field.field  # the rows' foreign key to the entry
            self.lookup = self.field.name
        self.joined = [self.row_model._meta.get_field(j) for j in joined]

    @property
    def supported(self):
        return (
            self.readable
            and _supported(self.row_model)
            and all(j.many_to_one and _supported(j.related_model) for j in self.joined)
        )

    def subquery(self):
        rows = self.row_model._default_manager.filter(**{self.lookup: OuterRef("pk")})
        columns = _field_columns(self.row_model)
        for fk in self.joined:
            columns.update(_field_columns(fk.related_model, prefix=f"{fk.name}{SEPARATOR}"))
        every_row = Window(
            JSONRows(JSONObject(**columns)),
            order_by=_ordering(self.row_model),
            frame=models.RowRange(start=None, end=None),
        )
        # A window over all the rows in the relation's order: each row carries the same array, the first is taken.
        return Cast(Subquery(rows.annotate(_rows=every_row).order_by().values("_rows")[:1]), models.TextField())

    def attach(self, obj, rows, db):
        instances = []
        for values in rows:
            row = _instance(self.row_model, values, db)
            for fk in self.joined:
                related = _instance(fk.related_model, values, db, prefix=f"{fk.name}{SEPARATOR}")
                fk.set_cached_value(row, related if related.pk is not None else None)
            if not self.many_to_many:
                self.field.set_cached_value(row, obj)
            instances.append(row)
        hold(obj, self.name, instances)


def _cache_name(obj, name):
    manager = getattr(obj, name)
    return getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name


def hold(obj, name, rows):
    """Put `rows` in `obj`'s cache of the relation `name`, as prefetch_related does."""
    forget(obj, name)
    queryset = getattr(obj, name).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[_cache_name(obj, name)] = queryset


def held(obj, name):
    """The rows of `obj`'s relation `name` in its cache, or None when they were not read with it."""
    cached = getattr(obj, "_prefetched_objects_cache", {}).get(_cache_name(obj, name))
    return None if cached is None else list(cached)


def forget(obj, name):
    getattr(obj, "_prefetched_objects_cache", {}).pop(_cache_name(obj, name), None)


def _instance(model, values, db, prefix=""):
    names, python = [], []
    for field in model._meta.concrete_fields:
        names.append(field.attname)
        python.append(_python(field, values.get(f"{prefix}{field.attname}")))
    return model.from_db(db, names, python)


def _python(field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        value = datetime.datetime.fromisoformat(value)
        if settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)  # SQLite keeps them in UTC
        return value
    if isinstance(field, models.DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return field.to_python(value)


def with_rows(queryset, relations):
    """`queryset` set to read `relations` ({name: foreign keys of the rows to read with them}) with its objects.

    Returns (queryset, attach): call `attach(obj)` on each object read to put its rows in place. A relation that
    cannot be read in the same query (another database, a field JSON would not carry faithfully, another kind
    of relation) is prefetched as usual.
    """
    model = queryset.model
    read = [Relation(model, name, joined) for name, joined in relations.items()]
    if connections[queryset.db].vendor in VENDORS:
        in_query, prefetched = [r for r in read if r.supported], [r for r in read if not r.supported]
    else:
        in_query, prefetched = [], read
    lookups = [
        models.Prefetch(r.name, r.row_model._default_manager.select_related(*[j.name for j in r.joined]))
        if r.readable and r.joined
        else r.name
        for r in prefetched
    ]
    if lookups:
        queryset = queryset.prefetch_related(*lookups)
    if in_query:
        queryset = queryset.annotate(**{f"_rows_of_{r.name}": r.subquery() for r in in_query})

    def attach(obj):
        for relation in in_query:
            text = obj.__dict__.pop(f"_rows_of_{relation.name}", None)
            relation.attach(obj, json.loads(text) if text else [], obj._state.db)

    return queryset, attach
