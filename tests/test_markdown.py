"""Curated Markdown renders, comes out inert whatever is pasted into it, and links glossary terms."""

import pytest
from django.template import Context, Template

from cases.core.markdown import link_concepts, render_markdown
from tests.factories import ConceptFactory


def test_markdown_renders():
    html = render_markdown("The campaign began in **2011**.\n\n- one\n- two\n\n[A link](https://example.org/)")
    assert "<strong>2011</strong>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">A link</a>' in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.parametrize(
    "payload, forbidden",
    [
        ("<script>alert(1)</script>Hi", ["<script", "alert(1)"]),
        ('<img src="x" onerror="alert(1)">', ["onerror", "alert"]),
        ('<p onclick="alert(1)">Click</p>', ["onclick"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ("[x](javascript:alert(1))", ["javascript:"]),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', ["javascript", "JaVaScRiPt"]),
        ('<svg onload="alert(1)"><script>alert(2)</script></svg>', ["<svg", "onload", "<script"]),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ["<svg", "javascript:", "xlink"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe"]),
        ('<style>body{display:none}</style><p style="color:red">x</p>', ["<style", "style="]),
        ('<object data="x.swf"></object><embed src="x">', ["<object", "<embed"]),
        ('<form action="/x"><input name="q"></form>', ["<form", "<input"]),
    ],
)
def test_dangerous_html_comes_out_inert(payload, forbidden):
    html = render_markdown(payload).lower()
    for fragment in forbidden:
        assert fragment.lower() not in html, (payload, html)


def test_the_template_filter_escapes_nothing_twice_and_sanitises():
    template = Template("{% load archive %}{{ text|markdown }}")
    html = template.render(Context({"text": "Fish & chips <script>x()</script>"}))
    assert "Fish &amp; chips" in html
    assert "<script" not in html


def test_concept_linking_links_the_first_occurrence_of_a_term():
    hukou = ConceptFactory(term="hukou", aliases="household registration")
    html = link_concepts(render_markdown("The hukou system. Hukou again."), [hukou])
    assert html.count('class="concept-link"') == 1
    assert f'<a class="concept-link" href="{hukou.get_absolute_url()}" title="Glossary: hukou">hukou</a>' in html
    assert "Hukou again." in html


def test_concept_linking_matches_aliases_case_insensitively_and_whole_words_only():
    hukou = ConceptFactory(term="hukou", aliases="household registration; huji")
    html = link_concepts(render_markdown("Hukous are not linked, but Household Registration is."), [hukou])
    assert ">Household Registration</a>" in html
    assert "<p>Hukous are not linked" in html


def test_concept_linking_skips_existing_links_and_code():
    acftu = ConceptFactory(term="ACFTU")
    html = link_concepts(
        render_markdown("[The ACFTU site](https://example.org/) and `ACFTU` and then the ACFTU itself."), [acftu]
    )
    assert '<a href="https://example.org/" rel="noopener noreferrer">The ACFTU site</a>' in html
    assert "<code>ACFTU</code>" in html
    assert 'then the <a class="concept-link"' in html
    assert html.count("concept-link") == 1


def test_concept_linking_prefers_the_longer_term_and_links_each_concept_once():
    campaign = ConceptFactory(term="campaign")
    project = ConceptFactory(term="social movement project")
    html = link_concepts(
        render_markdown("A social movement project grew from a campaign, then a campaign."), [campaign, project]
    )
    assert (
        f'href="{project.get_absolute_url()}" title="Glossary: social movement project">social movement project</a>'
        in html
    )
    assert html.count(campaign.get_absolute_url()) == 1


def test_concept_linking_keeps_escaped_text_escaped():
    concept = ConceptFactory(term="hukou")
    html = link_concepts(render_markdown("Tom &amp; Jerry &lt;script&gt; and hukou"), [concept])
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "concept-link" in html


def test_concept_linking_escapes_plain_text_input():
    concept = ConceptFactory(term="hukou")
    html = link_concepts("<b>hukou</b>", [concept])
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_concept_filter_in_a_template():
    concept = ConceptFactory(term="militant particularism")
    template = Template("{% load archive %}{{ text|markdown|link_concepts:concepts }}")
    html = template.render(Context({"text": "A case of *militant particularism*.", "concepts": [concept]}))
    assert f'<em><a class="concept-link" href="{concept.get_absolute_url()}"' in html
