"""Curated Markdown and its glossary links are rendered once, then read from the cache; a change shows at once.

The cache key holds everything the output depends on (the text, the linkable concepts' ids, URLs, terms and
aliases, and the renderer's version), so nothing is ever invalidated and nothing can be stale.
"""

from unittest import mock

import markdown as markdown_lib
import pytest
from django.core.cache import caches

from cases.core import markdown as archive_markdown
from cases.scholarship.selectors import concepts_for_linking
from tests.factories import ConceptFactory, InterventionFactory


@pytest.fixture(autouse=True)
def empty_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def calls():
    """Counts Markdown renderings and glossary linkings (each is one call when not served from the cache)."""
    with (
        mock.patch.object(markdown_lib, "markdown", wraps=markdown_lib.markdown) as rendered,
        mock.patch.object(archive_markdown, "concept_pattern", wraps=archive_markdown.concept_pattern) as linked,
    ):

        class Calls:
            def reset(self):
                rendered.reset_mock()
                linked.reset_mock()

            @property
            def markdown(self):
                return rendered.call_count

            @property
            def linking(self):
                return linked.call_count

        yield Calls()


def concept_link(concept):
    return f'<a class="concept-link" href="{concept.get_absolute_url()}" title="Glossary: {concept.term}">'


def test_the_second_view_of_a_case_page_renders_no_markdown(client, calls):
    hukou = ConceptFactory(term="hukou")
    case = InterventionFactory(narrative="The **hukou** system ties workers to their birthplace.")
    first = client.get(case.get_absolute_url()).content.decode()
    assert calls.markdown >= 1 and calls.linking == 1
    assert concept_link(hukou) in first
    calls.reset()
    second = client.get(case.get_absolute_url()).content.decode()
    assert calls.markdown == 0 and calls.linking == 0
    assert second == first


def test_an_edited_text_shows_at_once(client, calls):
    case = InterventionFactory(narrative="Before the strike.")
    assert "Before the strike." in client.get(case.get_absolute_url()).content.decode()
    case.narrative = "After *the* strike."
    case.save()
    calls.reset()
    html = client.get(case.get_absolute_url()).content.decode()
    assert "After <em>the</em> strike." in html and "Before the strike." not in html
    assert calls.markdown == 1  # only the changed text is rendered again


def test_a_renamed_or_moved_concept_updates_its_links_at_once(client):
    concept = ConceptFactory(term="hukou", slug="hukou")
    case = InterventionFactory(narrative="The hukou system and household registration.")
    assert concept_link(concept) in client.get(case.get_absolute_url()).content.decode()

    concept.slug = "household-registration"
    concept.save()
    html = client.get(case.get_absolute_url()).content.decode()
    assert concept_link(concept) in html and 'href="/concepts/hukou/"' not in html

    concept.term, concept.aliases = "household registration", ""
    concept.save()
    html = client.get(case.get_absolute_url()).content.decode()
    assert ">household registration</a>" in html and ">hukou</a>" not in html

    concept.aliases = "hukou"
    concept.save()
    assert ">hukou</a>" in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_an_unpublished_concept_is_never_linked_and_a_withdrawal_shows_at_once(client, status):
    concept = ConceptFactory(term="hukou", status=status)
    case = InterventionFactory(narrative="The hukou system.")
    assert "concept-link" not in client.get(case.get_absolute_url()).content.decode()

    concept.status = "published"
    concept.save()
    assert concept_link(concept) in client.get(case.get_absolute_url()).content.decode()

    concept.status = status
    concept.save()
    html = client.get(case.get_absolute_url()).content.decode()
    assert "concept-link" not in html and concept.get_absolute_url() not in html


def test_a_concept_page_never_links_to_itself_though_a_case_page_with_the_same_text_does(client):
    concept = ConceptFactory(term="hukou", definition="The hukou system.")
    InterventionFactory(narrative="The hukou system.")
    assert "concept-link" not in client.get(concept.get_absolute_url()).content.decode()
    case_page = client.get(InterventionFactory(narrative="The hukou system.").get_absolute_url()).content.decode()
    assert concept_link(concept) in case_page


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>hukou", '<img src=x onerror="alert(1)">', "[hukou](javascript:alert(1))"],
)
def test_what_comes_from_the_cache_is_the_sanitised_html(calls, payload):
    ConceptFactory(term="hukou")
    concepts = list(concepts_for_linking())
    fresh = archive_markdown.link_concepts(archive_markdown.render_markdown(payload), concepts)
    calls.reset()
    cached = archive_markdown.link_concepts(archive_markdown.render_markdown(payload), concepts)
    assert calls.markdown == 0 and calls.linking == 0
    assert cached == fresh
    for fragment in ("<script", "onerror", "javascript:", "alert(1)</"):
        assert fragment not in cached


def test_a_new_renderer_version_renders_afresh(calls, monkeypatch):
    archive_markdown.render_markdown("Some *text*.")
    calls.reset()
    monkeypatch.setattr(archive_markdown, "RENDERER_VERSION", "another")
    assert archive_markdown.render_markdown("Some *text*.") == "<p>Some <em>text</em>.</p>"
    assert calls.markdown == 1


def test_a_failing_cache_costs_rendering_not_the_page(client, calls):
    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    case = InterventionFactory(narrative="Still **here**.")
    with mock.patch.object(archive_markdown, "_cache", return_value=Broken()):
        html = client.get(case.get_absolute_url()).content.decode()
    assert "Still <strong>here</strong>." in html
