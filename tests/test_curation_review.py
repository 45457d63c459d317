"""Edits to what the public sees wait for a senior curator: a curator's change to a published case, to a row inside
it or to a vocabulary term it shows leaves the public page as it is until it is approved; the preview shows it, the
history says who proposed it and who approved it."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from cases.curation import roles
from cases.curation.models import PendingRevision
from cases.interventions.models import Event, Intervention, Tactic
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_admin import add_inline_row, errors_of, form_data, url
from tests.test_curation_workflow import member_of


@pytest.fixture
def case():
    case = f.InterventionFactory(status="published", narrative="Workers met officials in Shenzhen.")
    f.EventFactory(intervention=case, position=1, title="Officials meet five worker activists")
    case.tactics.add(f.TacticFactory(name="Petitions"))
    return case


def public_page(obj):
    """The page as an anonymous reader gets it."""
    response = Client().get(obj.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def decide_url(pending):
    return reverse("admin:curation_pendingrevision_decide", args=[pending.pk])


def review_url(pending):
    return reverse("admin:curation_pendingrevision_change", args=[pending.pk])


def preview_url(pending):
    return reverse("admin:curation_pendingrevision_preview", args=[pending.pk])


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


def propose(client, obj, **changes):
    change = url(type(obj), "change", obj.pk)
    data = form_data(client.get(change))
    data.update(changes)
    response = client.post(change, data, follow=True)
    assert response.redirect_chain, errors_of(response)
    assert "is waiting for a senior curator's approval; the public page is unchanged" in messages_of(response)
    return PendingRevision.objects.for_object(obj).pending().get()


def test_a_curators_edit_of_a_published_case_waits_until_a_senior_curator_approves_it(client, curator, senior, case):
    sign_in_verified(client, curator)
    pending = propose(
        client,
        case,
        narrative="Workers met officials in Dongguan.",
        **{"events-0-title_en_gb": "Officials meet six worker activists"},
    )
    # Nothing public moved: the case, its event, its search entry.
    page = public_page(case)
    assert "Shenzhen" in page and "Dongguan" not in page
    assert "five worker activists" in page and "six worker activists" not in page
    case.refresh_from_db()
    assert case.narrative == "Workers met officials in Shenzhen."
    assert Event.objects.get().title == "Officials meet five worker activists"
    assert not Version.objects.get_for_object(case).exists()
    # The change page says a change is waiting; the preview shows it, with the public template.
    change_page = client.get(url(Intervention, "change", case.pk)).content.decode()
    assert "Waiting for a senior curator's approval" in change_page and preview_url(pending) in change_page
    preview = client.get(preview_url(pending))
    assert preview.status_code == 200 and "private, no-store" in preview["Cache-Control"]
    text = preview.content.decode()
    assert "Dongguan" in text and "six worker activists" in text and "Preview — not published." in text
    assert [t.name for t in preview.templates][0] == "interventions/intervention_detail.html"
    assert "Shenzhen" in public_page(case)  # the preview wrote nothing
    # A curator may look at the differences, not decide.
    assert client.get(review_url(pending)).status_code == 200
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 403
    assert "Shenzhen" in public_page(case)

    sign_in_verified(client, senior)
    review = client.get(review_url(pending)).content.decode()
    assert "<del>Shenzhen.</del>" in review and "<ins>Dongguan.</ins>" in review
    assert "Officials meet five worker activists" in review and "<ins>six</ins>" in review
    response = client.post(decide_url(pending), {"_approve": "1"}, follow=True)
    assert "is now public" in messages_of(response)

    page = public_page(case)
    assert "Dongguan" in page and "six worker activists" in page
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == ("approved", senior)
    # The history: the approver saved it, the comment names the proposer.
    version = Version.objects.get_for_object(case).select_related("revision__user").get()
    assert version.revision.user == senior
    assert "Approved change proposed by curator" in version.revision.get_comment()
    history = client.get(url(Intervention, "history", case.pk)).content.decode()
    assert "senior" in history and "Approved change proposed by curator" in history


def test_a_curators_edit_of_a_tactic_a_published_case_shows_waits_for_approval(client, curator, senior, case):
    tactic = case.tactics.get()
    sign_in_verified(client, curator)
    pending = propose(client, tactic, name="Collective petitions")
    assert "Collective petitions" not in public_page(case)
    assert Tactic.objects.get().name == "Petitions"
    # The preview of a vocabulary term is the page of a published entry showing it.
    assert "Collective petitions" in client.get(preview_url(pending)).content.decode()

    sign_in_verified(client, senior)
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    assert "Collective petitions" in public_page(case)
    version = Version.objects.get_for_object(tactic).select_related("revision__user").get()
    assert version.revision.user == senior and "proposed by curator" in version.revision.get_comment()


def test_an_event_edited_in_its_own_admin_waits_and_cannot_be_added_or_deleted_there(client, curator, case):
    event = case.events.get()
    sign_in_verified(client, curator)
    propose(client, event, title_en_gb="Officials meet six worker activists")
    assert "five worker activists" in public_page(case)
    # Adding or deleting a row of a published case goes through the case's own form.
    data = form_data(client.get(url(Event, "add")))
    data.update(
        intervention=str(case.pk), position="2", title_en_gb="A new strike", date="2012-04-01", precision="day"
    )
    data.update(source=str(case.source.pk), locator="p. 3", end_precision="day")
    response = client.post(url(Event, "add"), data)
    assert response.status_code == 200
    assert "add it in that entry's own change form" in errors_of(response)
    response = client.post(url(Event, "delete", event.pk), {"post": "yes"}, follow=True)
    assert "delete it in that entry's change form" in messages_of(response)
    assert Event.objects.filter(pk=event.pk).exists()
    response = client.post(
        url(Event, "changelist"), {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert Event.objects.filter(pk=event.pk).exists()


def test_rows_added_and_deleted_in_the_case_form_wait_too(client, curator, senior, case):
    sign_in_verified(client, curator)
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    data["events-0-DELETE"] = "on"
    add_inline_row(
        data, "evidence", position="1", quotation="We will not give up.", source=str(case.source.pk), locator="p. 9"
    )
    assert client.post(change, data).status_code == 302
    page = public_page(case)
    assert "five worker activists" in page and "We will not give up." not in page
    assert case.events.count() == 1 and not case.evidence.exists()

    pending = PendingRevision.objects.get()
    sign_in_verified(client, senior)
    review = client.get(review_url(pending)).content.decode()
    assert "Event removed: 31 March 2012: Officials meet five worker activists" in review
    assert "We will not give up." in review
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    page = public_page(case)
    assert "five worker activists" not in page and "We will not give up." in page


def test_rejecting_leaves_the_page_as_it_was(client, curator, senior, case):
    sign_in_verified(client, curator)
    pending = propose(client, case, narrative="Workers met officials in Dongguan.")
    sign_in_verified(client, senior)
    response = client.post(decide_url(pending), {"_reject": "1", "note": "The source says Shenzhen."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by, pending.note) == ("rejected", senior, "The source says Shenzhen.")
    assert "Shenzhen" in public_page(case)
    # A decided change cannot be decided again.
    client.post(decide_url(pending), {"_approve": "1"})
    assert "Shenzhen" in public_page(case)


def test_a_new_proposal_supersedes_the_proposers_earlier_one(client, curator, case):
    sign_in_verified(client, curator)
    first = propose(client, case, narrative="Workers met officials in Dongguan.")
    second = propose(client, case, narrative="Workers met officials in Guangzhou.")
    first.refresh_from_db()
    assert first.state == "superseded" and second.state == "pending"


def test_drafts_are_still_edited_directly(client, curator):
    draft = f.InterventionFactory(status="draft", narrative="Draft text.")
    tactic = f.TacticFactory(name="Unused tactic")  # shown by no published entry
    f.InterventionFactory(status="draft").tactics.add(tactic)
    sign_in_verified(client, curator)
    for obj, field, value in ((draft, "narrative", "Corrected draft text."), (tactic, "name", "Renamed tactic")):
        change = url(type(obj), "change", obj.pk)
        data = form_data(client.get(change))
        data[field] = value
        assert client.post(change, data).status_code == 302
        obj.refresh_from_db()
        assert getattr(obj, field) == value
    assert not PendingRevision.objects.exists()


def test_a_senior_curators_own_edit_goes_live_at_once(client, senior, case):
    sign_in_verified(client, senior)
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    data["narrative"] = "Workers met officials in Dongguan."
    assert client.post(change, data).status_code == 302
    assert "Dongguan" in public_page(case)
    assert not PendingRevision.objects.exists()


def test_approving_a_proposal_made_on_an_older_version_is_refused(client, curator, senior, case):
    sign_in_verified(client, curator)
    pending = propose(client, case, narrative="Workers met officials in Dongguan.")
    # Meanwhile a senior curator corrects the title.
    sign_in_verified(client, senior)
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    data["title_en_gb"] = "Corrected title"
    assert client.post(change, data).status_code == 302

    review = client.get(review_url(pending)).content.decode()
    assert "cannot be applied to the entry as it is now" in review and "Corrected title" in review
    response = client.post(decide_url(pending), {"_approve": "1"}, follow=True)
    assert "Not approved" in messages_of(response)
    case.refresh_from_db()
    assert (case.title, case.narrative) == ("Corrected title", "Workers met officials in Shenzhen.")
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_a_curator_cannot_revert_a_published_entry_behind_the_reviewers_back(client, curator, senior, case):
    sign_in_verified(client, senior)
    change = url(Intervention, "change", case.pk)
    data = form_data(client.get(change))
    assert client.post(change, data).status_code == 302
    data["narrative"] = "Workers met officials in Dongguan."
    assert client.post(change, form_data(client.get(change)) | {"narrative": data["narrative"]}).status_code == 302
    first = Version.objects.get_for_object(case).order_by("pk").first()

    sign_in_verified(client, curator)
    revert = reverse("admin:interventions_intervention_revision", args=[case.pk, first.pk])
    response = client.post(revert, form_data(client.get(revert)), follow=True)
    assert "waiting for a senior curator's approval" in messages_of(response)
    assert "Dongguan" in public_page(case)
    pending = PendingRevision.objects.get()
    assert pending.via == "revert"

    sign_in_verified(client, senior)
    assert "<del>Dongguan.</del>" in client.get(review_url(pending)).content.decode()
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    assert "Shenzhen" in public_page(case)


def test_the_approval_pages_are_staff_only(client, curator, case):
    sign_in_verified(client, curator)
    pending = propose(client, case, narrative="Workers met officials in Dongguan.")
    client.logout()
    for page in (review_url(pending), preview_url(pending)):
        response = client.get(page)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    instructor = member_of(roles.INSTRUCTORS, username="teacher", staff=False)
    sign_in_verified(client, instructor)
    assert client.get(preview_url(pending)).status_code == 302
    assert "Shenzhen" in public_page(case)


@pytest.mark.django_db(transaction=True)
def test_search_finds_the_approved_text_only_once_approved(curator, senior):
    """The search index is written when a save commits: not for a proposal, nor its preview; for its approval."""
    from cases.search.models import SearchEntry

    case = f.InterventionFactory(status="published", narrative="Workers met officials in Shenzhen.")
    client = Client()
    sign_in_verified(client, curator)
    pending = propose(client, case, narrative="Workers met officials in Dongguan.")
    assert client.get(preview_url(pending)).status_code == 200
    sign_in_verified(client, senior)
    assert client.get(review_url(pending)).status_code == 200
    assert "Shenzhen" in SearchEntry.objects.get(kind="case", object_id=case.pk).body
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    assert "Dongguan" in SearchEntry.objects.get(kind="case", object_id=case.pk).body


@pytest.mark.parametrize("what", ["place", "author", "source author row", "stance"])
def test_every_kind_of_public_facing_row_waits(client, curator, what):
    source = f.SourceFactory(status="published")
    if what == "place":
        obj, field, value = f.PlaceFactory(status="published", name="Shenzhen"), "name", "Dongguan"
        shown_on = obj
    elif what == "author":
        obj, field, value = f.AuthorFactory(family_name="Pringle"), "family_name", "Pringel"
        f.SourceAuthorFactory(source=source, author=obj)
        shown_on = source
    elif what == "source author row":
        obj = f.SourceAuthorFactory(source=source, author=f.AuthorFactory(family_name="Pringle"))
        field, value = "author", str(f.AuthorFactory(family_name="Franceschini").pk)
        shown_on = source
    else:
        obj = f.StanceFactory(sentence="The campaign won.")
        obj.position.status = "published"
        obj.position.save()
        field, value, shown_on = "sentence", "The campaign lost.", obj.position
    before = public_page(shown_on)
    sign_in_verified(client, curator)
    pending = propose(client, obj, **{field: value})
    assert public_page(shown_on) == before
    assert pending.content_type.model_class() is type(obj)


def test_a_curator_recovering_a_deleted_row_of_a_published_case_waits_for_approval(client, curator, senior, case):
    sign_in_verified(client, senior)
    event = case.events.get()
    change = url(Event, "change", event.pk)
    assert client.post(change, form_data(client.get(change))).status_code == 302  # a version of the event
    event.delete()
    version = Version.objects.get_deleted(Event).get()

    sign_in_verified(client, curator)
    recover = reverse("admin:interventions_event_recover", args=[version.pk])
    response = client.post(recover, form_data(client.get(recover)), follow=True)
    assert "waiting for a senior curator's approval" in messages_of(response)
    assert not Event.objects.exists() and "five worker activists" not in public_page(case)
    pending = PendingRevision.objects.get()
    assert pending.via == "recover"

    sign_in_verified(client, senior)
    assert client.post(decide_url(pending), {"_approve": "1"}).status_code == 302
    assert "five worker activists" in public_page(case)


def test_saving_a_published_entry_unchanged_proposes_nothing(client, curator, case):
    sign_in_verified(client, curator)
    change = url(Intervention, "change", case.pk)
    response = client.post(change, form_data(client.get(change)), follow=True)
    assert "Nothing to save" in messages_of(response)
    assert not PendingRevision.objects.exists() and not Version.objects.get_for_object(case).exists()


def test_the_admin_index_leads_to_the_changes_waiting(client, curator, senior, case):
    sign_in_verified(client, curator)
    pending = propose(client, case, narrative="Workers met officials in Dongguan.")
    changelist = reverse("admin:curation_pendingrevision_changelist")
    for user in (curator, senior):
        sign_in_verified(client, user)
        assert changelist in client.get(reverse("admin:index")).content.decode()
        listed = client.get(changelist)
        assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [pending]
        assert review_url(pending) in listed.content.decode()
    client.post(decide_url(pending), {"_reject": "1"})
    assert not list(client.get(changelist).context["cl"].result_list)  # the list opens on what is waiting
    assert list(client.get(changelist, {"state": "all"}).context["cl"].result_list) == [pending]


def test_a_form_posted_by_a_browser_with_crlf_line_breaks_changes_nothing(client):
    # Browsers send a textarea's line breaks as CRLF: an untouched text must not become a change to review.

    curator = member_of(roles.CURATORS, username="crlf-curator")
    case = f.InterventionFactory(status="published", narrative="First paragraph.\n\nSecond paragraph.")
    sign_in_verified(client, curator)
    change = reverse("admin:interventions_intervention_change", args=[case.pk])
    data = form_data(client.get(change))
    data["narrative"] = data["narrative"].replace("\n", "\r\n")
    client.post(change, data)
    assert not PendingRevision.objects.filter(object_id=str(case.pk)).exists()
    case.refresh_from_db()
    assert case.narrative == "First paragraph.\n\nSecond paragraph."
