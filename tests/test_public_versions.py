"""Citable public versions and the public change log.

A version is made only when what the public sees changes (publishing, an approved change, a senior curator's own
change), keeps the page as it was published at /…/v/N/, and is listed in /changes/ and its Atom feed with the
approving curator's public note. A draft, a change waiting for approval and a withdrawn entry's old text never reach
any of them; a withdrawn entry's versions answer 410.
"""

import contextlib
import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases.core.public_versions import PublicVersion
from cases.curation.models import PendingRevision
from cases.interventions.models import Intervention
from cases.keeping.versions import fill_pending, record_missing
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_admin import errors_of, form_data, url

ATOM = "{http://www.w3.org/2005/Atom}"

# Versions are recorded when the transaction of a save commits: these tests commit, as a server does (inside a test's
# own transaction, a request's saves would join it and nothing would commit).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def commits():
    """Stands for what runs a save's commit hooks: here every request commits as it does on a server."""
    return lambda execute=True: contextlib.nullcontext()


def anonymous(path):
    return Client().get(path)


def text_of(path, status=200):
    response = anonymous(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def version_url(entry, number):
    return reverse(f"{entry._meta.model_name}_version", kwargs={"slug": entry.slug, "number": number})


def save_in_admin(client, obj, capture, **changes):
    """Post the entry's change form back with `changes`, its commit hooks run (the version is recorded then)."""
    change = url(type(obj), "change", obj.pk)
    data = form_data(client.get(change))
    data.update(changes)
    with capture(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302, errors_of(response)


def publish_in_admin(client, obj, capture):
    with capture(execute=True):
        response = client.post(
            url(type(obj), "changelist"), {"action": "publish_selected", "_selected_action": [obj.pk]}, follow=True
        )
    assert response.status_code == 200


def published_case(**kwargs):
    """A complete published case, saved with its rows in one transaction (one version, as publishing makes)."""
    with transaction.atomic():
        return f.InterventionFactory(complete=True, **kwargs)


@pytest.fixture
def draft_case():
    return f.InterventionFactory(
        status="draft", complete=True, title="Pangolin campaign", narrative="Workers met officials in Shenzhen."
    )


def test_an_approved_edit_makes_version_2_and_version_1_keeps_the_old_text(
    client, curator, senior, draft_case, commits
):
    case = draft_case
    sign_in_verified(client, senior)
    publish_in_admin(client, case, commits)
    first = PublicVersion.objects.for_object(case).get()
    assert (first.number, first.change, first.approved_by) == (1, "published", senior)
    assert "Shenzhen" in first.content

    # A curator's edit waits for approval: no version, the public pages unchanged.
    sign_in_verified(client, curator)
    save_in_admin(
        client,
        case,
        commits,
        narrative="Workers met officials in Dongguan.",
        public_note="Curator's suggestion",
    )
    pending = PendingRevision.objects.for_object(case).pending().get()
    assert PublicVersion.objects.for_object(case).count() == 1
    assert anonymous(version_url(case, 2)).status_code == 404
    assert "Dongguan" not in text_of(case.get_absolute_url())

    # The senior curator approves it with a public note: version 2.
    sign_in_verified(client, senior)
    review = client.get(reverse("admin:curation_pendingrevision_change", args=[pending.pk])).content.decode()
    assert 'name="public_note"' in review and "Curator&#x27;s suggestion" in review
    with commits(execute=True):
        client.post(
            reverse("admin:curation_pendingrevision_decide", args=[pending.pk]),
            {"_approve": "1", "public_note": "Corrected the city of the meeting (p. 12)."},
        )
    second = PublicVersion.objects.for_object(case).get(number=2)
    assert (second.change, second.approved_by, second.note) == (
        "changed",
        senior,
        "Corrected the city of the meeting (p. 12).",
    )

    # The entry page: the new text, version 2 and the address that cites it.
    page = text_of(case.get_absolute_url())
    assert "Dongguan" in page and "Shenzhen" not in page
    assert "This is version 2 of the page" in page and f'href="{version_url(case, 2)}"' in page
    # Version 1 still shows the old text, says a newer version exists and cites itself.
    old = text_of(version_url(case, 1))
    assert "Shenzhen" in old and "Dongguan" not in old
    assert "A newer version of this page exists (version 2)" in old
    assert f"{version_url(case, 1)}</a>" in old and "Pangolin campaign (version 1)" in old
    assert "max-age=86400" in anonymous(version_url(case, 1))["Cache-Control"]
    new = text_of(version_url(case, 2))
    assert "Dongguan" in new and "This is the current version." in new
    # Its citation downloads name the version's address.
    bib = text_of(reverse("intervention_version_cite", kwargs={"slug": case.slug, "number": 1, "fmt": "bib"}))
    assert version_url(case, 1) in bib and "(version 1)" in bib
    # The change log: newest first, with the public note and never the curator's own.
    changes = text_of(reverse("public_changes"))
    assert changes.index("Corrected the city of the meeting") < changes.index("First published.")
    assert "Curator&#x27;s suggestion" not in changes and case.curator_note not in changes or not case.curator_note


def test_a_senior_curators_own_change_is_a_version_and_an_unchanged_save_is_not(client, senior, draft_case, commits):
    sign_in_verified(client, senior)
    publish_in_admin(client, draft_case, commits)
    save_in_admin(client, draft_case, commits, curator_note="Check the date on p. 3.")
    assert PublicVersion.objects.for_object(draft_case).count() == 1  # the public page did not change
    save_in_admin(client, draft_case, commits, summary_en_gb="A new summary.", public_note="Summary.")
    latest = PublicVersion.objects.for_object(draft_case).order_by("-number").first()
    assert (latest.number, latest.note) == (2, "Summary.")
    assert "Check the date" not in text_of(reverse("public_changes"))


def test_a_draft_and_a_case_in_review_never_make_a_version(client, senior, curator, draft_case, commits):
    sign_in_verified(client, senior)
    save_in_admin(client, draft_case, commits, narrative="Zqdraftword changed.")
    save_in_admin(client, draft_case, commits, status="review")
    sign_in_verified(client, curator)
    save_in_admin(client, draft_case, commits, narrative="Zqreviewword changed.")
    assert not PublicVersion.objects.for_object(draft_case).exists()
    for path in (reverse("public_changes"), reverse("public_changes_feed")):
        body = text_of(path)
        assert "Pangolin" not in body and "zq" not in body.lower()
    assert anonymous(version_url(draft_case, 1)).status_code == 404


def test_a_withdrawn_entrys_versions_answer_410_and_the_log_says_withdrawn_without_old_text(
    client, senior, draft_case, commits
):
    sign_in_verified(client, senior)
    publish_in_admin(client, draft_case, commits)
    with commits(execute=True):
        client.post(
            url(Intervention, "changelist"), {"action": "withdraw_selected", "_selected_action": [draft_case.pk]}
        )
    response = anonymous(version_url(draft_case, 1))
    page = response.content.decode()
    assert response.status_code == 410
    assert "Pangolin campaign" in page and "was withdrawn" in page and "Shenzhen" not in page
    withdrawal = PublicVersion.objects.for_object(draft_case).get(change="withdrawn")
    assert (withdrawal.number, withdrawal.content) == (None, None)
    changes = text_of(reverse("public_changes"))
    assert "withdrawn" in changes and "Withdrawn from the archive." in changes and "Shenzhen" not in changes
    # Back to draft: still gone, and never a version.
    with commits(execute=True):
        client.post(
            url(Intervention, "changelist"), {"action": "return_to_draft", "_selected_action": [draft_case.pk]}
        )
    assert anonymous(version_url(draft_case, 1)).status_code == 410
    assert PublicVersion.objects.for_object(draft_case).count() == 2


def test_a_bad_version_number_is_404_never_500():
    case = published_case()
    assert anonymous(version_url(case, 1)).status_code == 200
    for number in ("0", "-1", "00", "01", "1x", "abc", "99999999999999999999", "2", "1.0", "%00"):
        for suffix in ("", "cite.bib"):
            response = anonymous(f"{case.get_absolute_url()}v/{number}/{suffix}")
            assert response.status_code == 404, (number, suffix, response.status_code)


def test_the_atom_feed_is_xml_with_the_changes_newest_first(client, senior, commits):
    first = f.InterventionFactory(status="draft", complete=True, title="Armadillo campaign")
    second = f.OrganisationFactory(status="draft", name="Okapi workers' centre")
    f.InterventionFactory(status="draft", complete=True, title="Zqhidden draft")
    sign_in_verified(client, senior)
    publish_in_admin(client, first, commits)
    publish_in_admin(client, second, commits)
    response = anonymous(reverse("public_changes_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries][:2]
    assert titles == ["Organisation: Okapi workers' centre — version 1", "Case: Armadillo campaign — version 1"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[1].endswith(version_url(first, 1))
    assert all(entry.find(f"{ATOM}summary").text == "First published." for entry in entries[:2])
    assert b"Zqhidden" not in response.content


@pytest.mark.parametrize("size", [1, 5])
def test_query_counts_of_the_change_log_and_a_version_page_are_pinned(django_assert_num_queries, size):
    cases = [published_case() for _ in range(size)]
    f.OrganisationFactory()
    # The count and one page of changes.
    with django_assert_num_queries(2):
        assert anonymous(reverse("public_changes")).status_code == 200
    with django_assert_num_queries(1):
        assert anonymous(reverse("public_changes_feed")).status_code == 200
    # The entry (with its latest version number) and the version: the page itself is stored.
    with django_assert_num_queries(2):
        assert anonymous(version_url(cases[-1], 1)).status_code == 200


def test_the_change_log_is_not_served_stale_after_a_publish(settings, client, senior, draft_case, commits):
    from cases.core.cache import bump_generation

    settings.PAGE_CACHE_ENABLED = True
    bump_generation()
    reader = Client()
    assert "Pangolin" not in reader.get(reverse("public_changes")).content.decode()
    assert reader.get(reverse("public_changes"))["X-Cache"] == "HIT"
    sign_in_verified(client, senior)
    publish_in_admin(client, draft_case, commits)
    assert "Pangolin campaign" in reader.get(reverse("public_changes")).content.decode()
    first = reader.get(version_url(draft_case, 1))
    assert first.status_code == 200 and reader.get(version_url(draft_case, 1))["X-Cache"] == "HIT"


def test_first_versions_of_what_was_published_before_are_made_once(senior):
    case = published_case(title="Quagga campaign")
    draft = f.InterventionFactory(status="draft", complete=True)
    PublicVersion.objects.all().delete()  # as before public versions existed
    # Outside a transaction the pages are rendered at once (in one, when it commits).
    assert record_missing() >= 2  # the case and its lead organisation
    assert fill_pending() == 0
    assert record_missing() == 0
    version = PublicVersion.objects.for_object(case).get()
    assert version.number == 1 and "Quagga campaign" in version.content
    assert not PublicVersion.objects.for_object(draft).exists()
    # The entry page names its version; the version page shows the stored page.
    assert "This is version 1 of the page" in text_of(case.get_absolute_url())
    assert "Quagga campaign" in text_of(version_url(case, 1))


def test_curators_read_the_versions_in_the_admin_and_cannot_change_them(client, senior):
    case = published_case(title="Quoll campaign")
    sign_in_verified(client, senior)
    listing = client.get(reverse("admin:core_publicversion_changelist"))
    assert listing.status_code == 200 and "Quoll campaign" in listing.content.decode()
    version = PublicVersion.objects.for_object(case).get()
    assert client.get(reverse("admin:core_publicversion_add")).status_code == 403
    change = reverse("admin:core_publicversion_change", args=[version.pk])
    assert client.post(change, {"note": "Rewritten"}).status_code == 403
    assert PublicVersion.objects.get(pk=version.pk).note == ""


def test_a_version_read_on_a_chinese_page_says_it_is_the_english_record(client, senior, draft_case, commits):
    """A version keeps the page as it was published, in English: a Chinese page shows that record marked as English
    (lang="en-GB") and says so, rather than English headings passing for its own."""
    sign_in_verified(client, senior)
    publish_in_admin(client, draft_case, commits)
    english = text_of(version_url(draft_case, 1))
    assert "Workers met officials in Shenzhen." in english and 'lang="en-GB">' not in english.split("<main", 1)[1]
    chinese = text_of("/zh-hans" + version_url(draft_case, 1))
    assert "以英文保存每个版本" in chinese
    record = chinese.split('<div lang="en-GB">', 1)[1]
    assert "Workers met officials in Shenzhen." in record
