"""The curators' admin: every page opens, search and filters work, the publication actions work,
and bad input comes back as form errors (never a 500, never a half-saved entry)."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.models import Curated, Place, Source, Status
from cases.interventions.models import Event, Intervention, Role
from cases.organisations.models import Organisation, OrganisationRelation
from tests import factories as f

ARCHIVE_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    # The workflow log is read-only and has its own tests (test_curation_workflow.py).
    if model.__module__.startswith("cases.")
    and model._meta.app_label != "curation"
    # Instructors' reading lists are user data, not archive content (tests in test_teaching_*.py).
    # and so is the log of support access to them (tests in test_teaching_ownership.py).
    # The public versions are written by the code and read-only, like the workflow log (test_public_versions.py).
    and model._meta.label
    not in {"teaching.ReadingList", "teaching.ReadingListItem", "teaching.SupportAccess", "core.PublicVersion"}
]


def admin_id(model_admin):
    return model_admin.model.__name__


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def rows():
    return f.one_of_each()


def test_every_archive_model_is_registered():
    from django.apps import apps

    # The search index is derived data (rebuilt by rebuild_search_index), not something curators edit.
    archive_models = {
        m for m in apps.get_models() if m.__module__.startswith("cases.") and m._meta.app_label != "search"
    }
    assert archive_models <= set(admin.site._registry)


@pytest.mark.parametrize("model_admin", ARCHIVE_ADMINS, ids=admin_id)
def test_changelist_add_and_change_pages_open(admin_client, rows, model_admin):
    model = model_admin.model
    obj = rows[model]
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert admin_client.get(url(model, "history", obj.pk)).status_code == 200
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 200


@pytest.mark.parametrize("model_admin", ARCHIVE_ADMINS, ids=admin_id)
def test_changelist_search(admin_client, rows, model_admin):
    model = model_admin.model
    assert model_admin.search_fields, f"{model.__name__} admin needs search_fields"
    for term in ("a", "labour NGO", "zzz-no-such-thing", "香港"):
        response = admin_client.get(url(model, "changelist"), {"q": term})
        assert response.status_code == 200
    response = admin_client.get(url(model, "changelist"), {"q": "zzz-no-such-thing"})
    assert response.context["cl"].result_count == 0


def test_search_finds_what_a_curator_remembers(admin_client):
    pringle = f.SourceFactory(title="A solidarity machine?", slug="pringle-2018")
    f.SourceAuthorFactory(source=pringle, author=f.AuthorFactory(family_name="Pringle"))
    f.SourceFactory(title="Something else")
    org = f.OrganisationFactory(name="Hong Kong LNGO A", short_name="HKA", name_zh_hans="香港甲")
    case = f.InterventionFactory(title="Minimum wage campaign")
    f.RoleFactory(intervention=case, organisation=org)
    f.PositionFactory(scholar="Franceschini", title="Lack of social capital")
    f.ConceptFactory(term="Household registration", aliases="hukou")

    def found(model, q):
        response = admin_client.get(url(model, "changelist"), {"q": q})
        assert response.status_code == 200
        return [str(o) for o in response.context["cl"].result_list]

    assert found(Source, "Pringle") == [str(pringle)]
    assert found(Source, "solidarity") == [str(pringle)]
    assert found(Organisation, "HKA") == ["Hong Kong LNGO A"]
    assert found(Organisation, "香港甲") == ["Hong Kong LNGO A"]
    assert found(Intervention, "HKA") == ["Minimum wage campaign"]
    from cases.scholarship.models import Concept, Position

    assert len(found(Position, "Franceschini")) == 1
    assert found(Concept, "hukou") == ["Household registration"]


@pytest.mark.parametrize("model_admin", [a for a in ARCHIVE_ADMINS if a.list_filter], ids=admin_id)
def test_every_filter_choice_opens(admin_client, rows, model_admin):
    changelist = url(model_admin.model, "changelist")
    response = admin_client.get(changelist)
    cl = response.context["cl"]
    opened = 0
    for spec in cl.filter_specs:
        for choice in spec.choices(cl):
            assert admin_client.get(changelist + choice["query_string"]).status_code == 200
            opened += 1
    assert opened >= len(model_admin.list_filter)


@pytest.mark.parametrize("model_admin", [a for a in ARCHIVE_ADMINS if a.date_hierarchy], ids=admin_id)
def test_date_hierarchy_opens(admin_client, rows, model_admin):
    response = admin_client.get(url(model_admin.model, "changelist"), {"start_date__year": "2011"})
    assert response.status_code == 200


def _autocomplete_cases():
    cases = []
    for model_admin in ARCHIVE_ADMINS:
        for name in model_admin.autocomplete_fields:
            cases.append((model_admin.model, model_admin.model, name))
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                cases.append((model_admin.model, inline.model, name))
    return cases


@pytest.mark.parametrize(
    ("admin_model", "model", "field_name"),
    _autocomplete_cases(),
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_autocomplete_answers(admin_client, rows, admin_model, model, field_name):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": "",
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert "results" in response.json()


@pytest.mark.parametrize("model_admin", [a for a in ARCHIVE_ADMINS if issubclass(a.model, Curated)], ids=admin_id)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model_admin):
    """No N+1: ten more entries in the changelist cost no more queries."""
    model = model_admin.model
    factory = {
        "Source": f.SourceAuthorFactory,
        "Intervention": f.RoleFactory,
    }.get(model.__name__)
    model_factory = getattr(f, f"{model.__name__}Factory")

    def add_rows(n):
        for _ in range(n):
            factory() if factory else model_factory()

    add_rows(2)
    changelist = url(model, "changelist")
    admin_client.get(changelist)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(changelist)
    add_rows(10)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count >= 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- Publication actions ------------------------------------------------------------------------------


def _action(client, model, action, objs):
    return client.post(
        url(model, "changelist"), {"action": action, "_selected_action": [o.pk for o in objs]}, follow=True
    )


def test_bulk_publish_sets_status_and_published_at(admin_client):
    drafts = [
        f.InterventionFactory(status="draft", complete=True),
        f.InterventionFactory(status="review", complete=True),
    ]
    other = f.InterventionFactory(status="draft", complete=True)
    response = _action(admin_client, Intervention, "publish_selected", drafts)
    assert response.status_code == 200
    assert "2 cases published" in response.content.decode()
    for case in drafts:
        case.refresh_from_db()
        assert case.status == Status.PUBLISHED
        assert case.published_at is not None
    other.refresh_from_db()
    assert other.status == Status.DRAFT and other.published_at is None
    assert set(Intervention.objects.published()) == set(drafts)
    # Who changed what: each change is in the admin history.
    assert LogEntry.objects.filter(action_flag=CHANGE, object_id__in=[str(c.pk) for c in drafts]).count() == 2


def test_bulk_withdraw_keeps_first_publication_date(admin_client):
    case = f.InterventionFactory(status="published", complete=True)
    first = case.published_at
    response = _action(admin_client, Intervention, "withdraw_selected", [case])
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert not Intervention.objects.published().exists()
    _action(admin_client, Intervention, "publish_selected", [case])
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED and case.published_at == first


@pytest.mark.parametrize("model_admin", [a for a in ARCHIVE_ADMINS if issubclass(a.model, Curated)], ids=admin_id)
@pytest.mark.parametrize(
    ("action", "status"),
    [("publish_selected", "published"), ("send_to_review", "review"), ("withdraw_selected", "withdrawn")],
)
def test_every_curated_admin_has_the_publication_actions(admin_client, model_admin, action, status):
    model = model_admin.model
    start = "draft" if status != "draft" else "published"
    complete = {"complete": True} if model is Intervention else {}  # what a case needs to be published
    entries = [getattr(f, f"{model.__name__}Factory")(status=start, **complete) for _ in range(2)]
    assert _action(admin_client, model, action, entries).status_code == 200
    assert set(model.objects.filter(status=status)) == set(entries)
    if status == "published":
        assert all(e.published_at for e in model.objects.filter(pk__in=[e.pk for e in entries]))


def test_view_on_site_only_for_published_entries(admin_client):
    draft = f.InterventionFactory(status="draft")
    response = admin_client.get(url(Intervention, "change", draft.pk))
    assert response.context["has_absolute_url"] is False
    published = f.InterventionFactory(status="published")
    model_admin = admin.site._registry[Intervention]
    expected = model_admin.get_view_on_site_url(published)
    response = admin_client.get(url(Intervention, "change", published.pk))
    assert response.context["has_absolute_url"] is (expected is not None)
    if expected:
        assert expected == published.get_absolute_url()


# --- Form errors, not 500s --------------------------------------------------------------------------------


def form_data(response):
    """The POST data a browser would send back for the admin form rendered in `response`."""
    data = {}

    def put(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None and isinstance(form.fields[name], forms.ModelMultipleChoiceField):
            return
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = str(formset.management_form[name].value())
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for inline_form in formset.initial_forms:
            for name in inline_form.fields:
                put(inline_form, name)
    return data


def add_inline_row(data, prefix, **values):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def errors_of(response):
    """Every error message on an admin change form, its inlines included."""
    messages = list(response.context["adminform"].form.errors.values())
    for inline in response.context["inline_admin_formsets"]:
        messages += [e for form_errors in inline.formset.errors for e in form_errors.values()]
        messages.append(inline.formset.non_form_errors())
    return " ".join(str(m) for group in messages for m in group)


def test_intervention_with_end_before_start_shows_form_error(admin_client):
    source = f.SourceFactory()
    data = form_data(admin_client.get(url(Intervention, "add")))
    data.update(
        title_en_gb="Backwards campaign",
        slug="backwards-campaign",
        kind="campaign",
        summary_en_gb="s",
        narrative="n",
        start_date="2013-05-01",
        start_precision="day",
        end_date="2012-01-01",
        end_precision="day",
        outcome="unknown",
        source=str(source.pk),
        locator="p. 3",
        status="draft",
    )
    response = admin_client.post(url(Intervention, "add"), data)
    assert response.status_code == 200
    assert "The end date is before the start date" in response.content.decode()
    assert "end_date" in response.context["adminform"].form.errors
    assert not Intervention.objects.exists()
    # Corrected, the same form saves.
    data["end_date"] = "2014-01-01"
    response = admin_client.post(url(Intervention, "add"), data)
    assert response.status_code == 302, errors_of(response)
    assert Intervention.objects.get().slug == "backwards-campaign"


def test_inline_event_with_end_before_start_shows_form_error(admin_client):
    case = f.InterventionFactory()
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(
        data,
        "events",
        position="1",
        title_en_gb="Strike",
        date="2012-03-31",
        precision="day",
        end_date="2012-03-01",
        end_precision="day",
        source=str(case.source.pk),
        locator="p. 5",
    )
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "The end date is before the start date" in errors_of(response)
    assert not Event.objects.exists()


def test_inline_evidence_without_locator_or_quotation_shows_form_error(admin_client):
    case = f.InterventionFactory()
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(data, "evidence", position="1", quotation="", source=str(case.source.pk), locator="")
    response = admin_client.post(change, data)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][2].formset.forms[0]
    assert set(form.errors) >= {"quotation", "locator"}
    assert not case.evidence.exists()


def test_duplicate_role_shows_form_error(admin_client):
    role = f.RoleFactory()
    change = url(Intervention, "change", role.intervention.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(
        data,
        "roles",
        organisation=str(role.organisation.pk),
        kind="lead",
        source=str(role.source.pk),
        locator="p. 2",
    )
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "already exists" in errors_of(response) or "duplicate" in errors_of(response)
    assert Role.objects.count() == 1


def test_duplicate_slug_shows_form_error(admin_client):
    existing = f.OrganisationFactory(slug="hka")
    data = form_data(admin_client.get(url(Organisation, "add")))
    data.update(
        name="Another HKA",
        slug="hka",
        kind="lngo",
        base="hong_kong",
        summary="s",
        source=str(existing.source.pk),
        locator="p. 1",
        status="draft",
    )
    response = admin_client.post(url(Organisation, "add"), data)
    assert response.status_code == 200
    # The message names the entry that holds the slug and suggests a free one.
    assert "The slug “hka” is already used by “" in response.content.decode()
    assert "choose another one" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_organisation_related_to_itself_shows_form_error(admin_client):
    org = f.OrganisationFactory()
    change = url(Organisation, "change", org.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(data, "relations_out", kind="partner", object=str(org.pk), source=str(org.source.pk), locator="p")
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "cannot be related to itself" in errors_of(response)
    assert not OrganisationRelation.objects.exists()


def test_source_citing_itself_shows_form_error(admin_client):
    source = f.SourceFactory()
    change = url(Source, "change", source.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(data, "citations_made", cited=str(source.pk), locator="p. 1")
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "cannot cite itself" in errors_of(response)
    assert not source.citations_made.exists()


def test_change_form_round_trip_saves_inlines(admin_client, rows):
    """Posting a change form back unchanged succeeds for every curated model with inlines."""
    for model in (Intervention, Source, Organisation):
        change = url(model, "change", rows[model].pk)
        response = admin_client.post(change, form_data(admin_client.get(change)))
        assert response.status_code == 302, (model.__name__, errors_of(response))


def test_new_case_with_inlines_saves(admin_client):
    source = f.SourceFactory()
    org = f.OrganisationFactory(source=source)
    data = form_data(admin_client.get(url(Intervention, "add")))
    data.update(
        title_en_gb="Minimum wage campaign",
        slug="minimum-wage-campaign",
        kind="campaign",
        summary_en_gb="s",
        narrative="n",
        start_date="2011-06-15",
        start_precision="year",
        end_date="",
        outcome="won",
        source=str(source.pk),
        locator="p. 3",
        status="published",
        issues=[str(f.IssueFactory().pk)],
        tactics=[str(f.TacticFactory().pk)],
    )
    add_inline_row(data, "roles", organisation=str(org.pk), kind="lead", source=str(source.pk), locator="p. 3")
    add_inline_row(
        data,
        "events",
        position="1",
        title_en_gb="Meeting",
        date="2012-03-31",
        precision="day",
        end_precision="day",
        source=str(source.pk),
        locator="p. 4",
    )
    add_inline_row(data, "evidence", position="1", quotation="Nothing happened.", source=str(source.pk), locator="4")
    response = admin_client.post(url(Intervention, "add"), data)
    assert response.status_code == 302, errors_of(response)
    case = Intervention.objects.get()
    assert case.start_date == datetime.date(2011, 1, 1)  # stored at its precision
    assert case.published_at is not None
    assert case.roles.count() == case.events.count() == case.evidence.count() == 1


# --- Finding the record a curator means ---------------------------------------------------------------


def autocomplete(client, model, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.usefixtures("canonical_archive")  # the real archive: twenty works cite Pringle in their notes
class TestTheAdminFindsWhatACuratorMeans:
    def test_pringle_in_a_source_box_lists_pringle_2018_first(self, admin_client):
        found = autocomplete(admin_client, Intervention, "source", "Pringle")
        assert found[0] == "Pringle (2018) — A Solidarity Machine? Hong Kong Labour NGOs in Guangdong"
        # Pringle's works, and not the works whose private notes say they are cited in Pringle 2018.
        assert all(label.startswith("Pringle") for label in found), found
        assert Source.objects.filter(curator_note__icontains="Pringle").exclude(authors__family_name="Pringle")

    def test_shenzhen_in_a_place_box_lists_shenzhen_first(self, admin_client):
        found = autocomplete(admin_client, Intervention, "places", "Shenzhen")
        assert found[0] == "Shenzhen (city in Guangdong)"
        assert "Huizhou (city in Guangdong)" in found[1:]  # its description names Shenzhen: found, but after

    def test_an_organisation_is_named_with_its_kind(self, admin_client):
        assert autocomplete(admin_client, Role, "organisation", "HKB")[0] == "HKB (Labour NGO)"
        assert autocomplete(admin_client, Role, "organisation", "acftu")[0] == (
            "ACFTU — All-China Federation of Trade Unions (Official union)"
        )

    def test_the_source_changelist_ranks_too_and_still_searches_notes(self, admin_client):
        response = admin_client.get(url(Source, "changelist"), {"q": "Pringle"})
        slugs = [s.slug for s in response.context["cl"].result_list]
        assert slugs[0] == "pringle-2018"
        pringles = [
            i for i, s in enumerate(response.context["cl"].result_list) if s.author_label.startswith("Pringle")
        ]
        assert pringles == list(range(len(pringles)))  # every work of Pringle's before the notes' mentions
        assert len(slugs) > len(pringles)  # the changelist searches curators' notes as well

    def test_two_words_rank_by_both(self, admin_client):
        response = admin_client.get(url(Source, "changelist"), {"q": "pringle 2011"})
        slugs = [s.slug for s in response.context["cl"].result_list]
        assert set(slugs[:2]) == {"pringle-2011", "pringle-clarke-2011"}, slugs

    def test_a_column_sort_overrides_the_rank(self, admin_client):
        response = admin_client.get(url(Place, "changelist"), {"q": "Shenzhen", "o": "-1"})
        assert [p.name for p in response.context["cl"].result_list] == ["Shenzhen", "Huizhou"]
        response = admin_client.get(url(Place, "changelist"), {"q": "Shenzhen", "o": "1"})
        assert [p.name for p in response.context["cl"].result_list] == ["Huizhou", "Shenzhen"]
        response = admin_client.get(url(Place, "changelist"), {"q": "Shenzhen"})
        assert [p.name for p in response.context["cl"].result_list] == ["Shenzhen", "Huizhou"]

    def test_search_with_a_filter_across_rows_answers(self, admin_client):
        issue = Intervention.objects.filter(issues__isnull=False).values_list("issues", flat=True).first()
        response = admin_client.get(url(Intervention, "changelist"), {"q": "HKB", "issues__id__exact": issue})
        assert response.status_code == 200

    def test_a_chosen_source_is_labelled_as_in_the_search_results(self, admin_client):
        case = Intervention.objects.filter(source__slug="pringle-2018").first()
        page = admin_client.get(url(Intervention, "change", case.pk)).content.decode()
        assert "Pringle (2018) — A Solidarity Machine? Hong Kong Labour NGOs in Guangdong</option>" in page


# --- Named as the site names things ---------------------------------------------------------------------


def test_the_admin_is_named_as_the_site_is(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in index and "Django site admin" not in index
    assert "Labour NGO Case Archive" in index
    assert "Interventions" not in index
    changelist = admin_client.get(url(Intervention, "changelist")).content.decode()
    assert "Select case to change" in changelist
    assert "Interventions" not in changelist  # neither the app nor the model says "Interventions"
    # The addresses stay as they were: bookmarks and the history's links keep working.
    assert url(Intervention, "changelist") == "/admin/interventions/intervention/"


# --- A case is published only when complete -------------------------------------------------------------


def test_publishing_an_incomplete_case_is_refused_naming_what_is_missing(admin_client):
    from cases.curation import workflow

    bare = f.InterventionFactory(status="draft", title="Bare case")
    with pytest.raises(ValidationError) as refused:
        workflow.transition(bare, Status.PUBLISHED)
    assert refused.value.messages == [
        "Needs a lead organisation, an issue and a tactic before it can be published: add them first."
    ]
    f.RoleFactory(intervention=bare, kind="partner")  # a partner is not a lead
    bare.issues.add(f.IssueFactory())
    response = _action(admin_client, Intervention, "publish_selected", [bare])
    text = response.content.decode()
    assert "Not published: Bare case: Needs a lead organisation and a tactic before it can be published" in text
    bare.refresh_from_db()
    assert bare.status == Status.DRAFT and bare.published_at is None


def test_the_change_form_refuses_to_publish_an_incomplete_case_and_accepts_it_once_complete(admin_client):
    case = f.InterventionFactory(status="draft")
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    data["status"] = "published"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "Needs a lead organisation, an issue and a tactic before it can be published" in errors_of(response)
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    # The rows the same form adds count: a lead added inline, an issue and a tactic chosen.
    data["issues"] = [str(f.IssueFactory().pk)]
    data["tactics"] = [str(f.TacticFactory().pk)]
    add_inline_row(
        data,
        "roles",
        organisation=str(f.OrganisationFactory().pk),
        kind="lead",
        source=str(case.source_id),
        locator="p. 1",
    )
    response = admin_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    # A lead deleted in the form that publishes does not count.
    other = f.InterventionFactory(status="draft", complete=True)
    change = url(Intervention, "change", other.pk)
    data = form_data(admin_client.get(change))
    data["status"] = "published"
    data["roles-0-DELETE"] = "on"
    response = admin_client.post(change, data)
    assert "Needs a lead organisation before it can be published: add it first." in errors_of(response)
