"""An entry read with its rows in one query holds exactly what prefetch_related would have read, in its order."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.curation.loading import with_rows
from cases.interventions.models import Intervention
from tests import factories as f

RELATIONS = {
    "places": (),
    "issues": (),
    "tactics": (),
    "roles": ("organisation",),
    "events": ("place",),
    "evidence": (),
    "figures": (),
    "stances": ("position",),
}


def values(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_an_entry_and_its_rows_in_one_query_as_prefetch_related_reads_them():
    case = f.InterventionFactory(start_date=datetime.date(2011, 5, 1), end_date=None)
    other = f.InterventionFactory()
    case.places.add(f.PlaceFactory(name="Zhuhai", latitude="22.27100"), f.PlaceFactory(name="Amoy", latitude=None))
    case.issues.add(f.IssueFactory(name="wages"), f.IssueFactory(name="Arrears"))
    for name, kind in (("beta", "partner"), ("Alpha", "partner"), ("Gamma", "lead")):
        f.RoleFactory(intervention=case, organisation=f.OrganisationFactory(name=name), kind=kind)
    f.RoleFactory(intervention=other)
    f.EventFactory(intervention=case, position=2, date=datetime.date(2012, 1, 1), title="“Quoted” — and 中文")
    f.EventFactory(intervention=case, position=1, date=datetime.date(2012, 1, 1), place=None)
    f.EventFactory(intervention=case, position=3, date=datetime.date(2010, 6, 30), place=f.PlaceFactory())
    f.StanceFactory(intervention=case)

    queryset, attach = with_rows(Intervention.objects.filter(pk=case.pk), RELATIONS)
    assert connection.features.has_json_object_function  # asked once per connection (a query on SQLite)
    with CaptureQueriesContext(connection) as queries:
        loaded = queryset.get()
        attach(loaded)
        for name, joined in RELATIONS.items():
            for row in getattr(loaded, name).all():
                for fk in joined:
                    getattr(row, fk)
                if name not in ("places", "issues", "tactics"):
                    assert row.intervention is loaded
    assert len(queries) == 1, [q["sql"][:300] for q in queries.captured_queries]

    expected = Intervention.objects.prefetch_related(*RELATIONS).get(pk=case.pk)
    assert values(loaded) == values(expected)
    assert loaded._loaded_status == expected.status  # read as the ORM reads an entry (Curated.from_db)
    for name, joined in RELATIONS.items():
        got, want = list(getattr(loaded, name).all()), list(getattr(expected, name).all())
        assert [values(row) for row in got] == [values(row) for row in want], name
        for fk in joined:
            assert [values(getattr(r, fk)) if getattr(r, fk) else None for r in got] == [
                values(getattr(r, fk)) if getattr(r, fk) else None for r in want
            ], f"{name}.{fk}"
    assert [p.latitude for p in loaded.places.all()] == [None, Decimal("22.27100")]
    assert all(not row._state.adding and row._state.db == "default" for row in loaded.events.all())


def test_an_entry_without_rows_holds_empty_relations():
    case = f.InterventionFactory()
    queryset, attach = with_rows(Intervention.objects.filter(pk=case.pk), RELATIONS)
    loaded = queryset.get()
    attach(loaded)
    with CaptureQueriesContext(connection) as queries:
        assert all(list(getattr(loaded, name).all()) == [] for name in RELATIONS)
    assert len(queries) == 0
