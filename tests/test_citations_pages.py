"""What reference managers and search engines read off the pages: the "Cite this page" block and its downloads,
Highwire / Dublin Core / Open Graph / JSON-LD metadata, COinS on the bibliography, sitemap.xml, the Atom feed."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qs

import bibtexparser
import pytest
import rispy
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AuthorFactory,
    ConceptFactory,
    InterventionFactory,
    OrganisationFactory,
    PlaceFactory,
    PositionFactory,
    SourceAuthorFactory,
    SourceFactory,
)

SITE = "https://archive.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


class HeadParser(HTMLParser):
    """Collects <meta>, <link>, JSON-LD blocks and COinS spans of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.jsonld, self.coins = [], [], [], []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.append((attrs.get("name") or attrs.get("property"), attrs.get("content")))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        elif tag == "span" and "Z3988" in (attrs.get("class") or "").split():
            self.coins.append(attrs["title"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data

    def values(self, name):
        return [content for key, content in self.meta if key == name]


def parse_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser, response.content.decode()


def article(**kwargs):
    source = SourceFactory(
        slug="pringle-2018",
        title="A Solidarity Machine? Hong Kong Labour NGOs in Guangdong",
        container_title="Critical Sociology",
        volume="44",
        issue="4–5",
        pages="661–675",
        doi="10.1177/0896920517716747",
        **kwargs,
    )
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Pringle", given_names="Tim"), position=1)
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Lin", given_names="Kevin"), position=2)
    return source


def test_a_journal_article_page_carries_highwire_tags_for_reference_managers(client):
    source = article()
    page, html = parse_page(client, source.get_absolute_url())
    assert page.values("citation_title") == [source.title]
    assert page.values("citation_author") == ["Pringle, Tim", "Lin, Kevin"]  # in the source's order
    assert page.values("citation_publication_date") == ["2018"]
    assert page.values("citation_journal_title") == ["Critical Sociology"]
    assert page.values("citation_volume") == ["44"]
    assert page.values("citation_issue") == ["4–5"]
    assert page.values("citation_firstpage") == ["661"]
    assert page.values("citation_lastpage") == ["675"]
    assert page.values("citation_doi") == ["10.1177/0896920517716747"]
    assert page.values("citation_pdf_url") == []  # the archive holds no PDF
    assert {"rel": "canonical", "href": f"{SITE}{source.get_absolute_url()}"} in page.links
    assert not page.values("og:type"), "a source page saves as the publication, not as a web page"


def test_a_chapter_and_a_book_say_so_and_never_claim_a_journal(client):
    chapter = SourceFactory(kind="chapter", container_title="Marxism and Social Movements", publisher="Brill")
    book = SourceFactory(kind="book", container_title="", volume="", issue="", pages="", publisher="Verso")
    report = SourceFactory(kind="report", container_title="", publisher="Globalization Monitor")
    page, _ = parse_page(client, chapter.get_absolute_url())
    assert page.values("citation_book_title") == ["Marxism and Social Movements"]
    assert page.values("citation_journal_title") == []
    assert page.values("citation_publisher") == ["Brill"]
    page, _ = parse_page(client, book.get_absolute_url())
    assert page.values("citation_journal_title") == [] and page.values("citation_volume") == []
    assert page.values("citation_publisher") == ["Verso"]
    page, _ = parse_page(client, report.get_absolute_url())
    assert page.values("citation_technical_report_institution") == ["Globalization Monitor"]


@pytest.mark.parametrize("factory", [InterventionFactory, OrganisationFactory, PositionFactory, ConceptFactory])
def test_other_pages_save_as_web_pages_with_dublin_core_and_open_graph(client, factory):
    entry = factory()
    page, _ = parse_page(client, entry.get_absolute_url())
    url = f"{SITE}{entry.get_absolute_url()}"
    assert not [name for name, _ in page.meta if name.startswith("citation_")], "no Highwire tags on a web page"
    assert page.values("og:type") == ["website"]
    assert page.values("og:url") == [url]
    assert page.values("og:site_name") == ["Labour NGO Case Archive"]
    assert page.values("og:title") and page.values("DC.title") == page.values("og:title")
    assert page.values("DC.publisher") == ["Labour NGO Case Archive"]
    assert page.values("DC.type") == ["Text"]
    assert page.values("DC.identifier") == [url]
    assert page.values("DC.language") == ["en"]
    assert page.values("DC.date") == [timezone.localtime(entry.published_at).date().isoformat()]
    assert {"rel": "canonical", "href": url} in page.links


def test_case_page_json_ld_describes_the_case_and_cannot_be_broken_out_of(client):
    title = 'Strike </script><script>alert("x")</script> & <!-- wages'
    case = InterventionFactory(title=title)
    page, html = parse_page(client, case.get_absolute_url())
    assert len(page.jsonld) == 1
    assert "</script><script>" not in html
    data = json.loads(page.jsonld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["name"] == title
    assert data["url"] == f"{SITE}{case.get_absolute_url()}"
    assert data["publisher"]["name"] == "Labour NGO Case Archive"
    assert data["isBasedOn"]["url"] == f"{SITE}{case.source.get_absolute_url()}"


@pytest.mark.parametrize(
    ("factory", "schema_type"),
    [
        (OrganisationFactory, "Organization"),
        (PositionFactory, "Claim"),
        (ConceptFactory, "DefinedTerm"),
        (PlaceFactory, "Place"),
        (lambda: SourceFactory(kind="book"), "Book"),
        (lambda: SourceFactory(kind="chapter"), "Chapter"),
        (lambda: SourceFactory(kind="report"), "Report"),
        (SourceFactory, "ScholarlyArticle"),
    ],
)
def test_every_detail_page_has_schema_org_json_ld(client, factory, schema_type):
    entry = factory()
    page, _ = parse_page(client, entry.get_absolute_url())
    data = json.loads(page.jsonld[0])
    assert data["@type"] == schema_type
    assert data["url"] == f"{SITE}{entry.get_absolute_url()}"


def test_json_ld_names_no_draft_organisation(client):
    from tests.factories import RoleFactory

    case = InterventionFactory()
    RoleFactory(intervention=case, organisation=OrganisationFactory(name="Published group"), source=case.source)
    RoleFactory(intervention=case, organisation=OrganisationFactory(name="Draft group", status="draft"),
                source=case.source)  # fmt: skip
    page, html = parse_page(client, case.get_absolute_url())
    about = [thing["name"] for thing in json.loads(page.jsonld[0])["about"]]
    assert "Published group" in about
    assert "Draft group" not in html


@pytest.mark.parametrize(
    ("factory", "prefix"),
    [
        (InterventionFactory, "/cases/"),
        (OrganisationFactory, "/organisations/"),
        (PositionFactory, "/positions/"),
        (ConceptFactory, "/concepts/"),
        (SourceFactory, "/sources/"),
    ],
)
def test_cite_this_page_shows_apa_and_chicago_and_offers_bibtex_and_ris(client, factory, prefix):
    entry = factory()
    _, html = parse_page(client, entry.get_absolute_url())
    assert '<h2 id="cite-page">Cite this page</h2>' in html
    assert "<dt>APA</dt>" in html and "<dt>Chicago</dt>" in html
    year = entry.published_at.year
    assert f"Labour NGO Case Archive. ({year}, " in html  # APA: the archive as author, with the date
    assert f"Labour NGO Case Archive. {year}. “" in html  # Chicago author-date
    assert f"{SITE}{entry.get_absolute_url()}" in html
    for fmt in ("bib", "ris"):
        url = f"{prefix}{entry.slug}/cite.{fmt}"
        assert f'href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
    bib = bibtexparser.parse_string(client.get(f"{prefix}{entry.slug}/cite.bib").content.decode())
    assert bib.entries[0].entry_type == "online"
    assert bib.entries[0].fields_dict["url"].value == f"{SITE}{entry.get_absolute_url()}"
    ris = rispy.loads(client.get(f"{prefix}{entry.slug}/cite.ris").content.decode())
    assert ris[0]["type_of_reference"] == "ELEC"
    assert ris[0]["urls"] == [f"{SITE}{entry.get_absolute_url()}"]


def test_a_source_page_exports_the_source_own_reference(client):
    source = article()
    _, html = parse_page(client, source.get_absolute_url())
    assert '<h2 id="cite-source">Cite this source</h2>' in html
    assert (
        "Pringle, T., &amp; Lin, K. (2018). A Solidarity Machine? Hong Kong Labour NGOs in Guangdong. "
        "<i>Critical Sociology</i>, <i>44</i>(4–5), 661–675. https://doi.org/10.1177/0896920517716747"
    ) in html
    assert "Pringle, Tim, and Kevin Lin. 2018. “A Solidarity Machine?" in html
    bib = client.get(reverse("source_reference", kwargs={"slug": source.slug, "fmt": "bib"}))
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib["Content-Disposition"] == 'attachment; filename="pringle2018.bib"'
    entry = bibtexparser.parse_string(bib.content.decode()).entries[0]
    assert entry.entry_type == "article" and entry.key == "pringle2018"
    assert entry.fields_dict["journal"].value == "Critical Sociology"
    assert entry.fields_dict["author"].value == "Pringle, Tim and Lin, Kevin"
    ris = rispy.loads(client.get(f"/sources/{source.slug}/reference.ris").content.decode())[0]
    assert ris["type_of_reference"] == "JOUR" and ris["authors"] == ["Pringle, Tim", "Lin, Kevin"]
    assert ris["secondary_title"] == "Critical Sociology" and ris["doi"] == source.doi
    csl = json.loads(client.get(f"/sources/{source.slug}/reference.json").content)
    assert csl[0]["type"] == "article-journal" and csl[0]["DOI"] == source.doi
    assert csl[0]["issued"] == {"date-parts": [[2018]]}


@pytest.mark.parametrize(
    "url",
    [
        "/cases/no-such-case/cite.bib",
        "/organisations/no-such-org/cite.ris",
        "/positions/no-such/cite.bib",
        "/concepts/no-such/cite.ris",
        "/sources/no-such/cite.bib",
        "/sources/no-such/reference.json",
        "/sources/pringle-2018/reference.xml",
        "/cases/x/cite.json",
        "/sources/a%00b/reference.bib",
    ],
)
def test_unknown_citations_are_404_never_500(client, url):
    article()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_hidden_entries_have_no_citation_downloads(client, status):
    case = InterventionFactory(status=status)
    source = SourceFactory(status=status)
    assert client.get(f"/cases/{case.slug}/cite.bib").status_code == 404
    assert client.get(f"/sources/{source.slug}/cite.ris").status_code == 404
    assert client.get(f"/sources/{source.slug}/reference.bib").status_code == 404


def test_the_bibliography_carries_one_coins_span_per_source(client):
    sources = [article(), SourceFactory(kind="book", container_title="", publisher="Verso")]
    page, _ = parse_page(client, reverse("source_list"))
    assert len(page.coins) == len(sources)
    values = [parse_qs(title) for title in page.coins]
    journal = next(v for v in values if v.get("rft.genre") == ["article"])
    assert journal["ctx_ver"] == ["Z39.88-2004"]
    assert journal["rft.atitle"] == [sources[0].title]
    assert journal["rft.au"] == ["Pringle, Tim", "Lin, Kevin"]
    assert journal["rft_id"] == ["info:doi/10.1177/0896920517716747"]
    book = next(v for v in values if v.get("rft.genre") == ["book"])
    assert book["rft.btitle"] == [sources[1].title] and book["rft.pub"] == ["Verso"]


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}


def test_sitemap_lists_published_pages_only(client):
    published = [InterventionFactory(), OrganisationFactory(), PositionFactory(), ConceptFactory(), article()]
    draft = InterventionFactory(status="draft", slug="secret-draft")
    withdrawn = OrganisationFactory(slug="to-withdraw")
    locations = sitemap_locations(client)
    for entry in published:
        url = f"{SITE}{entry.get_absolute_url()}"
        assert url in locations
        assert locations[url] == timezone.localtime(entry.updated_at).date().isoformat()
    assert f"{SITE}{reverse('intervention_list')}" in locations
    assert f"{SITE}/" in locations
    assert not any("secret-draft" in url for url in locations)
    assert f"{SITE}{withdrawn.get_absolute_url()}" in locations
    withdrawn.status = "withdrawn"
    withdrawn.save()
    assert not any(draft.slug in url or "to-withdraw" in url for url in sitemap_locations(client))


def test_sitemap_lists_every_language_with_its_alternates(client):
    case = InterventionFactory(slug="pangolin-campaign")
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    by_location = {url.findtext(f"{SITEMAP}loc"): url for url in root.iter(f"{SITEMAP}url")}
    addresses = [f"{SITE}{prefix}/cases/pangolin-campaign/" for prefix in ("", "/zh-hans", "/zh-hant")]
    for address in addresses:
        assert address in by_location
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in by_location[address].iter("{http://www.w3.org/1999/xhtml}link")
        }
        assert alternates == {
            "en-gb": addresses[0],
            "zh-hans": addresses[1],
            "zh-hant": addresses[2],
            "x-default": addresses[0],
        }
    assert f"{SITE}/zh-hant/cases/" in by_location
    assert case.get_absolute_url() == "/cases/pangolin-campaign/"  # the English address stays where it was


def feed_entries(client):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"), entry.findtext(f"{ATOM}published"))
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_atom_feed_lists_newly_published_entries_newest_first(client):
    old = InterventionFactory(title="An older case")
    source = article()
    InterventionFactory(title="A draft case", status="draft")
    type(source).objects.update(published_at=timezone.now() - datetime.timedelta(days=10))
    type(old).objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=30))
    new = OrganisationFactory(name="A newer organisation", source=source)
    entries = feed_entries(client)
    titles = [title for title, _, _ in entries]
    assert titles[0] == "Organisation: A newer organisation"
    assert titles.index("Source: Pringle and Lin (2018) A Solidarity Machine? Hong Kong Labour NGOs in Guangdong") < (
        titles.index("Case: An older case")
    )
    assert not any("draft" in title for title in titles)
    links = [link for _, link, _ in entries]
    assert f"{SITE}{new.get_absolute_url()}" in links
    published = [stamp for _, _, stamp in entries]
    assert published == sorted(published, reverse=True)
    new.status = "withdrawn"
    new.save()
    assert "Organisation: A newer organisation" not in [title for title, _, _ in feed_entries(client)]


