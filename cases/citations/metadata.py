"""Metadata that reference managers and search engines read, built from what a detail page already loaded.

- Source pages: Highwire Press `citation_*` tags (Zotero and Google Scholar read them; `citation_journal_title`
  makes a journal article of the item).
- Every other page: Dublin Core and Open Graph, so a reference manager saves it as a web page with its title,
  site and date.
- Every detail page: schema.org JSON-LD for search engines, and a canonical link.

Nothing here runs a query of its own: related rows are read from the prefetches of the page's selector,
and only published related entries are named.

The JSON-LD reads what it shares with the exports and the API (names, titles, dates, addresses) from the
kind's declaration (`representation.py` of its app, see cases/find/representation.py), so the three say the
same thing of an entry.
"""

import json

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from cases.citations.formats import absolute_url, csl_item, issued, name_direct, name_inverted, page_range
from cases.core import registry
from cases.core.gate import is_public
from cases.core.i18n import site_name
from cases.core.markdown import plain_text
from cases.core.models import Source, SourceKind

# The language of the page being described: its interface's language (Open Graph names the territory too; the
# traditional catalogue uses Hong Kong's phrasing).
DC_LANGUAGES = {"en-gb": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
OG_LOCALES = {"en-gb": "en_GB", "zh-hans": "zh_CN", "zh-hant": "zh_HK"}

SCHEMA_TYPES = {
    SourceKind.ARTICLE: "ScholarlyArticle",
    SourceKind.CHAPTER: "Chapter",
    SourceKind.BOOK: "Book",
    SourceKind.REPORT: "Report",
    SourceKind.WEB: "WebPage",
    SourceKind.NEWS: "NewsArticle",
    SourceKind.FILM: "Movie",
    SourceKind.LAW: "Legislation",
    SourceKind.EXTRACT: "CreativeWork",
    SourceKind.NOT_STATED: "CreativeWork",
}

# JSON inside <script>: "</script>" or "<!--" in a value must not end or change the element (as json_script does).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def plain(text, words=60):
    """Curated Markdown as one line of plain text, cut at `words` words."""
    return Truncator(" ".join(plain_text(text or "").split())).words(words)


def description(obj):
    for attribute in ("summary", "claim", "definition", "description", "abstract"):
        value = getattr(obj, attribute, "")
        if value:
            return plain(value, 40)
    return ""


def published_date(obj):
    value = getattr(obj, "published_at", None)
    return timezone.localtime(value).date().isoformat() if value else ""


def archive_organization():
    return {"@type": "Organization", "name": site_name(), "url": absolute_url(reverse("home"))}


def schema_person(name):
    if "literal" in name:
        return {"@type": "Organization", "name": name["literal"]}
    person = {"@type": "Person", "name": name_direct(name), "familyName": name["family"]}
    if name.get("given"):
        person["givenName"] = name["given"]
    return person


def source_reference(source):
    """A source named in another entry's JSON-LD: title and archive page (only when published)."""
    if not is_public(source):
        return None
    return {"@type": SCHEMA_TYPES.get(source.kind, "CreativeWork"), "name": source.name, "url": page_url(source)}


def page_url(obj):
    return absolute_url(obj.get_absolute_url())


def representation_of(obj):
    """The declaration of the entry's kind, or None for kinds without one (concepts, places)."""
    from cases.interventions.representation import CASE
    from cases.organisations.representation import ORGANISATION
    from cases.scholarship.representation import POSITION
    from cases.site.representation import SOURCE

    return next((d for d in (CASE, ORGANISATION, POSITION, SOURCE) if isinstance(obj, d.model)), None)


CHINESE_FORMS = (("name_zh_hans", "zh-Hans"), ("name_zh_hant", "zh-Hant"), ("name_pinyin", "zh-Latn-pinyin"))


def chinese_alternates(obj):
    """The entry's standard Chinese names as language-tagged alternate names (schema.org takes JSON-LD's
    `@value`/`@language` objects): simplified, traditional and pinyin."""
    return [
        {"@value": getattr(obj, field), "@language": tag} for field, tag in CHINESE_FORMS if getattr(obj, field, "")
    ]


def translated_titles(obj):
    """A case's or a position's Chinese titles (the archive's translations), language-tagged."""
    return [
        {"@value": getattr(obj, field), "@language": tag}
        for field, tag in (("title_zh_hans", "zh-Hans"), ("title_zh_hant", "zh-Hant"))
        if getattr(obj, field, "")
    ]


def shared(obj, *names):
    """{name: value} of declared fields, as the exports and the API give them (read without a request)."""
    return representation_of(obj).values(obj, None, names)


# The source fields JSON-LD shares with the exports and the API.
SOURCE_SHARED = (
    "title",
    "url",
    "container_title",
    "volume",
    "issue",
    "pages",
    "publisher",
    "publisher_place",
    "doi",
    "source_url",
)


def source_jsonld(source):
    item = csl_item(source)
    fields = shared(source, *SOURCE_SHARED)
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(source.kind, "CreativeWork"),
        "name": fields["title"],
        "headline": fields["title"][:110],
        "url": fields["url"],
    }
    if item.get("author"):
        data["author"] = [schema_person(n) for n in item["author"]]
    if item.get("editor"):
        data["editor"] = [schema_person(n) for n in item["editor"]]
    date = issued(item)
    if date:
        data["datePublished"] = str(date[0])
    if fields["container_title"]:
        if source.kind == SourceKind.ARTICLE:
            container = {"@type": "Periodical", "name": fields["container_title"]}
            if fields["volume"]:
                container = {"@type": "PublicationVolume", "volumeNumber": fields["volume"], "isPartOf": container}
            if fields["issue"]:
                container = {"@type": "PublicationIssue", "issueNumber": fields["issue"], "isPartOf": container}
            data["isPartOf"] = container
        elif source.kind == SourceKind.CHAPTER:
            data["isPartOf"] = {"@type": "Book", "name": fields["container_title"]}
        else:
            data["isPartOf"] = {"@type": "CreativeWork", "name": fields["container_title"]}
    first, last = page_range(item)
    if first:
        data["pageStart"] = first
    if last:
        data["pageEnd"] = last
    if fields["pages"]:
        data["pagination"] = fields["pages"]
    if fields["publisher"]:
        data["publisher"] = {"@type": "Organization", "name": fields["publisher"]}
        if fields["publisher_place"]:
            data["publisher"]["location"] = fields["publisher_place"]
    if fields["doi"]:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": fields["doi"]}
        data["sameAs"] = f"https://doi.org/{fields['doi']}"
    elif fields["source_url"]:
        data["sameAs"] = fields["source_url"]
    if source.abstract:
        data["abstract"] = plain(source.abstract, 120)
    return data


