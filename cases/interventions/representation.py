"""What the archive says about a case, for the exports, the API and the JSON-LD (see cases/find/representation.py).

A listed case comes from `selectors.interventions_for_export()` with `names` attached per chunk or page
(`selectors.with_related_names` / `selectors.attach_names`): its published roles, places, issues and tactics.
"""

from cases.find.representation import (
    BOOLEAN,
    DATE,
    LINKS,
    STRING,
    STRINGS,
    TEXT,
    URI,
    Field,
    Representation,
    attribute,
    chinese_texts,
    choice,
    english_text,
    link_text,
    objects,
    page_url,
    public_slug,
    published_slug,
    translation_states,
)
from cases.interventions.models import Intervention, Kind, Outcome, RoleKind, Stage


def _iso(name):
    def read(case, request):
        return getattr(case, name) or None

    return read


def _names(key):
    def read(case, request):
        return case.names[key]

    return read


def _lead_organisations(case, request):
    return [role["name"] for role in case.names["roles"] if role["role"] == RoleKind.LEAD]


def _role_text(role):
    return f"{role['name']} ({role['role']})"


def _events(case, request):
    return [
        {
            "date": event.date_iso,
            "date_display": event.date_display,
            "title": event.title_en_gb,
            "title_zh_hans": event.title_zh_hans or None,
            "title_zh_hant": event.title_zh_hant or None,
            "description": event.description or None,
            "source": public_slug(event.source),
            "locator": event.locator,
        }
        for event in case.events.all()
    ]


def _evidence(case, request):
    return [
        {
            "quotation": item.quotation,
            "attribution": item.attribution or None,
            "source": public_slug(item.source),
            "locator": item.locator,
        }
        for item in case.evidence.all()
    ]


def _coded_text(link):
    return f"{link['name']} (archive's coding)" if link.get("is_archive_coding") else link["name"]


# An issue or tactic, and whether the archive assigned it without the source stating it.
CODED_LINKS = objects(slug=STRING, name=STRING, is_archive_coding=BOOLEAN)

CITED_IN = {"type": "string", "nullable": True, "description": "The source's slug; null when not published."}
ROLES = objects(slug=STRING, name=STRING, role=choice(RoleKind.choices))

CASE = Representation(
    kind="case",
    model=Intervention,
    schema_name="Intervention",
    listed=(
        Field("slug", attribute("slug"), "Slug"),
        Field("title", english_text("title"), "Title"),
        *chinese_texts("title", "Title"),
        Field("kind", attribute("kind"), "Kind of intervention", choice(Kind.choices)),
        Field("stage", attribute("stage", empty_is_null=True), "Movement-process stage", choice(Stage.choices), True),
        Field(
            "is_stage_archive_coding",
            attribute("stage_by_archive"),
            "The stage is the archive's coding, not the source's",
            BOOLEAN,
        ),
        Field("outcome", attribute("outcome"), "Outcome", choice(Outcome.choices)),
        Field(
            "is_outcome_archive_coding",
            attribute("outcome_by_archive"),
            "The outcome is the archive's coding, not the source's",
            BOOLEAN,
        ),
        Field("start", _iso("start_iso"), "Start (ISO 8601 at the precision the source gives)", DATE, True),
        Field("end", _iso("end_iso"), "End (null when the sources do not say)", DATE, True),
        Field("lead_organisations", _lead_organisations, "Lead organisations", STRINGS),
        Field("organisations", _names("roles"), "Organisations and their roles", ROLES, text=_role_text),
        Field("places", _names("places"), "Places", LINKS, text=link_text),
        Field(
            "issues",
            _names("issues"),
            "Issues (each marked when it is the archive's coding)",
            CODED_LINKS,
            text=_coded_text,
        ),
        Field(
            "tactics",
            _names("tactics"),
            "Tactics (each marked when it is the archive's coding)",
            CODED_LINKS,
            text=_coded_text,
        ),
        Field("summary", english_text("summary"), "Summary", TEXT),
        *chinese_texts("summary", "Summary", TEXT),
        Field("source", published_slug("source"), "Source (slug; null when not published)", STRING, True),
        Field("locator", attribute("locator"), "Page or section of the source"),
        Field("url", page_url, "Page on the site", URI),
    ),
    detail=(
        translation_states(),
        Field("narrative", attribute("narrative"), "Narrative", TEXT),
        Field(
            "stage_note", attribute("stage_note", empty_is_null=True), "How the author assigns the stage", TEXT, True
        ),
        Field("outcome_note", attribute("outcome_note", empty_is_null=True), "On the outcome", TEXT, True),
        Field(
            "events",
            _events,
            "Timeline",
            objects(
                date=DATE,
                date_display=STRING,
                title=STRING,
                title_zh_hans={"type": "string", "nullable": True},
                title_zh_hant={"type": "string", "nullable": True},
                description={"type": "string", "nullable": True},
                source=CITED_IN,
                locator=STRING,
            ),
        ),
        Field(
            "evidence",
            _evidence,
            "Quotations from the sources",
            objects(
                quotation=STRING,
                attribution={"type": "string", "nullable": True},
                source=CITED_IN,
                locator=STRING,
            ),
        ),
    ),
)
