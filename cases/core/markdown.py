"""Markdown for curated texts: rendered, sanitised, and with glossary terms linked.

Curators write narratives, summaries and definitions in Markdown. What they write is
rendered and then sanitised with nh3 (an allow-list), so a pasted script, an `on*`
attribute, a `javascript:` link or an SVG payload comes out inert.
"""

import html
import re
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeData, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Text inside these elements is never scanned for glossary terms.
NO_LINK_ELEMENTS = {"a", "code", "pre"}


def render_markdown(text):
    """Markdown to sanitised HTML, marked safe for templates."""
    if not text:
        return mark_safe("")
    rendered = markdown_lib.markdown(str(text), extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it


def plain_text(text):
    """The words of a Markdown text without markup, as a plain (unsafe) string for templates to escape."""
    return " ".join(html.unescape(strip_tags(render_markdown(text))).split())


def concept_pattern(concepts):
    """One regular expression for all the terms and aliases, longest first, and a map back to the concept."""
    by_term = {}
    for concept in concepts:
        for term in concept.match_terms:
            by_term.setdefault(term.casefold(), concept)
    if not by_term:
        return None, by_term
    alternatives = "|".join(re.escape(term) for term in sorted(by_term, key=len, reverse=True))
    # \w boundaries so "hukou" is linked but not "hukous"; works for terms that begin or end in punctuation too.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), by_term


class _ConceptLinker(HTMLParser):
    def __init__(self, pattern, by_term, exclude):
        super().__init__(convert_charrefs=True)
        self.pattern = pattern
        self.by_term = by_term
        self.linked = set(exclude)
        self.out = []
        self.blocked = 0

    def handle_starttag(self, tag, attrs):
        if tag in NO_LINK_ELEMENTS:
            self.blocked += 1
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in NO_LINK_ELEMENTS and self.blocked:
            self.blocked -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.blocked:
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            concept = self.by_term.get(match.group(0).casefold())
            if concept is None or concept.pk in self.linked:
                continue
            self.linked.add(concept.pk)
            self.out.append(html.escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a class="concept-link" href="{html.escape(concept.get_absolute_url())}" '
                f'title="Glossary: {html.escape(concept.term)}">{html.escape(match.group(0), quote=False)}</a>'
            )
            position = match.end()
        self.out.append(html.escape(data[position:], quote=False))

    def handle_comment(self, data):
        pass


def link_concepts(rendered_html, concepts, exclude=()):
    """Link the first occurrence of each concept's term or aliases, outside existing links and code.

    `rendered_html` must already be safe HTML (the output of render_markdown); plain text is escaped first.
    `exclude` holds primary keys of concepts not to link (a concept's own page).
    """
    if not isinstance(rendered_html, SafeData):
        rendered_html = html.escape(str(rendered_html))
    pattern, by_term = concept_pattern(concepts)
    if pattern is None:
        return mark_safe(rendered_html)
    linker = _ConceptLinker(pattern, by_term, exclude)
    linker.feed(str(rendered_html))
    linker.close()
    return mark_safe("".join(linker.out))  # noqa: S308 - built from sanitised HTML and escaped text
