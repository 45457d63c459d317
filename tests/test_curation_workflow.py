"""The curators' workflow: checked moves and their log, previews of drafts, the revision history, the roles,
and admin messages that say what to fix."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from cases.core.models import Status
from cases.curation import roles, workflow
from cases.curation.models import StatusChange
from cases.interventions.models import Event, Evidence, Intervention
from cases.organisations.models import Organisation
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_admin import add_inline_row, errors_of, form_data, url


def member_of(*groups, username="someone", staff=True):
    call_command("setup_roles", stdout=io.StringIO())
    user = User.objects.create_user(username, password="x", is_staff=staff)
    user.groups.set(Group.objects.filter(name__in=groups))
    return User.objects.get(pk=user.pk)  # fresh: no permission cache


@pytest.fixture
def curator(client):
    user = member_of(roles.CURATORS, username="curator")
    sign_in_verified(client, user)
    return user


@pytest.fixture
def senior(client):
    user = member_of(roles.CURATORS, roles.SENIOR_CURATORS, username="senior")
    sign_in_verified(client, user)
    return user


def _action(client, model, action, objs):
    return client.post(
        url(model, "changelist"), {"action": action, "_selected_action": [o.pk for o in objs]}, follow=True
    )


# --- Transitions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("draft", "review", True),
        ("review", "published", True),
        ("published", "withdrawn", True),
        ("withdrawn", "draft", True),
        ("withdrawn", "review", True),
        ("review", "draft", True),
        ("published", "draft", False),
        ("published", "review", False),
        ("", "withdrawn", False),
    ],
)
def test_transition_table(start, target, allowed):
    if allowed:
        workflow.check_transition(start, target)
    else:
        with pytest.raises(ValidationError, match="cannot go from"):
            workflow.check_transition(start, target)


def test_published_entry_can_only_be_withdrawn_and_the_message_says_so():
    case = f.InterventionFactory(status="published")
    with pytest.raises(ValidationError, match="can only be withdrawn; correct its text in place"):
        workflow.transition(case, Status.DRAFT)
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED


def test_every_save_that_changes_status_is_logged_with_who_and_when(curator):
    case = f.InterventionFactory(status="draft")
    workflow.transition(case, Status.REVIEW, curator, note="ready")
    case.status = Status.DRAFT  # a plain save (e.g. in the shell) is logged too, without a user
    case.save()
    log = list(StatusChange.objects.for_object(case).order_by("at", "pk"))
    assert [(c.from_status, c.to_status) for c in log] == [("", "draft"), ("draft", "review"), ("review", "draft")]
    assert log[1].user == curator and log[1].note == "ready"
    assert log[2].user is None
    case.title = "Only the title changes"
    case.save()
    assert StatusChange.objects.for_object(case).count() == 3


def test_curator_cannot_publish_but_can_send_to_review(client, curator):
    case = f.InterventionFactory(status="draft", complete=True)
    with pytest.raises(PermissionDenied):
        workflow.transition(case, Status.PUBLISHED, curator)
    # The publish and withdraw actions are not even offered.
    response = client.get(url(Intervention, "changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "send_to_review" in actions and "publish_selected" not in actions and "withdraw_selected" not in actions
    response = _action(client, Intervention, "send_to_review", [case])
    assert "1 case sent to review" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.REVIEW
    change = StatusChange.objects.for_object(case).first()
    assert (change.from_status, change.to_status, change.user) == ("draft", "review", curator)


def test_curator_choosing_published_in_the_form_is_told_to_send_to_review(client, curator):
    case = f.InterventionFactory(status="review")
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    data["status"] = "published"
    response = client.post(change, data)
    assert response.status_code == 200
    assert "Only senior curators may move an entry to “Published”: send it to review instead." in errors_of(response)
    case.refresh_from_db()
    assert case.status == Status.REVIEW


def test_invalid_move_in_the_form_says_what_to_do(admin_client):
    case = f.InterventionFactory(status="published")
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    data["status"] = "draft"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "A published entry can only be withdrawn" in errors_of(response)


def test_senior_curator_publishes_from_the_form_and_the_history_panel_shows_it(client, senior):
    case = f.InterventionFactory(status="review", title="Minimum wage campaign", complete=True)
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    data["status"] = "published"
    response = client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED and case.published_at
    page = client.get(change).content.decode()
    assert "Workflow history" in page
    assert "In review → Published" in page and "senior" in page
    assert "View on site" in page


def test_bulk_action_refuses_invalid_moves_with_a_message(admin_client):
    published = f.InterventionFactory(status="published", title="Live case", complete=True)
    draft = f.InterventionFactory(status="withdrawn", complete=True)
    response = _action(admin_client, Intervention, "return_to_draft", [published, draft])
    text = response.content.decode()
    assert "1 case returned to draft" in text
    assert "Not returned to draft: Live case: An entry cannot go from “Published” to “Draft”." in text
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_status_log_changelist_filters_by_entry_and_status(admin_client):
    case = f.InterventionFactory(status="draft", title="Filtered case")
    other = f.OrganisationFactory(status="draft", name="Other org")
    workflow.transition(case, Status.REVIEW)
    workflow.transition(other, Status.REVIEW)
    changelist = reverse("admin:curation_statuschange_changelist")
    response = admin_client.get(changelist, {"to_status__exact": "review"})
    assert response.status_code == 200
    assert {c.object_repr for c in response.context["cl"].result_list} == {"Filtered case", "Other org"}
    response = admin_client.get(
        changelist,
        {"object_id": str(case.pk), "content_type__id__exact": str(StatusChange.objects.first().content_type_id)},
    )
    assert all(c.object_repr in {"Filtered case", "Other org"} for c in response.context["cl"].result_list)
    assert admin_client.get(changelist, {"q": "Filtered"}).context["cl"].result_count == 2
    # Read-only: nobody adds or edits log rows.
    assert admin_client.get(reverse("admin:curation_statuschange_add")).status_code == 403


# --- Preview --------------------------------------------------------------------------------------------------


def preview_url(entry):
    return reverse(f"{type(entry)._meta.model_name}_preview", kwargs={"slug": entry.slug})


PREVIEWABLE = [
    ("InterventionFactory", "title"),
    ("OrganisationFactory", "name"),
    ("PositionFactory", "title"),
    ("ConceptFactory", "term"),
    ("SourceFactory", "title"),
    ("PlaceFactory", "name"),
]


@pytest.mark.parametrize(("factory", "field"), PREVIEWABLE)
def test_preview_of_a_draft_for_staff_only(client, curator, factory, field):
    entry = getattr(f, factory)(status="draft", **{field: "Draft only a curator sees"})
    response = client.get(preview_url(entry))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Draft only a curator sees" in text
    assert "Preview — not published." in text
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Cache-Control"] == "private, no-store"
    # The same template as the public page.
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.logout()
    anonymous = client.get(preview_url(entry))
    assert anonymous.status_code == 404
    assert "Draft only a curator sees" not in anonymous.content.decode()
    assert client.get(preview_url(entry).replace(entry.slug, "no-such-slug")).status_code == 404


def test_preview_uses_the_public_template_and_hides_other_drafts(client, curator):
    public = f.InterventionFactory(status="published", title="Public case")
    draft = f.InterventionFactory(status="draft", title="Previewed draft")
    f.RoleFactory(intervention=draft, organisation=f.OrganisationFactory(status="draft", name="Hidden draft org"))
    f.RoleFactory(intervention=draft, organisation=f.OrganisationFactory(status="published", name="Shown org"))
    response = client.get(preview_url(draft))
    assert [t.name for t in response.templates][0] == "interventions/intervention_detail.html"
    text = response.content.decode()
    assert "Shown org" in text and "Hidden draft org" not in text
    # Only the previewed entry is let through, and only for this request.
    assert list(Intervention.objects.published()) == [public]


def test_preview_refused_to_non_staff_and_to_staff_without_view_permission(client):
    draft = f.InterventionFactory(status="draft")
    instructor = member_of(roles.INSTRUCTORS, username="teacher", staff=False)
    client.force_login(instructor)
    assert client.get(preview_url(draft)).status_code == 404
    administrator = member_of(roles.ADMINISTRATORS, username="accounts")
    sign_in_verified(client, administrator)
    assert client.get(preview_url(draft)).status_code == 404


def test_change_page_links_to_the_preview_of_a_draft(admin_client):
    draft = f.OrganisationFactory(status="draft")
    text = admin_client.get(url(Organisation, "change", draft.pk)).content.decode()
    assert text.count(f'href="{preview_url(draft)}"') == 2  # beside History, and in the Publication panel
    assert "Preview this entry" in text


# --- Revision history ------------------------------------------------------------------------------------------


def _save_form(client, obj, **changes):
    change = url(type(obj), "change", obj.pk)
    data = form_data(client.get(change))
    data.update(changes)
    response = client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    return data


def test_edit_twice_revert_to_the_first_and_the_history_shows_who(admin_client, admin_user):
    case = f.InterventionFactory(status="draft", narrative="First narrative.")
    _save_form(admin_client, case, narrative="First narrative, as saved.")
    _save_form(admin_client, case, narrative="Second narrative <script>alert(1)</script>.")
    versions = Version.objects.get_for_object(case).order_by("pk")
    assert versions.count() == 2
    first, second = versions
    history = admin_client.get(url(Intervention, "history", case.pk)).content.decode()
    assert admin_user.get_username() in history
    assert "Compare with the version before" in history
    # The difference, escaped.
    compare = admin_client.get(
        reverse("admin:interventions_intervention_compare", args=[case.pk]), {"old": first.pk, "new": second.pk}
    )
    text = compare.content.decode()
    assert "<del>First narrative, as saved.</del>" in text
    assert "<ins>Second narrative &lt;script&gt;alert(1)&lt;/script&gt;.</ins>" in text
    assert "Updated at" not in text  # timestamps are not differences a curator made
    assert "<script>alert(1)" not in text
    # Revert to the first version.
    revert = reverse("admin:interventions_intervention_revision", args=[case.pk, first.pk])
    data = form_data(admin_client.get(revert))
    assert admin_client.post(revert, data).status_code == 302
    case.refresh_from_db()
    assert case.narrative == "First narrative, as saved."
    assert Version.objects.get_for_object(case).count() == 3


def test_deleted_case_is_recovered_with_its_events_and_evidence(admin_client):
    case = f.InterventionFactory(status="draft", title="Recover me")
    f.EventFactory(intervention=case, title="A strike")
    f.EvidenceFactory(intervention=case, quotation="Exact words.")
    _save_form(admin_client, case)  # a version with its child rows
    response = admin_client.post(url(Intervention, "delete", case.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Intervention.objects.exists() and not Event.objects.exists()
    recover_list = admin_client.get(reverse("admin:interventions_intervention_recoverlist"))
    assert "Recover me" in recover_list.content.decode()
    version = Version.objects.get_deleted(Intervention).get()
    recover = reverse("admin:interventions_intervention_recover", args=[version.pk])
    data = form_data(admin_client.get(recover))
    response = admin_client.post(recover, data)
    assert response.status_code == 302, errors_of(response)
    case = Intervention.objects.get(title="Recover me")
    assert [e.title for e in case.events.all()] == ["A strike"]
    assert Evidence.objects.get(intervention=case).quotation == "Exact words."


def test_revert_of_a_published_entry_to_a_draft_version_keeps_it_published(admin_client):
    case = f.InterventionFactory(status="draft", narrative="Old text.", complete=True)
    _save_form(admin_client, case)
    _save_form(admin_client, case, status="published", narrative="New text.")
    first = Version.objects.get_for_object(case).order_by("pk").first()
    revert = reverse("admin:interventions_intervention_revision", args=[case.pk, first.pk])
    data = form_data(admin_client.get(revert))
    assert data["status"] == "published"  # the form starts from the live status, not the old one
    assert admin_client.post(revert, data).status_code == 302
    case.refresh_from_db()
    assert (case.narrative, case.status) == ("Old text.", "published")


# --- Roles -----------------------------------------------------------------------------------------------------


def test_setup_roles_is_idempotent():
    call_command("setup_roles", stdout=io.StringIO())
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    call_command("setup_roles", stdout=io.StringIO())
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after
    assert {roles.CURATORS, roles.SENIOR_CURATORS, roles.INSTRUCTORS, roles.ADMINISTRATORS} <= set(after)


def test_instructors_hold_only_teaching_permissions():
    call_command("setup_roles", stdout=io.StringIO())
    group = Group.objects.get(name=roles.INSTRUCTORS)
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels <= {"teaching"}
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_readinglist", "change_readinglistitem"} <= codenames
    # Discussion questions are curated content: instructors choose them, curators write them.
    assert not {c for c in codenames if c.endswith("_discussionquestion")}


def test_curators_write_discussion_questions(curator):
    assert curator.has_perm("teaching.change_discussionquestion")
    assert curator.has_perm("teaching.add_discussionquestion")
    assert not curator.has_perm("teaching.delete_discussionquestion")
    assert not curator.has_perm("teaching.change_readinglist")


def test_curator_cannot_manage_accounts(client, curator):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(url(Intervention, "changelist")).status_code == 200
    assert not curator.has_perm("interventions.delete_intervention")
    assert curator.has_perm("interventions.delete_event")  # rows inside an entry can be removed


def test_instructor_cannot_open_the_content_admin(client):
    instructor = member_of(roles.INSTRUCTORS, username="teacher", staff=False)
    client.force_login(instructor)
    response = client.get(url(Intervention, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not instructor.has_perm("interventions.view_intervention")


def test_administrator_manages_accounts_but_not_content(client):
    administrator = member_of(roles.ADMINISTRATORS, username="accounts")
    sign_in_verified(client, administrator)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(url(Intervention, "changelist")).status_code == 403
    assert not workflow.can_publish(administrator)
    # Cannot make anyone a superuser: that field is read-only for non-superusers.
    other = User.objects.create_user("other", password="x")
    form = client.get(reverse("admin:auth_user_change", args=[other.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "groups" in form.fields


# --- Messages that say what to fix -------------------------------------------------------------------------------


def test_evidence_without_locator_or_quotation_says_what_to_give(admin_client):
    case = f.InterventionFactory()
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(data, "evidence", position="1", quotation="", source=str(case.source.pk), locator="")
    text = errors_of(admin_client.post(change, data))
    assert "Give the page or section of the source where it says so" in text
    assert "Paste the exact words of the source" in text


def test_duplicate_slug_names_the_entry_holding_it(admin_client):
    f.InterventionFactory(slug="minimum-wage", title="Minimum wage campaign", status="published")
    case = f.InterventionFactory(slug="other")
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    data["slug"] = "minimum-wage"
    text = errors_of(admin_client.post(change, data))
    assert "The slug “minimum-wage” is already used by “Minimum wage campaign” (published)" in text
    assert "for example “minimum-wage-2”" in text


def test_search_by_quotation_locator_and_alias_and_filter_by_curator_note(admin_client):
    case = f.InterventionFactory(title="Cadmium campaign", curator_note="Check the date of the first meeting.")
    f.EvidenceFactory(intervention=case, quotation="the workers would not give up", locator="p. 668")
    f.InterventionFactory(title="Another case", curator_note="")
    f.ConceptFactory(term="Household registration", aliases="hukou; huji")

    def found(model, **query):
        response = admin_client.get(url(model, "changelist"), query)
        assert response.status_code == 200
        return [str(o) for o in response.context["cl"].result_list]

    assert found(Intervention, q="would not give up") == ["Cadmium campaign"]
    assert found(Intervention, q="p. 668") == ["Cadmium campaign"]
    assert found(Intervention, has_note="yes") == ["Cadmium campaign"]
    assert found(Intervention, has_note="no") == ["Another case"]
    from cases.scholarship.models import Concept

    assert found(Concept, q="huji") == ["Household registration"]
