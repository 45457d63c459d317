"""What the archive says about a scholarly position, for the exports, the API and the JSON-LD.

See cases/find/representation.py. A listed position comes from `selectors.positions_with_counts()` with its
source joined: the counts of supporting, challenging and complicating published cases are annotated.
"""

from cases.find.representation import (
    BOOLEAN,
    INTEGER,
    STRING,
    TEXT,
    URI,
    Field,
    Representation,
    attribute,
    chinese_names,
    chinese_texts,
    choice,
    english_text,
    page_url,
    published_slug,
    translation_states,
)
from cases.scholarship.models import Concept, Outlook, Position

# The stance is data, the same in every language: its English word, from the member's name (the label is translated).
STANCES = [(outlook.name.lower(), outlook.label) for outlook in Outlook]


def _stance(position, request):
    return Outlook(position.outlook).name.lower()


POSITION = Representation(
    kind="position",
    model=Position,
    schema_name="Position",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("title", english_text("title"), "Title"),
        *chinese_texts("title", "Title"),
        Field("scholar", attribute("scholar"), "Scholar, as cited"),
        Field("stance", _stance, "Stance, from critical to optimistic", choice(STANCES)),
        Field("claim", english_text("claim"), "The claim", TEXT),
        *chinese_texts("claim", "The claim", TEXT),
        Field("key_quotation", attribute("key_quotation", empty_is_null=True), "Key quotation", nullable=True),
        Field("supporting_cases", attribute("supporting"), "Published cases that support it", INTEGER),
        Field("challenging_cases", attribute("challenging"), "Published cases that challenge it", INTEGER),
        Field("complicating_cases", attribute("complicating"), "Published cases that complicate it", INTEGER),
        Field("source", published_slug("source"), "Source (slug; null when not published)", STRING, True),
        Field("year", attribute("source.year"), "Year of the source", INTEGER, True),
        Field("cited_pages", attribute("cited_pages", empty_is_null=True), "Pages cited", nullable=True),
        Field("url", page_url, "Page on the site", URI),
    ),
    detail=(translation_states(),),
)


def _aliases(concept, request):
    return [alias.strip() for alias in concept.aliases.split(";") if alias.strip()]


CONCEPT = Representation(
    kind="concept",
    model=Concept,
    schema_name="Concept",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("term", attribute("term"), "Term"),
        *chinese_names(),
        Field("aliases", _aliases, "Other spellings", {"type": "array", "items": STRING}),
        Field("definition", english_text("definition"), "Definition", TEXT),
        *chinese_texts("definition", "Definition", TEXT),
        Field("is_framework_stage", attribute("is_framework_stage"), "A stage of the movement process", BOOLEAN),
        Field("source", published_slug("source"), "Source (slug; null when not published)", STRING, True),
        Field("locator", attribute("locator"), "Page or section of the source"),
        Field("url", page_url, "Page on the site", URI),
    ),
)
