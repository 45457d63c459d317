"""An instructor builds a reading list in a real browser and a student opens it by its share link."""

import pytest

from tests.e2e.conftest import SHOTS, check_current_page

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def instructor(archive):  # after the archive, which replaces the whole database
    from tests.teaching_helpers import make_instructor

    return make_instructor("teacher", PASSWORD)


def check(page, name, axe_violations, shoot):
    check_current_page(page, f"teaching-{name}", axe_violations, shoot)


def add_from(page, url, list_choice=None, new_title=None):
    page.goto(url)
    page.get_by_text("Add to reading list").click()
    form = page.locator(".add-to-list__form")
    if list_choice:
        form.get_by_label("Reading list").select_option(label=list_choice)
    if new_title:
        form.get_by_label("Title of a new list").fill(new_title)
    form.get_by_role("button", name="Add").click()


def item_titles(page):
    return [title.strip() for title in page.locator(".reading-item__title").all_inner_texts()]


def test_instructor_builds_shares_and_a_student_opens_the_list(
    archive, instructor, live_server, page, browser, axe_violations, shoot
):
    from cases.core.models import Source
    from cases.interventions.models import Intervention

    case = Intervention.objects.published().get(slug="hka-minimum-wage-campaign")
    source = Source.objects.published().get(is_seed=True, year=2018)

    # Sign in.
    page.goto(live_server.url + "/accounts/login/")
    check(page, "login", axe_violations, shoot)
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/reading-lists/")
    assert page.get_by_role("heading", name="My reading lists").is_visible()

    # A case into a new list, then a source into the same list.
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_text("Add to reading list").click()
    check(page, "case-page", axe_violations, shoot)
    page.locator(".record__header").screenshot(path=str(SHOTS / "teaching-case-header.png"))
    # Adding stays on the entry's page, with a message naming the list and linking to it.
    add_from(page, live_server.url + case.get_absolute_url(), new_title="Week 3: campaigns")
    page.wait_for_url(live_server.url + case.get_absolute_url())
    assert "Week 3: campaigns" in page.locator(".messages").inner_text()
    check(page, "case-page-added", axe_violations, shoot)
    add_from(page, live_server.url + source.get_absolute_url(), list_choice="Week 3: campaigns")
    page.wait_for_url(live_server.url + source.get_absolute_url())
    page.locator(".messages").get_by_role("link", name="Week 3: campaigns").click()
    page.wait_for_url("**/reading-lists/*/")
    assert item_titles(page)[0].startswith("HKA's campaign")
    assert source.title in item_titles(page)[1]

    # Reorder without JavaScript's help: the buttons post a form.
    page.get_by_role("button", name="Move up item 2").click()
    page.wait_for_load_state()
    assert source.title in item_titles(page)[0]

    # A note and a discussion question for the case.
    page.get_by_role("link", name="Notes, pages, questions for item 2").click()
    page.get_by_label("Your note for students").fill("Look for the single demand.")
    page.locator("input[name=questions]").first.check()
    page.get_by_label("Your own questions for discussion").fill("Who set the demand, and how?")
    check(page, "item-form", axe_violations, shoot)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/reading-lists/*/#item-*")
    list_url = page.url.split("#")[0]

    # Share it.
    page.get_by_role("button", name="Make a share link").click()
    page.wait_for_load_state()
    share_url = page.get_by_label("Share link").input_value()
    assert "/shared/" in share_url
    check(page, "list", axe_violations, shoot)
    page.goto(live_server.url + "/reading-lists/")
    check(page, "index", axe_violations, shoot)

    # A student, with no account and no cookies, opens the link.
    student_context = browser.new_context(bypass_csp=True)
    student = student_context.new_page()
    response = student.goto(share_url)
    assert response.status == 200 and response.headers["referrer-policy"] == "no-referrer"
    assert student.get_by_role("heading", name="Week 3: campaigns").is_visible()
    assert student.get_by_text("Look for the single demand.").is_visible()
    assert student.get_by_text("Who set the demand, and how?").is_visible()
    assert student.locator("text=Move up").count() == 0
    check(student, "shared", axe_violations, shoot)
    student.get_by_role("link", name="Printable handout").click()
    student.wait_for_load_state()
    assert "Pringle" in student.locator(".handout__reference").first.inner_text()
    check(student, "handout", axe_violations, shoot)
    student.emulate_media(media="print")
    shoot(student, "teaching-handout-print")

    # Drag and drop (JavaScript): the case goes back to the top.
    page.goto(list_url)
    page.locator(".reading-item").nth(1).drag_to(page.locator(".reading-item").nth(0))
    page.wait_for_function("document.querySelector('.reading-item__title').textContent.includes('HKA')")
    assert item_titles(page)[0].startswith("HKA's campaign")

    # Remove an item, and undo it: back in its place, with its note.
    page.get_by_role("button", name="Remove from list item 1").click()
    page.wait_for_url("**/reading-lists/*/?removed=*")
    assert len(item_titles(page)) == 1
    check(page, "removed", axe_violations, shoot)
    page.get_by_role("button", name="Undo", exact=False).click()
    page.wait_for_url("**/reading-lists/*/#item-*")
    assert item_titles(page)[0].startswith("HKA's campaign")
    assert page.get_by_text("Look for the single demand.").is_visible()

    # Revoke: the student's link stops working.
    page.get_by_role("button", name="Stop sharing").click()
    page.wait_for_load_state()
    assert student.goto(share_url).status == 404
    student_context.close()
