"""Known cross-site-scripting payloads in every curated text come out inert on every public page.

Each payload is written into every free-text field of a small published archive (narratives, summaries,
claims, definitions, abstracts, quotations, notes, titles, names...: the Markdown fields and the plain ones), then
every public URL (tests/surfaces.py) is requested and each HTML answer parsed: no script, frame, object, embed or
style element of its making, no `on*` or `style` attribute, no `javascript:`, `vbscript:` or `data:` URL.
A few payloads share a test, each in an archive of its own: the pages that list entries are rendered once for them.
"""

import json
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse

from cases.site.views import FEATURED_CASES
from tests import surfaces

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x61;script:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![pic](javascript:alert(1))",
    '[click](http://example.org/" onmouseover="alert(1))',
    "<javascript:alert(1)>",
    '<http://example.org/" onmouseover="alert(1)>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">click</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    '<base href="javascript:/">',
    "<details open ontoggle=alert(1)>x</details>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '"><script>alert(1)</script>',
    "`\"'><img src=x onerror=alert(1)>",
]

MARK = "xssmark"
FORBIDDEN_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Inspector(HTMLParser):
    """Collects everything in a page that could run code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.json_blocks = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self._in_json = True
                self.json_blocks.append("")
            elif not (attributes.get("src") or "").startswith("/static/"):
                self.problems.append(f"<script {attrs}>")
        elif tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._in_json:
            self.json_blocks[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False


def inspect(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    problems = list(inspector.problems)
    for block in inspector.json_blocks:
        try:
            json.loads(block)
        except ValueError:
            problems.append("a JSON-LD block that the text broke out of")
    return problems


def test_the_inspector_catches_what_it_looks_for():
    """The checks below could only pass vacuously if the inspector missed these."""
    for bad in [
        "<script>x</script>",
        '<img src=x onerror="y">',
        '<a href=" jav&#x61;script:x">',
        "<svg onload=x>",
        "<iframe></iframe>",
        "<style></style>",
        '<a href="data:text/html,x">',
        '<a href="VBScript:x">',
        '<script type="application/ld+json">{"a": "</script><script>x</script>',
    ]:
        assert inspect(bad), bad
    assert not inspect('<link rel="icon" href="/static/img/favicon.svg"><script src="/static/js/a.js" defer></script>')


def _pages(world):
    for route in surfaces.all_routes():
        for kwargs in surfaces.fill(route, world) or []:
            try:
                yield reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                continue


# Payloads per test: each payload gets a small published archive of its own (its slugs end in the payload's number,
# nothing links one archive to another), and a few archives share the database, so that the pages listing entries
# (home, lists, facets, the network, the timeline...) are rendered once for several payloads. Never more archives
# than the fewest entries a page lists in full (the home page features FEATURED_CASES cases; lists show 25 a
# page): each payload still reaches every page it reached alone, which the test checks for the case pages.
PER_TEST = FEATURED_CASES
BATCHES = [list(range(first, min(first + PER_TEST, len(PAYLOADS)))) for first in range(0, len(PAYLOADS), PER_TEST)]


@pytest.mark.parametrize("numbers", BATCHES, ids=lambda numbers: f"payloads-{numbers[0]}-{numbers[-1]}")
def test_payloads_are_inert_on_every_public_page(client, numbers):
    worlds = {
        number: surfaces.build_published(text=f"{MARK} {PAYLOADS[number]} {MARK}", suffix=f"-{number:02d}")
        for number in numbers
    }
    detail_pages = {
        reverse(name, kwargs={"slug": world.slugs[label]}): number
        for number, world in worlds.items()
        for name, label in [
            ("intervention_detail", "interventions.intervention"),
            ("organisation_detail", "organisations.organisation"),
            ("position_detail", "scholarship.position"),
            ("concept_detail", "scholarship.concept"),
            ("source_detail", "core.source"),
            ("place_detail", "core.place"),
        ]
    }
    problems, checked, listings = [], 0, {}
    for url in dict.fromkeys([*detail_pages, *(url for world in worlds.values() for url in _pages(world))]):
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        html = response.content.decode()
        if url in detail_pages:
            assert MARK in html, f"{url} does not show the curated text: the test would prove nothing"
        if url in ("/", "/cases/"):
            listings[url] = html
        # A page shared by the archives names them all: the payload is one of theirs.
        shown = [detail_pages[url]] if url in detail_pages else numbers
        problems += [f"{url} (payload {', '.join(map(str, shown))}): {p}" for p in inspect(html)]
        checked += 1
    assert checked >= len(detail_pages) + 5
    # Every payload's case is featured on the home page and listed on the first page of cases, as when alone.
    for url, html in listings.items():
        for number, world in worlds.items():
            case_url = reverse("intervention_detail", kwargs={"slug": world.slugs["interventions.intervention"]})
            assert f'href="{case_url}"' in html, f"{url} leaves out payload {number}: fewer payloads per test"
    assert set(listings) == {"/", "/cases/"}
    assert not problems, "\n".join(problems)
