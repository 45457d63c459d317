"""Every quotation in the canonical content resting on a seed text is verbatim, and its locator names the
section it sits in (cases/core/quotations.py gives the rules); so is every fragment quoted inside prose.

Reads fixtures/*.yaml and fixtures/texts/ directly: no database, so it is cheap and runs in the build."""

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from cases.core import quotations
from cases.core.quotations import find, locator_names, normalise, sections

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
TEXT_DIR = FIXTURE_DIR / "texts"

# (model, quotation field, source field, locator field): every field that holds a quotation.
QUOTATION_FIELDS = (
    ("interventions.evidence", "quotation", "source", "locator"),
    ("scholarship.stance", "sentence", "source", "locator"),
    # A position quotes the scholar as the reporting source cites them: checked against that source.
    ("scholarship.position", "key_quotation", "reported_in", "reported_locator"),
    ("scholarship.position", "key_quotation", "source", "cited_pages"),
)
PROSE_FIELDS = {"narrative", "stage_note", "outcome_note", "claim", "outlook_note", "explanation", "definition"}
QUOTED = re.compile(r"[“\"„]([^“”\"„‟]{3,}?)[”\"‟]")  # double quotation marks; single ones are also apostrophes


def slug(value):
    return value[0] if isinstance(value, list) else value


@cache
def rows():
    result = []
    for path in sorted(FIXTURE_DIR.glob("[0-9][0-9]_*.yaml")):
        result.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return result


@cache
def texts():
    """The seed texts, by source slug: the sources the fixtures give a text (fixtures/texts/<slug>.txt)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(TEXT_DIR.glob("*.txt"))}


@cache
def parsed(source):
    return sections(texts()[source])


@cache
def source_fields():
    return {row["fields"]["slug"]: row["fields"] for row in rows() if row["model"] == "core.source"}


def label(row):
    fields = row["fields"]
    if "slug" in fields:
        return f"{row['model']} {fields['slug']}"
    keys = [f"{k}={slug(fields[k])}" for k in ("intervention", "position", "source") if k in fields]
    return f"{row['model']} {' '.join(keys)}"


def quotation_cases():
    for row in rows():
        fields = row["fields"]
        for model, field, source_field, locator_field in QUOTATION_FIELDS:
            if row["model"] != model or not fields.get(field) or not fields.get(source_field):
                continue
            source = slug(fields[source_field])
            if source not in texts():
                continue
            if model == "scholarship.position" and source_field == "source" and fields.get("reported_in"):
                continue  # checked against the reporting source instead
            yield pytest.param(fields[field], source, fields.get(locator_field, ""), id=f"{label(row)} {field}")


def prose_cases():
    for row in rows():
        fields = row["fields"]
        resting_on = [slug(fields[k]) for k in ("source", "reported_in") if fields.get(k)]
        resting_on = [s for s in resting_on if s in texts()]
        if not resting_on:
            continue
        for field in sorted(PROSE_FIELDS & fields.keys()):
            for number, fragment in enumerate(QUOTED.findall(fields[field] or ""), start=1):
                yield pytest.param(fragment, tuple(resting_on), id=f"{label(row)} {field} {number}")


def is_named(fragment, sources):
    """A quoted fragment may be a title or a section heading quoted as such, not a quotation of the text."""
    wanted = normalise(fragment).casefold()
    names = {s.heading for source in sources for s in parsed(source)}
    for source in sources:
        names |= {source_fields()[source].get("title", ""), source_fields()[source].get("short_title", "")}
    return any(wanted == normalise(name).casefold() for name in names if name)


def sits(quotation, source, locator):
    """(found, named): the quotation is in the source's text; the locator names the place it sits in."""
    match = find(quotation, texts()[source], parsed(source))
    if match is None:
        return False, False
    if locator_names(locator, match):
        return True, True
    # A locator giving "Abstract" names the source's abstract, where the text is an abstract page.
    abstract = source_fields()[source].get("abstract", "")
    return True, "abstract" in locator.casefold() and find(quotation, abstract) is not None


def test_the_seed_texts_are_there():
    assert set(texts()) == {
        "pringle-2018",
        "franceschini-lin-2019",
        "unattributed-extract-lngos-collective-resistance",
    }
    for source in texts():
        assert source_fields()[source]["is_seed"]


@pytest.mark.parametrize(("quotation", "source", "locator"), list(quotation_cases()))
def test_every_quotation_is_verbatim_and_its_locator_names_its_section(quotation, source, locator):
    found, named = sits(quotation, source, locator)
    assert found, f"not found verbatim in {source}: {quotation!r}"
    match = find(quotation, texts()[source], parsed(source))
    assert named, f"{locator!r} does not name {match.section or f'para. {match.paragraph}'!r} ({match.context})"


@pytest.mark.parametrize(("fragment", "sources"), list(prose_cases()))
def test_every_fragment_quoted_in_prose_is_verbatim(fragment, sources):
    assert is_named(fragment, sources) or any(find(fragment, texts()[s], parsed(s)) for s in sources), (
        f"not found verbatim in {', '.join(sources)}: {fragment!r}"
    )


def test_the_check_covers_the_quotations():
    assert len(list(quotation_cases())) >= 90
    assert len(list(prose_cases())) >= 50


def test_altering_one_character_of_one_quotation_fails_the_check():
    quotation, source, locator = next(iter(quotation_cases())).values
    assert sits(quotation, source, locator) == (True, True)
    for at in range(len(quotation)):
        if quotation[at].isalpha():
            altered = quotation[:at] + ("x" if quotation[at] != "x" else "y") + quotation[at + 1 :]
            assert sits(altered, source, locator) == (False, False), altered
    assert find("workers", texts()[source]) is not None


def test_the_normaliser():
    assert normalise("„a  solidarity\n\nmachine‟ – organi-\n zing") == '"a solidarity machine" - organizing'
    assert normalise("HKA’s") == normalise("HKA‟s") == 'HKA"s'
    assert normalise("ﬁne") == "fine"


def test_ellipses_and_editorial_brackets():
    text = "Introduction\nThe workers went on strike. They won a raise after a long fight.  \n"
    assert find("The workers went [...] won a raise", text).section == "Introduction"
    assert find("The workers went … won", text)
    assert find("[t]hey won a raise", text)
    assert find("they won a raise", text) is None  # case is kept
    assert find("won a raise [...] The workers", text) is None  # in order


def test_sections_of_the_main_text():
    headings = [s.heading for s in parsed("pringle-2018")]
    for expected in (
        "Abstract",
        "Introduction",
        "Literature Review: LNGOs – Fostering Fragmentation or Mobilizing Machines?",
        "Methodology and Focus on Hong Kong LNGOs in Guangdong",
        "Transnational Labour Campaigns",
        "Conclusion",
        "Note 1",
        "Note 12",
    ):
        assert expected in headings
    match = find("Most important of all, they won.", texts()["pringle-2018"])
    assert match.section == "Transnational Labour Campaigns"
    assert "they won" in match.context
    assert quotations.locator_names("Transnational Labour Campaigns, manuscript p. 31", match)
    assert not quotations.locator_names("Conclusion", match)
