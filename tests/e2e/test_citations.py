"""A student cites what they read: the cite blocks in a real browser, under the site's real CSP."""

from pathlib import Path

import bibtexparser
import pytest
import rispy

from tests.e2e.conftest import PHONE, assert_valid_html, check_pages


@pytest.fixture
def strict_page(browser):
    """A page that keeps the site's Content-Security-Policy (the shared context bypasses it for axe)."""
    context = browser.new_context(bypass_csp=False, accept_downloads=True, viewport=PHONE)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def test_source_page_cite_blocks_download_and_fit_a_phone_without_csp_errors(
    archive, live_server, strict_page, axe_violations, page, shoot
):
    url = f"{live_server.url}/sources/pringle-2018/"
    strict_page.goto(url)
    assert strict_page.locator("#cite-source").is_visible()
    assert strict_page.locator("#cite-page").is_visible()
    assert "Pringle, Tim. 2018." in strict_page.locator(".cite-block").first.inner_text()
    # The JSON-LD data block is not script: the CSP has nothing to refuse.
    assert not [m for m in strict_page.console_errors if "Content Security Policy" in m]
    width = strict_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "no sideways scroll at 375 px"

    with strict_page.expect_download() as download_info:
        strict_page.get_by_role("link", name="BibTeX").first.click()
    download = download_info.value
    assert download.suggested_filename == "pringle2018.bib"
    entry = bibtexparser.parse_string(Path(download.path()).read_text(encoding="utf-8")).entries[0]
    assert entry.entry_type == "article"
    assert entry.fields_dict["doi"].value == "10.1177/0896920517716747"

    with strict_page.expect_download() as download_info:
        strict_page.locator(
            "#cite-page ~ .cite-block__downloads a", has_text="RIS"
        ).first.click()  # the page's, not its version's
    record = rispy.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))[0]
    assert record["type_of_reference"] == "ELEC"
    assert record["urls"][0].endswith("/sources/pringle-2018/")

    page.set_viewport_size(PHONE)
    page.goto(url)
    page.locator("#cite-source").scroll_into_view_if_needed()
    shoot(page, "citations-source-375")
    assert axe_violations(page) == []


def test_a_cited_link_to_a_withdrawn_entry_says_what_was_there(archive, live_server, page, axe_violations, shoot):
    from cases.curation import workflow
    from cases.organisations.models import Organisation

    org = Organisation.objects.get(slug="hk-jewellery-company")
    workflow.transition(org, "withdrawn")
    paths = {"withdrawn-organisation": "/organisations/hk-jewellery-company/"}
    check_pages(page, live_server.url, paths, axe_violations, shoot)
    response = page.goto(live_server.url + paths["withdrawn-organisation"])
    assert response.status == 410
    assert page.get_by_role("heading", level=1).inner_text() == "This organisation was withdrawn"
    page.get_by_role("link", name="All organisations").click()
    assert page.url.endswith("/organisations/")
    assert_valid_html(live_server.url, paths)