def test_pages_announce_the_feed_and_robots_point_to_the_sitemap(client):
    _, html = parse_page(client, reverse("home"))
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="/feed.atom">', html)
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.content.decode()


def build(size):
    """`size` published entries of every kind, plus hidden ones, each source with two authors."""
    for _ in range(size):
        article_source = SourceFactory()
        for position in (1, 2):
            SourceAuthorFactory(source=article_source, author=AuthorFactory(), position=position)
        InterventionFactory(source=article_source)
        OrganisationFactory(source=article_source)
        PositionFactory(source=article_source)
        ConceptFactory(source=article_source)
        PlaceFactory()
        InterventionFactory(status="draft", source=article_source)
    return article_source


# Pinned query counts: the same for 1 or 5 entries of every kind.
QUERIES = {
    "sitemap": 6,  # the rows of each of the six kinds of entry, once for all three languages
    "feed": 7,  # the newest of each kind, and the sources' authors
    "page_cite": 1,
    "source_cite": 2,  # the source and its authors
    "source_reference": 2,
}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_counts_are_pinned(client, django_assert_num_queries, name, size):
    source = build(size)
    case = InterventionFactory(source=source)
    url = {
        "sitemap": "/sitemap.xml",
        "feed": "/feed.atom",
        "page_cite": f"/cases/{case.slug}/cite.bib",
        "source_cite": f"/sources/{source.slug}/cite.ris",
        "source_reference": f"/sources/{source.slug}/reference.bib",
    }[name]
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200