def page_jsonld(obj):
    """An archive page: the entry it describes, published by the archive."""
    kind = registry.kind_for(obj)
    key = kind.key if kind else ""
    url = page_url(obj)
    common = {"url": url, "description": description(obj)}
    if key == "case":
        fields = shared(obj, "title", "url", "start", "end")
        common["url"] = fields["url"]
        data = {
            "@type": kind.jsonld_type,
            "headline": fields["title"][:110],
            "name": fields["title"],
            **({"alternateName": translated_titles(obj)} if translated_titles(obj) else {}),
            "about": [
                {"@type": "Organization", "name": role.organisation.name, "url": page_url(role.organisation)}
                for role in obj.roles.all()
                if is_public(role.organisation)
            ]
            + [{"@type": "Place", "name": place.name, "url": page_url(place)} for place in obj.places.all()],
            "author": archive_organization(),
        }
        if fields["start"]:
            data["temporalCoverage"] = f"{fields['start']}/{fields['end'] or '..'}"
        based_on = source_reference(obj.source)
        if based_on:
            data["isBasedOn"] = based_on
    elif key == "organisation":
        fields = shared(obj, "name", "short_name", "url")
        common["url"] = fields["url"]
        data = {"@type": kind.jsonld_type, "name": fields["name"]}
        alternates = [name for name in (fields["short_name"],) if name and name != fields["name"]]
        alternates += chinese_alternates(obj)
        if alternates:
            data["alternateName"] = alternates
        common["mainEntityOfPage"] = fields["url"]
    elif key == "position":
        fields = shared(obj, "scholar", "title", "claim", "url")
        common["url"] = fields["url"]
        data = {
            "@type": kind.jsonld_type,
            "name": f"{fields['scholar']}: {fields['title']}",
            "text": plain(fields["claim"], 120),
        }
        if translated_titles(obj):
            data["alternateName"] = translated_titles(obj)
        appearance = source_reference(obj.source)
        if appearance:
            data["appearance"] = appearance
    elif key == "concept":
        data = {
            "@type": kind.jsonld_type,
            "name": obj.term,
            "inDefinedTermSet": {
                "@type": "DefinedTermSet",
                "name": gettext("%(site)s: concepts") % {"site": site_name()},
                "url": absolute_url(reverse("concept_list")),
            },
        }
        alternates = [name for name in obj.match_terms[1:] if name] + chinese_alternates(obj)
        if alternates:
            data["alternateName"] = alternates
    else:  # places and any other kind of entry: the type its declaration gives
        data = {"@type": kind.jsonld_type if kind else "WebPage", "name": str(obj)}
        if chinese_alternates(obj):
            data["alternateName"] = chinese_alternates(obj)
        if getattr(obj, "latitude", None) is not None and getattr(obj, "longitude", None) is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(obj.latitude),
                "longitude": float(obj.longitude),
            }
    data = {"@context": "https://schema.org", **data, **{k: v for k, v in common.items() if v}}
    if published_date(obj):
        data["datePublished"] = published_date(obj)
    if getattr(obj, "updated_at", None):
        data["dateModified"] = timezone.localtime(obj.updated_at).isoformat(timespec="seconds")
    data["publisher"] = archive_organization()
    return data


