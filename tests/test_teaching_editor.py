"""Building a reading list: the instructor's own questions on any item, the archive's questions in full, removal that
can be undone, and "Add to reading list" that stays on the page (and goes nowhere else)."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.teaching import services
from cases.teaching.models import ReadingListItem
from tests.factories import DiscussionQuestionFactory, InterventionFactory, PositionFactory, SourceFactory
from tests.teaching_helpers import add, make_instructor, make_list

pytestmark = pytest.mark.django_db

LONG_QUESTION = (
    "Pringle says the campaign did not follow Nilsen and Cox's linear sequence: which stages can you find in the "
    "timeline, and in what order did they come?"
)


def edit_item(client, item, **data):
    return client.post(reverse("teaching:item_edit", args=[item.reading_list_id, item.pk]), data)


def owner_page(client, reading_list, query=""):
    return client.get(reading_list.get_absolute_url() + query).content.decode()


# --- Questions --------------------------------------------------------------------------------------------------


def test_an_instructor_writes_questions_for_a_position_and_students_see_them(signed_in, instructor):
    reading_list = make_list(instructor)
    position = PositionFactory(title="An anti-solidarity machine")
    (item,) = add(reading_list, position)
    form = signed_in.get(reverse("teaching:item_edit", args=[reading_list.pk, item.pk])).content.decode()
    assert "Your own questions for discussion" in form

    response = edit_item(
        signed_in,
        item,
        note="",
        pages="",
        own_questions="Does the case of HKC bear this out?\r\n\r\n  Who <b>benefits</b>? <script>alert(1)</script>\n",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.own_question_list == [
        "Does the case of HKC bear this out?",
        "Who <b>benefits</b>? <script>alert(1)</script>",
    ]

    services.share(reading_list)
    student = Client()
    for body in (
        owner_page(signed_in, reading_list),
        student.get(reading_list.get_share_url()).content.decode(),
        student.get(reverse("teaching:shared_print", args=[reading_list.share_token])).content.decode(),
    ):
        assert "Does the case of HKC bear this out?" in body
        assert "Who &lt;b&gt;benefits&lt;/b&gt;? &lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<script>alert(1)" not in body
    # Private to the list: the position's public page does not show them.
    assert "Does the case of HKC bear this out?" not in student.get(position.get_absolute_url()).content.decode()


def test_the_archives_questions_and_the_instructors_own_come_in_one_numbered_list(signed_in, instructor):
    reading_list = make_list(instructor)
    case = InterventionFactory()
    chosen = DiscussionQuestionFactory(intervention=case, text="What was the single demand?")
    (item,) = add(reading_list, case)
    edit_item(signed_in, item, note="", pages="", questions=[chosen.pk], own_questions="Who decided the tactics?")
    services.share(reading_list)
    html = Client().get(reading_list.get_share_url()).content.decode()
    questions = html[html.index('<ol class="discussion__list">') : html.index("</ol>", html.index("discussion__list"))]
    assert questions.index("What was the single demand?") < questions.index("Who decided the tactics?")


@pytest.mark.parametrize(
    "own_questions, message",
    [
        ("\n".join(f"Question {n}?" for n in range(21)), "Give at most 20 questions (there are 21)"),
        ("Short?\n" + "x" * 501, "Question 2 has 501 characters"),
    ],
)
def test_too_many_or_too_long_questions_are_answered_clearly(signed_in, instructor, own_questions, message):
    reading_list = make_list(instructor)
    (item,) = add(reading_list, SourceFactory())
    response = edit_item(signed_in, item, note="Kept?", pages="", own_questions=own_questions)
    assert response.status_code == 400 and message in response.content.decode()
    item.refresh_from_db()
    assert item.own_questions == "" and item.note == ""


def test_control_characters_are_dropped_from_questions_and_a_null_is_refused(signed_in, instructor):
    reading_list = make_list(instructor)
    (item,) = add(reading_list, SourceFactory())
    assert edit_item(signed_in, item, note="", pages="", own_questions="Why now\x07?\x1b").status_code == 302
    item.refresh_from_db()
    assert item.own_questions == "Why now?"
    response = edit_item(signed_in, item, note="", pages="", own_questions="Why\x00 now?")
    assert response.status_code == 400 and "Null characters are not allowed." in response.content.decode()


def test_the_picker_shows_the_archives_questions_in_full(signed_in, instructor):
    reading_list = make_list(instructor)
    case = InterventionFactory()
    DiscussionQuestionFactory(intervention=case, text=LONG_QUESTION)
    (item,) = add(reading_list, case)
    form = signed_in.get(reverse("teaching:item_edit", args=[reading_list.pk, item.pk])).content.decode()
    assert LONG_QUESTION.replace("'", "&#x27;") in form and "…" not in form


# --- Remove and undo -------------------------------------------------------------------------------------------


def test_removing_an_item_can_be_undone_with_its_notes_and_questions(signed_in, instructor):
    reading_list = make_list(instructor)
    case = InterventionFactory(title="A minimum-wage campaign")
    question = DiscussionQuestionFactory(intervention=case)
    first, middle, last = add(reading_list, SourceFactory(), case, PositionFactory())
    edit_item(
        signed_in, middle, note="Read the section on HKB.", pages="", questions=[question.pk], own_questions="Why?"
    )
    services.share(reading_list)

    response = signed_in.post(reverse("teaching:item_remove", args=[reading_list.pk, middle.pk]))
    assert response.status_code == 302
    assert response.url == f"{reading_list.get_absolute_url()}?removed={middle.pk}#undo"
    page = owner_page(signed_in, reading_list, f"?removed={middle.pk}")
    assert "Removed “A minimum-wage campaign” from the list, with your notes and questions." in page
    assert reverse("teaching:item_restore", args=[reading_list.pk, middle.pk]) in page
    assert "Removed from this list" in page  # and listed there, for an undo later
    # Gone from everything students and exports see.
    shared = Client().get(reading_list.get_share_url()).content.decode()
    assert "A minimum-wage campaign" not in shared
    assert [i.pk for i in reading_list.items.kept().order_by("position")] == [first.pk, last.pk]

    response = signed_in.post(reverse("teaching:item_restore", args=[reading_list.pk, middle.pk]))
    assert response.status_code == 302 and response.url.endswith(f"#item-{middle.pk}")
    middle.refresh_from_db()
    assert middle.removed_at is None and middle.note == "Read the section on HKB." and middle.own_questions == "Why?"
    assert list(middle.questions.all()) == [question]
    assert [i.pk for i in reading_list.items.kept().order_by("position")] == [first.pk, middle.pk, last.pk]
    assert "A minimum-wage campaign" in Client().get(reading_list.get_share_url()).content.decode()


def test_remove_is_apart_from_move_and_a_post_with_a_csrf_token(instructor):
    reading_list = make_list(instructor)
    (item,) = add(reading_list, SourceFactory())
    add(reading_list, PositionFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    page = owner_page(client, reading_list)
    tools = page[page.index(f'id="item-{item.pk}"') :]
    remove = tools.index(reverse("teaching:item_remove", args=[reading_list.pk, item.pk]))
    form_tag = tools[tools.rindex("<form", 0, remove) : tools.index(">", remove)]
    assert 'class="remove-form"' in form_tag  # not a move-form: set apart from the moving buttons
    assert client.post(reverse("teaching:item_remove", args=[reading_list.pk, item.pk])).status_code == 403
    assert client.get(reverse("teaching:item_remove", args=[reading_list.pk, item.pk])).status_code == 405
    assert reading_list.items.kept().count() == 2


def test_only_the_owner_can_undo_and_only_a_removed_item(client, signed_in, instructor):
    reading_list = make_list(instructor)
    kept, removed = add(reading_list, SourceFactory(), PositionFactory())
    services.remove_item(removed)
    other = make_instructor("other")
    client.force_login(other)
    assert client.post(reverse("teaching:item_restore", args=[reading_list.pk, removed.pk])).status_code == 404
    signed_in.force_login(instructor)
    assert signed_in.post(reverse("teaching:item_restore", args=[reading_list.pk, kept.pk])).status_code == 404
    # An item id in the query string that is not a removed item of this list offers nothing.
    assert 'id="undo"' not in owner_page(signed_in, reading_list, f"?removed={kept.pk}")
    assert 'id="undo"' not in owner_page(signed_in, reading_list, "?removed=not-a-number")


def test_a_removed_entry_added_again_comes_back_with_its_notes_and_is_not_copied(signed_in, instructor):
    reading_list = make_list(instructor)
    case = InterventionFactory()
    source, item = add(reading_list, SourceFactory(), case)
    edit_item(signed_in, item, note="Kept note", pages="", own_questions="")
    services.remove_item(item)
    copy = services.duplicate_list(reading_list)
    assert [i.object_id for i in copy.items.all()] == [source.object_id]
    index = signed_in.get(reverse("teaching:list_index")).content.decode()
    assert "1 item" in index and "2 items" not in index

    signed_in.post(
        reverse("teaching:add_to_list"), {"kind": "case", "entry": case.pk, "reading_list": reading_list.pk}
    )
    item.refresh_from_db()
    assert item.removed_at is None and item.note == "Kept note" and item.position == 2
    assert ReadingListItem.objects.filter(reading_list=reading_list).count() == 2


# --- Add to reading list, staying on the page -------------------------------------------------------------------


def test_adding_from_an_entry_page_returns_to_it_with_a_message_linking_the_list(signed_in, instructor):
    reading_list = make_list(instructor, title="Week 3: campaigns")
    case = InterventionFactory(title="A minimum-wage campaign")
    page = signed_in.get(case.get_absolute_url()).content.decode()
    assert f'name="next" value="{case.get_absolute_url()}"' in page

    response = signed_in.post(
        reverse("teaching:add_to_list"),
        {"kind": "case", "entry": case.pk, "reading_list": reading_list.pk, "next": case.get_absolute_url()},
    )
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    page = signed_in.get(response.url).content.decode()
    assert (
        f'Added “A minimum-wage campaign” to <a href="{reading_list.get_absolute_url()}">Week 3: campaigns</a>.'
        in page
    )
    assert reading_list.items.kept().count() == 1

    response = signed_in.post(
        reverse("teaching:add_to_list"),
        {"kind": "case", "entry": case.pk, "reading_list": reading_list.pk, "next": case.get_absolute_url()},
    )
    page = signed_in.get(response.url).content.decode()
    assert "“A minimum-wage campaign” is already on" in page and reading_list.items.count() == 1


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/cases/",
        "/\\evil.example/",
        "\\\\evil.example",
        "http:/evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "/cases/\x00",
        "",
    ],
)
def test_adding_never_redirects_off_the_site(signed_in, instructor, target):
    reading_list = make_list(instructor)
    case = InterventionFactory()
    response = signed_in.post(
        reverse("teaching:add_to_list"),
        {"kind": "case", "entry": case.pk, "reading_list": reading_list.pk, "next": target},
    )
    assert response.status_code == 302
    assert response.url == reading_list.get_absolute_url()  # the list itself, never the given address
    assert reading_list.items.kept().count() == 1
