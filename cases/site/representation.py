"""What the archive says about a source, for the exports, the API and the JSON-LD.

See cases/find/representation.py. A listed source comes from `selectors.sources_for_listing()`, with its
authorships prefetched.
"""

from cases.core.models import Place, PlaceKind, Source, SourceKind
from cases.find.representation import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    STRINGS,
    TEXT,
    URI,
    Field,
    Representation,
    attribute,
    chinese_names,
    choice,
    page_url,
    published_slug,
)


def _authors(source, request):
    return [author.display_name for author in source.ordered_authors()]


def _published_online(source, request):
    return source.published_online.isoformat() if source.published_online else None


def _text(name, label):
    return Field(name, attribute(name, empty_is_null=True), label, nullable=True)


SOURCE = Representation(
    kind="source",
    model=Source,
    schema_name="Source",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("type", attribute("kind"), "Type", choice(SourceKind.choices)),
        Field("authors", _authors, "Authors, in order", STRINGS),
        Field("year", attribute("year"), "Year (null when unknown)", INTEGER, True),
        Field(
            "published_online",
            _published_online,
            "Date the work went online, where its own page gives one",
            DATE,
            True,
        ),
        Field("title", attribute("title"), "Title"),
        _text("container_title", "Journal, book or site it appears in"),
        _text("editors", "Editors"),
        _text("publisher", "Publisher"),
        _text("publisher_place", "Place of publication"),
        _text("volume", "Volume"),
        _text("issue", "Issue"),
        _text("pages", "Pages"),
        _text("doi", "DOI"),
        Field("source_url", attribute("url", empty_is_null=True), "The work's own address", URI, True),
        Field("is_seed", attribute("is_seed"), "One of the texts the archive was built from", BOOLEAN),
        Field("needs_checking", attribute("needs_checking"), "Its details still need checking", BOOLEAN),
        Field("url", page_url, "Page on the site", URI),
    ),
)


def _coordinate(name):
    def read(place, request):
        value = getattr(place, name)
        return None if value is None else float(value)

    read.path = name
    return read


PLACE = Representation(
    kind="place",
    model=Place,
    schema_name="Place",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("name", attribute("name"), "Name"),
        *chinese_names(),
        Field("kind", attribute("kind"), "Kind", choice(PlaceKind.choices)),
        Field("parent", published_slug("parent"), "The place it lies in (slug)", STRING, True),
        Field("latitude", _coordinate("latitude"), "Latitude (approximate centre)", NUMBER, True),
        Field("longitude", _coordinate("longitude"), "Longitude (approximate centre)", NUMBER, True),
        Field("description", attribute("description", empty_is_null=True), "Description", TEXT, True),
        Field("source", published_slug("source"), "Source (slug; null when not published)", STRING, True),
        Field("locator", attribute("locator", empty_is_null=True), "Page or section of the source", nullable=True),
        Field("url", page_url, "Page on the site", URI),
    ),
)
