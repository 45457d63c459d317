"""Markdown for curated texts: rendered, sanitised, and with glossary terms linked.

Curators write narratives, summaries and definitions in Markdown. What they write is
rendered and then sanitised with nh3 (an allow-list), so a pasted script, an `on*`
attribute, a `javascript:` link or an SVG payload comes out inert.

Rendering is done once and then read from Django's cache (shared by every worker and instance). A result
is stored under a key made of everything it depends on, so it can never be out of date and nothing has to
be invalidated:
- the Markdown rendering: the text and RENDERER_VERSION;
- the glossary links: the rendered HTML, each linkable concept's id, URL, term and aliases (in the order
  the view passed them), the concepts not to link, and RENDERER_VERSION.
The view reads the published concepts as before (one query), so a draft concept is never in a key and never
linked, and renaming, publishing or withdrawing a concept makes a new key at once. Only sanitised output is
ever stored. RENDERER_VERSION is derived from this file and the versions of markdown and nh3, so a change of
allow-list, extensions or linking code renders everything afresh. A cache that fails only costs rendering.
"""

import hashlib
import html
import json
import logging
import re
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.cache import caches
from django.utils.html import strip_tags
from django.utils.safestring import SafeData, mark_safe

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Text inside these elements is never scanned for glossary terms.
NO_LINK_ELEMENTS = {"a", "code", "pre"}


CACHE_PREFIX = "markdown"
CACHE_SECONDS = 30 * 24 * 3600  # unused keys age out; a key is never stale, so this is only about space


def _renderer_version():
    """Changes whenever this module's code or the rendering and sanitising libraries change."""
    digest = hashlib.sha256()
    try:
        digest.update(Path(__file__).read_bytes())
    except OSError:  # pragma: no cover - installed without sources
        digest.update(b"no-source")
    for distribution in ("markdown", "nh3"):
        try:
            digest.update(metadata.version(distribution).encode())
        except metadata.PackageNotFoundError:  # pragma: no cover
            digest.update(b"?")
    return digest.hexdigest()[:16]


RENDERER_VERSION = _renderer_version()


def _cache():
    return caches[getattr(settings, "MARKDOWN_CACHE_ALIAS", "default")]


def _cached(kind, parts, render):
    """`render()`, or what it returned before for the same `parts` and renderer version."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    key = f"{CACHE_PREFIX}:{kind}:{RENDERER_VERSION}:{digest.hexdigest()}"
    try:
        found = _cache().get(key)
    except Exception:  # the cache is an optimisation: without it, render
        logger.warning("markdown cache unavailable", exc_info=True)
        return render()
    if isinstance(found, str):
        return found
    value = render()
    try:
        _cache().set(key, value, getattr(settings, "MARKDOWN_CACHE_SECONDS", CACHE_SECONDS))
    except Exception:
        logger.warning("could not store rendered markdown", exc_info=True)
    return value


def _render(text):
    rendered = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text):
    """Markdown to sanitised HTML, marked safe for templates. Rendered once per text, then cached."""
    if not text:
        return mark_safe("")
    text = str(text)
    return mark_safe(_cached("html", [text], lambda: _render(text)))  # noqa: S308 - sanitised by nh3


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
    Cached under the HTML and everything of the concepts that the links show (see the module docstring).
    """
    if not isinstance(rendered_html, SafeData):
        rendered_html = html.escape(str(rendered_html))
    rendered_html = str(rendered_html)
    concepts = list(concepts)
    if not rendered_html or not concepts:
        return mark_safe(rendered_html)  # noqa: S308 - safe HTML or escaped text
    linked = _cached(
        "links",
        [rendered_html, _concepts_fingerprint(concepts), json.dumps(sorted(exclude), default=str)],
        lambda: _link(rendered_html, concepts, exclude),
    )
    return mark_safe(linked)  # noqa: S308 - built from sanitised HTML and escaped text


def _concepts_fingerprint(concepts):
    """Everything of the concepts that linking reads, in the order given (the first concept wins a term)."""
    return json.dumps([[c.pk, c.get_absolute_url(), c.term, c.match_terms] for c in concepts], default=str)


def _link(rendered_html, concepts, exclude):
    pattern, by_term = concept_pattern(concepts)
    if pattern is None:
        return rendered_html
    linker = _ConceptLinker(pattern, by_term, exclude)
    linker.feed(rendered_html)
    linker.close()
    return "".join(linker.out)
