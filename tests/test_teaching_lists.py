"""Reading lists: the instructor's journey, who may see what, and bad input answered clearly."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.teaching.models import ReadingList, ReadingListItem
from tests.factories import (
    AuthorFactory,
    ConceptFactory,
    DiscussionQuestionFactory,
    InterventionFactory,
    OrganisationFactory,
    PositionFactory,
    SourceAuthorFactory,
    SourceFactory,
)
from tests.teaching_helpers import add, make_instructor, make_list


def one_of_each_kind(status="published"):
    source = SourceFactory(status=status, title="Solidarity and the state")
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Pringle", given_names="Tim"))
    return [
        InterventionFactory(status=status, title="A minimum-wage campaign"),
        PositionFactory(status=status, title="An anti-solidarity machine"),
        source,
        OrganisationFactory(status=status, name="Workers' Centre"),
        ConceptFactory(status=status, term="Local rationality"),
    ]


def add_via_page(client, entry, kind, **data):
    return client.post(reverse("teaching:add_to_list"), {"kind": kind, "entry": entry.pk, **data})


def share_token(client, reading_list):
    client.post(reverse("teaching:list_share", args=[reading_list.pk]), {"action": "share"})
    reading_list.refresh_from_db()
    return reading_list.share_token


# --- The whole journey ----------------------------------------------------------------------------------------


def test_instructor_journey(client, instructor):
    case = InterventionFactory(title="A minimum-wage campaign")
    question = DiscussionQuestionFactory(intervention=case, text="What was the single demand?")
    DiscussionQuestionFactory(intervention=case, text="A draft question", status="draft")
    source = SourceFactory(title="Solidarity and the state")
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Pringle", given_names="Tim"))

    # Sign in with the real form.
    response = client.post(reverse("login"), {"username": "instructor", "password": "a-long-pass-phrase-42"})
    assert response.status_code == 302 and response.url == reverse("teaching:list_index")

    # The case page offers "Add to reading list"; start a new list from it.
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Add to reading list" in page and "What was the single demand?" in page
    assert "A draft question" not in page
    response = add_via_page(client, case, "case", reading_list="", new_title="Week 3: campaigns")
    reading_list = ReadingList.objects.get(title="Week 3: campaigns")
    assert response.status_code == 302 and response.url == reading_list.get_absolute_url()
    assert reading_list.owner == instructor

    # Add the source to the same list, chosen from the menu; adding it twice keeps one item.
    assert add_via_page(client, source, "source", reading_list=reading_list.pk).status_code == 302
    add_via_page(client, source, "source", reading_list=reading_list.pk)
    items = list(reading_list.items.all())
    assert [item.entry for item in items] == [case, source]

    # Details, note, pages, and a question of that case.
    response = client.post(
        reverse("teaching:list_edit", args=[reading_list.pk]),
        {
            "title": "Week 3: campaigns",
            "course": "SOC 214",
            "description": "Read before class.",
            "due_date": "2027-03-15",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("teaching:item_edit", args=[reading_list.pk, items[0].pk]),
        {"note": "Look for the demand.", "pages": "Building 'Local Rationality'", "questions": [question.pk]},
    )
    assert response.status_code == 302

    # Reorder without JavaScript: the source moves up.
    client.post(reverse("teaching:item_move", args=[reading_list.pk, items[1].pk]), {"direction": "up"})
    assert [item.entry for item in reading_list.items.order_by("position")] == [source, case]
    detail = client.get(reading_list.get_absolute_url())
    html = detail.content.decode().split('class="reading-items"')[1]
    assert detail["Cache-Control"].count("no-store") == 1 and "private" in detail["Cache-Control"]
    assert html.index("Solidarity and the state") < html.index("A minimum-wage campaign")

    # Share, and open the link as a student (no account).
    token = share_token(client, reading_list)
    assert token and len(token) >= 43
    student = client.__class__()
    shared = student.get(reverse("teaching:shared", args=[token]))
    html = shared.content.decode()
    assert shared.status_code == 200
    for text in [
        "Week 3: campaigns",
        "SOC 214",
        "15 March 2027",
        "Look for the demand.",
        "What was the single demand?",
    ]:
        assert text in html
    assert "Move up" not in html and "Stop sharing" not in html
    assert shared["X-Robots-Tag"] == "noindex, nofollow" and shared["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in html

    # The handout has the full references; the exports carry both items.
    handout = student.get(reverse("teaching:shared_print", args=[token])).content.decode()
    assert "Pringle, T." in handout and "Solidarity and the state" in handout
    assert (
        student.get(reverse("teaching:shared", args=[token]) + "?print=1").content.decode().count("Pringle, T.") >= 1
    )
    bib = student.get(reverse("teaching:shared_export", args=[token, "bib"]))
    assert (
        bib["Content-Type"].startswith("application/x-bibtex") and "Solidarity and the state" in bib.content.decode()
    )

    # Duplicate, archive, delete (with a confirmation page).
    response = client.post(reverse("teaching:list_duplicate", args=[reading_list.pk]))
    copy = ReadingList.objects.get(title="Copy of Week 3: campaigns")
    assert response.url == copy.get_absolute_url()
    assert [item.entry for item in copy.items.order_by("position")] == [source, case]
    copied = next(item for item in copy.items.all() if item.entry == case)
    assert list(copied.questions.all()) == [question]
    assert [(i.note, i.pages) for i in copy.items.order_by("position")] == [
        ("", ""),
        ("Look for the demand.", "Building 'Local Rationality'"),
    ]
    assert copy.share_token is None
    client.post(reverse("teaching:list_archive", args=[copy.pk]), {"archived": "1"})
    copy.refresh_from_db()
    assert copy.archived
    index = client.get(reverse("teaching:list_index")).content.decode()
    assert index.index("Week 3: campaigns") < index.index("Archived lists") < index.index("Copy of Week 3")
    confirm = client.get(reverse("teaching:list_delete", args=[copy.pk]))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert ReadingList.objects.filter(pk=copy.pk).exists()
    client.post(reverse("teaching:list_delete", args=[copy.pk]))
    assert not ReadingList.objects.filter(pk=copy.pk).exists()

    # Sign out (POST only).
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("teaching:list_index")).status_code == 302


def test_every_kind_of_entry_can_be_added_from_its_page(signed_in):
    reading_list = make_list(
        signed_in.session
        and ReadingList.objects.none().model.objects.none().model.owner.field.related_model.objects.get()
    )
    for entry in one_of_each_kind():
        page = signed_in.get(entry.get_absolute_url()).content.decode()
        assert 'action="/reading-lists/add/"' in page, entry
        kind = re.search(r'name="kind" value="(\w+)"', page).group(1)
        assert add_via_page(signed_in, entry, kind, reading_list=reading_list.pk).status_code == 302
    assert reading_list.items.count() == 5
    assert list(reading_list.items.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_removing_an_item_closes_the_gap(signed_in, instructor):
    reading_list = make_list(instructor)
    items = add(reading_list, *one_of_each_kind()[:3])
    signed_in.post(reverse("teaching:item_remove", args=[reading_list.pk, items[0].pk]))
    assert list(reading_list.items.kept().values_list("position", flat=True)) == [1, 2]


def test_move_to_a_position_number(signed_in, instructor):
    reading_list = make_list(instructor)
    items = add(reading_list, *one_of_each_kind())
    signed_in.post(reverse("teaching:item_move", args=[reading_list.pk, items[0].pk]), {"position": "4"})
    order = [item.pk for item in reading_list.items.order_by("position")]
    assert order == [items[1].pk, items[2].pk, items[3].pk, items[0].pk, items[4].pk]


def test_renewing_the_link_retires_the_old_one_and_revoking_closes_it(signed_in, instructor, client):
    reading_list = make_list(instructor)
    old = share_token(signed_in, reading_list)
    signed_in.post(reverse("teaching:list_share", args=[reading_list.pk]), {"action": "renew"})
    reading_list.refresh_from_db()
    new = reading_list.share_token
    assert new != old
    student = client.__class__()
    assert student.get(reverse("teaching:shared", args=[old])).status_code == 404
    assert student.get(reverse("teaching:shared", args=[new])).status_code == 200
    signed_in.post(reverse("teaching:list_share", args=[reading_list.pk]), {"action": "revoke"})
    for url in ["teaching:shared", "teaching:shared_print"]:
        assert student.get(reverse(url, args=[new])).status_code == 404
    assert student.get(reverse("teaching:shared_export", args=[new, "ris"])).status_code == 404


# --- Permission boundaries --------------------------------------------------------------------------------------


def owner_urls(reading_list, item):
    pk, item_pk = reading_list.pk, item.pk
    return {
        "get": [
            reverse("teaching:list_detail", args=[pk]),
            reverse("teaching:list_edit", args=[pk]),
            reverse("teaching:list_delete", args=[pk]),
            reverse("teaching:list_print", args=[pk]),
            reverse("teaching:list_export", args=[pk, "bib"]),
            reverse("teaching:item_edit", args=[pk, item_pk]),
        ],
        "post": [
            (reverse("teaching:list_edit", args=[pk]), {"title": "Taken over"}),
            (reverse("teaching:list_duplicate", args=[pk]), {}),
            (reverse("teaching:list_archive", args=[pk]), {"archived": "1"}),
            (reverse("teaching:list_share", args=[pk]), {"action": "revoke"}),
            (reverse("teaching:item_edit", args=[pk, item_pk]), {"note": "Taken over"}),
            (reverse("teaching:item_move", args=[pk, item_pk]), {"direction": "down"}),
            (reverse("teaching:item_remove", args=[pk, item_pk]), {}),
            (reverse("teaching:list_delete", args=[pk]), {}),
        ],
    }


@pytest.fixture
def someone_elses_list():
    owner = make_instructor("owner")
    reading_list = make_list(owner, title="Owner's private list")
    items = add(reading_list, *one_of_each_kind()[:2])
    from cases.teaching import services

    services.share(reading_list)
    return reading_list, items[0]


def assert_unchanged(reading_list):
    reading_list.refresh_from_db()
    assert reading_list.title == "Owner's private list" and not reading_list.archived and reading_list.share_token
    assert reading_list.items.count() == 2 and not reading_list.items.exclude(note="").exists()
    assert ReadingList.objects.count() == 1


def test_another_instructor_gets_404_everywhere(client, someone_elses_list):
    reading_list, item = someone_elses_list
    client.force_login(make_instructor("intruder"))
    urls = owner_urls(reading_list, item)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    assert_unchanged(reading_list)
    # Nor can they add to it.
    response = add_via_page(client, InterventionFactory(), "case", reading_list=reading_list.pk)
    assert response.status_code == 400 and "Choose one of your own reading lists." in response.content.decode()
    assert reading_list.items.count() == 2
    assert "Owner's private list" not in client.get(reverse("teaching:list_index")).content.decode()


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(client, someone_elses_list):
    reading_list, item = someone_elses_list
    urls = owner_urls(reading_list, item)
    for url in urls["get"] + [reverse("teaching:list_index"), reverse("teaching:add_to_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next="), url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 302, url
    assert_unchanged(reading_list)


def test_a_signed_in_user_who_is_not_an_instructor_is_refused(client, someone_elses_list):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("reader", "r@example.org", "x-long-password-1"))
    assert client.get(reverse("teaching:list_index")).status_code == 403
    assert add_via_page(client, InterventionFactory(), "case", new_title="Mine").status_code == 403
    case = InterventionFactory()
    assert "Add to reading list" not in client.get(case.get_absolute_url()).content.decode()


def test_a_student_sees_only_published_items(client, instructor):
    reading_list = make_list(instructor)
    published = one_of_each_kind()
    hidden = [InterventionFactory(title="A case in review"), SourceFactory(title="A draft source")]
    add(reading_list, published[0], *hidden, published[2])
    hidden[0].status = "review"
    hidden[0].save()
    hidden[1].status = "withdrawn"
    hidden[1].save()
    from cases.teaching import services

    services.share(reading_list)
    token = reading_list.share_token
    html = client.get(reverse("teaching:shared", args=[token])).content.decode()
    assert "A minimum-wage campaign" in html and "Solidarity and the state" in html
    assert "A case in review" not in html and "A draft source" not in html
    assert "2 items are not available" in html
    handout = client.get(reverse("teaching:shared_print", args=[token])).content.decode()
    assert "A draft source" not in handout and "2 items are not available" in handout
    for fmt in ["bib", "ris", "json"]:
        body = client.get(reverse("teaching:shared_export", args=[token, fmt])).content.decode()
        assert "A case in review" not in body and "A draft source" not in body and "Solidarity and the state" in body
    # The owner is told which items students do not see.
    client.force_login(instructor)
    owner_view = client.get(reading_list.get_absolute_url()).content.decode()
    assert "2 items are no longer published" in owner_view
    # ...without naming them: an unpublished entry's current title may be a correction not yet public.
    assert "A case in review" not in owner_view and "A draft source" not in owner_view
    assert owner_view.count("An entry the archive no longer publishes") == 2


def test_a_draft_question_chosen_earlier_is_not_shown_to_students(client, instructor):
    case = InterventionFactory()
    question = DiscussionQuestionFactory(intervention=case, text="Later withdrawn question")
    reading_list = make_list(instructor)
    (item,) = add(reading_list, case)
    item.questions.add(question)
    question.status = "withdrawn"
    question.save()
    from cases.teaching import services

    services.share(reading_list)
    assert "Later withdrawn question" not in client.get(reading_list.get_share_url()).content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "x" * 43,  # well-formed, unknown
        "short",
        "a" * 200,
        "abc%00def" + "a" * 34,
        "..%2F..%2Fadmin" + "a" * 28,
    ],
)
def test_tampered_tokens_get_the_not_found_page(client, instructor, token):
    reading_list = make_list(instructor)
    from cases.teaching import services

    services.share(reading_list)
    response = client.get(f"/shared/{token}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    # One character changed is as good as any other wrong token.
    tampered = reading_list.share_token[:-1] + ("A" if reading_list.share_token[-1] != "A" else "B")
    assert client.get(reverse("teaching:shared", args=[tampered])).status_code == 404


# --- Bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "case", "entry": "999999", "new_title": "New"}, "There is no published case with that id"),
        ({"kind": "case", "entry": "abc", "new_title": "New"}, "missing or malformed"),
        ({"kind": "case", "entry": "99999999999999999999999", "new_title": "New"}, "missing or malformed"),
        ({"kind": "spaceship", "entry": "1", "new_title": "New"}, "Unknown kind of entry"),
        ({"kind": "case", "new_title": "New"}, "missing or malformed"),
        ({"kind": "case", "entry": "1", "reading_list": "999999"}, "Choose one of your own reading lists"),
        ({"kind": "case", "entry": "1", "reading_list": "x\x00"}, "Null characters are not allowed"),
        ({"kind": "case", "entry": "1", "reading_list": "x"}, "Choose one of your own reading lists"),
        ({"kind": "case", "entry": "1"}, "Choose a list, or give a title for a new one"),
        ({"kind": "case", "entry": "1", "new_title": "x" * 500}, "at most 200 characters"),
        ({"kind": "case", "entry": "1", "new_title": "nul\x00byte"}, "Null characters are not allowed"),
    ],
)
def test_adding_bad_input_is_answered_clearly(signed_in, data, message):
    InterventionFactory(pk=1)
    response = signed_in.post(reverse("teaching:add_to_list"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReadingListItem.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_an_unpublished_entry_cannot_be_added(signed_in, instructor, status):
    reading_list = make_list(instructor)
    source = SourceFactory(status=status)
    response = add_via_page(signed_in, source, "source", reading_list=reading_list.pk)
    assert response.status_code == 400
    assert "There is no published source with that id" in response.content.decode()
    assert reading_list.items.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"position": "4"}, "Position 4 is outside this list: choose a position from 1 to 3."),
        ({"position": "0"}, "Positions start at 1."),
        ({"position": "-3"}, "Positions start at 1."),
        ({"position": "two"}, "Give the new position as a whole number."),
        ({"position": "9" * 30}, "past the end of any list"),
        ({"direction": "sideways"}, "Select a valid choice"),
        ({}, "Say where to move the item"),
    ],
)
def test_reordering_past_the_end_is_answered_clearly(signed_in, instructor, data, message):
    reading_list = make_list(instructor)
    items = add(reading_list, *one_of_each_kind()[:3])
    response = signed_in.post(reverse("teaching:item_move", args=[reading_list.pk, items[0].pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The item was not moved." in html and message in html
    assert [i.pk for i in reading_list.items.order_by("position")] == [i.pk for i in items]


def test_moving_the_first_item_up_is_refused_clearly(signed_in, instructor):
    reading_list = make_list(instructor)
    items = add(reading_list, *one_of_each_kind()[:2])
    response = signed_in.post(reverse("teaching:item_move", args=[reading_list.pk, items[0].pk]), {"direction": "up"})
    assert response.status_code == 400 and "choose a position from 1 to 2" in response.content.decode()


@pytest.mark.parametrize(
    "due_date, message",
    [
        ("March 15th", "Enter the due date as YYYY-MM-DD"),
        ("2027-03-15\x00", "Enter the due date as YYYY-MM-DD"),
        ("2027-02-30", "Enter the due date as YYYY-MM-DD"),
        ("1850-01-01", "between 2000 and 2100"),
        ("99999-01-01", "Enter the due date as YYYY-MM-DD"),
    ],
)
def test_bad_due_dates_are_form_errors(signed_in, instructor, due_date, message):
    reading_list = make_list(instructor)
    response = signed_in.post(
        reverse("teaching:list_edit", args=[reading_list.pk]), {"title": "T", "due_date": due_date}
    )
    assert response.status_code == 400 and message in response.content.decode()
    reading_list.refresh_from_db()
    assert reading_list.due_date is None and reading_list.title == "Labour NGOs in China"


def test_an_empty_title_and_a_new_list_from_my_lists(signed_in):
    assert signed_in.post(reverse("teaching:list_create"), {"title": ""}).status_code == 400
    response = signed_in.post(reverse("teaching:list_create"), {"title": "Week 1", "due_date": "2027-01-10"})
    reading_list = ReadingList.objects.get()
    assert response.url == reading_list.get_absolute_url()
    assert reading_list.due_date == datetime.date(2027, 1, 10)


def test_only_questions_of_that_case_can_be_chosen(signed_in, instructor):
    case, other_case = InterventionFactory(), InterventionFactory()
    own = DiscussionQuestionFactory(intervention=case, text="Own question")
    foreign = DiscussionQuestionFactory(intervention=other_case, text="Foreign question")
    draft = DiscussionQuestionFactory(intervention=case, text="Draft question", status="draft")
    reading_list = make_list(instructor)
    (item,) = add(reading_list, case)
    url = reverse("teaching:item_edit", args=[reading_list.pk, item.pk])
    form = signed_in.get(url).content.decode()
    assert "Own question" in form and "Foreign question" not in form and "Draft question" not in form
    for bad in [foreign.pk, draft.pk, 999999, "x"]:
        response = signed_in.post(url, {"note": "n", "questions": [bad]})
        assert response.status_code == 400 and "Choose only questions of this case." in response.content.decode()
    assert signed_in.post(url, {"note": "n", "questions": [own.pk]}).status_code == 302
    assert list(item.questions.all()) == [own]


def test_item_ids_that_do_not_exist_are_404(signed_in, instructor):
    reading_list = make_list(instructor)
    assert signed_in.get(reverse("teaching:item_edit", args=[reading_list.pk, 999999])).status_code == 404
    assert signed_in.get(f"/reading-lists/{reading_list.pk}/items/{'9' * 40}/").status_code == 404
    assert signed_in.get(f"/reading-lists/{'9' * 40}/").status_code == 404
    assert signed_in.get(f"/reading-lists/{reading_list.pk}/export.xml").status_code == 404


def test_unknown_sharing_and_archive_actions_are_400(signed_in, instructor):
    reading_list = make_list(instructor)
    assert signed_in.post(reverse("teaching:list_share", args=[reading_list.pk]), {"action": "x"}).status_code == 400
    assert signed_in.post(reverse("teaching:list_archive", args=[reading_list.pk]), {}).status_code == 400


# --- Exports ----------------------------------------------------------------------------------------------------


def test_owner_exports_import_cleanly(signed_in, instructor):
    import json

    import bibtexparser
    import rispy

    reading_list = make_list(instructor, title="Week 4: repression")
    add(reading_list, *one_of_each_kind())
    bib = signed_in.get(reverse("teaching:list_export", args=[reading_list.pk, "bib"]))
    assert bib["Content-Disposition"] == 'attachment; filename="week-4-repression.bib"'
    assert len(bibtexparser.parse_string(bib.content.decode()).entries) == 5
    ris = signed_in.get(reverse("teaching:list_export", args=[reading_list.pk, "ris"]))
    assert len(rispy.loads(ris.content.decode())) == 5
    csl = json.loads(signed_in.get(reverse("teaching:list_export", args=[reading_list.pk, "json"])).content)
    # The works the entries rest on, each once (every entry here rests on its own source); no archive pages.
    assert [item["type"] for item in csl].count("webpage") == 0
    pringle = next(item for item in csl if item.get("title") == "Solidarity and the state")
    assert {"family": "Pringle", "given": "Tim"} in pringle["author"]
    export = reverse("teaching:list_export", args=[reading_list.pk, "json"])
    with_pages = json.loads(signed_in.get(export, {"pages": "1"}).content)
    assert [item["type"] for item in with_pages].count("webpage") == 5


# --- Query counts -----------------------------------------------------------------------------------------------


KINDS = 5  # the kinds in one_of_each_kind(): each costs one query, however many of its entries a list holds


def build_list(owner, size):
    reading_list = make_list(owner, course="SOC 214", due_date=datetime.date(2027, 3, 1))
    for _ in range(size):
        entries = one_of_each_kind()
        items = add(reading_list, *entries)
        items[0].questions.add(DiscussionQuestionFactory(intervention=entries[0]))
    add(reading_list, InterventionFactory(status="draft"))
    return reading_list


@pytest.mark.parametrize("size", [1, 4])
def test_shared_page_query_count_does_not_grow(client, instructor, django_assert_num_queries, size):
    reading_list = build_list(instructor, size)
    from cases.teaching import services

    services.share(reading_list)
    # The list; its items; chosen questions; then one query per kind on it (five), the sources' authors, and the
    # authors of the works the other four kinds rest on (their sources come joined with them).
    queries = 3 + KINDS + 1 + (KINDS - 1)
    with django_assert_num_queries(queries):
        response = client.get(reading_list.get_share_url())
    assert response.content.decode().count('<li class="reading-item"') == 5 * size
    with django_assert_num_queries(queries):
        assert client.get(reverse("teaching:shared_print", args=[reading_list.share_token])).status_code == 200
    with django_assert_num_queries(queries):
        assert client.get(reverse("teaching:shared_export", args=[reading_list.share_token, "ris"])).status_code == 200


def test_a_list_of_one_kind_costs_one_query_for_its_kind(client, instructor, django_assert_num_queries):
    reading_list = make_list(instructor)
    for _ in range(3):
        (item,) = add(reading_list, InterventionFactory())
        item.questions.add(DiscussionQuestionFactory(intervention=item.entry))
    from cases.teaching import services

    services.share(reading_list)
    with django_assert_num_queries(5):  # the list, its items, their questions, the cases, their sources' authors
        assert client.get(reading_list.get_share_url()).content.decode().count('<li class="reading-item"') == 3


@pytest.mark.parametrize("size", [1, 4])
def test_owner_pages_query_counts_do_not_grow(client, instructor, django_assert_num_queries, size):
    reading_list = build_list(instructor, size)
    for n in range(size):
        make_list(instructor, title=f"Another list {n}")
    client.force_login(instructor)
    # User (the session comes from the cache), whether the account has an authenticator (a second factor to ask
    # for), the user's and the groups' permissions, then the page's own queries.
    with django_assert_num_queries(5):  # + the lists with their item counts
        assert client.get(reverse("teaching:list_index")).status_code == 200
    # + the list, items, questions, each kind, source authors, the authors of the works the other kinds rest on
    with django_assert_num_queries(4 + 3 + KINDS + 1 + (KINDS - 1)):
        response = client.get(reading_list.get_absolute_url())
    assert response.content.decode().count('<li class="reading-item') == 5 * size + 1
    case = InterventionFactory()
    with CaptureQueriesContext(connection) as anonymous:
        assert "Add to reading list" not in Client().get(case.get_absolute_url()).content.decode()
    # The case page as an instructor: plus user, authenticator, two permission reads and the lists menu (the session
    # comes from the cache).
    with django_assert_num_queries(len(anonymous) + 5):
        assert "Add to reading list" in client.get(case.get_absolute_url()).content.decode()


def test_the_case_page_adds_no_query_for_anonymous_readers(client, django_assert_max_num_queries):
    case = InterventionFactory()
    DiscussionQuestionFactory.create_batch(3, intervention=case)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Add to reading list" not in html and "Questions for discussion" in html
    assert 'href="/accounts/login/"' in html and "Sign out" not in html