def jsonld(obj):
    return source_jsonld(obj) if isinstance(obj, Source) else page_jsonld(obj)


def jsonld_script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def highwire_tags(source):
    """(name, content) pairs of the Highwire Press tags for a source, leaving out what the archive does not know."""
    item = csl_item(source)
    tags = [("citation_title", source.title)]
    tags += [("citation_author", name_inverted(n)) for n in item.get("author", [])]
    date = issued(item)
    if date:
        tags.append(("citation_publication_date", str(date[0])))
    if source.container_title:
        if source.kind == SourceKind.ARTICLE:
            tags.append(("citation_journal_title", source.container_title))
        elif source.kind == SourceKind.CHAPTER:
            tags.append(("citation_book_title", source.container_title))
    if source.publisher:
        if source.kind == SourceKind.REPORT:
            tags.append(("citation_technical_report_institution", source.publisher))
        else:
            tags.append(("citation_publisher", source.publisher))
    first, last = page_range(item)
    tags += [
        ("citation_volume", source.volume),
        ("citation_issue", source.issue),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_doi", source.doi),
        ("citation_public_url", source.url),
        ("citation_abstract_html_url", page_url(source)),
    ]
    return [(name, value) for name, value in tags if value]


def dublin_core_tags(obj):
    tags = [
        ("DC.title", csl_item(obj).get("title") or str(obj)),
        ("DC.publisher", site_name()),
        ("DC.date", published_date(obj)),
        ("DC.type", "Text"),
        ("DC.identifier", page_url(obj)),
        ("DC.language", DC_LANGUAGES.get(get_language(), "en")),
        ("DC.description", description(obj)),
    ]
    return [(name, value) for name, value in tags if value]


def open_graph_tags(obj):
    tags = [
        ("og:type", "website"),
        ("og:title", csl_item(obj).get("title") or str(obj)),
        ("og:site_name", site_name()),
        ("og:url", page_url(obj)),
        ("og:description", description(obj)),
        ("og:locale", OG_LOCALES.get(get_language(), "en_GB")),
    ]
    return [(name, value) for name, value in tags if value]
