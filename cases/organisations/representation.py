"""What the archive says about an organisation, for the exports, the API and the JSON-LD.

See cases/find/representation.py. A listed organisation comes from `selectors.organisations_for_listing()`,
which annotates `case_count`.
"""

from cases.find.representation import (
    BOOLEAN,
    INTEGER,
    TEXT,
    URI,
    Field,
    Representation,
    attribute,
    chinese_names,
    choice,
    page_url,
)
from cases.organisations.models import Base, Organisation, OrgKind

ORGANISATION = Representation(
    kind="organisation",
    model=Organisation,
    schema_name="Organisation",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("name", attribute("name"), "Name (a pseudonym when the author chose one)"),
        Field("short_name", attribute("short_name", empty_is_null=True), "Abbreviation", nullable=True),
        *chinese_names(),
        Field("kind", attribute("kind"), "Kind", choice(OrgKind.choices)),
        Field("base", attribute("base"), "Based in", choice(Base.choices)),
        Field("is_pseudonym", attribute("is_pseudonym"), "The name is a pseudonym chosen by the author", BOOLEAN),
        Field(
            "is_unnamed_in_source",
            attribute("is_unnamed"),
            "The source refers to it without naming it",
            BOOLEAN,
        ),
        Field("cases", attribute("case_count"), "Published cases it takes part in", INTEGER),
        Field("url", page_url, "Page on the site", URI),
    ),
    detail=(
        Field("summary", attribute("summary"), "What the sources say of it", TEXT),
        Field("locator", attribute("locator"), "Page or section where the source says so"),
    ),
)
