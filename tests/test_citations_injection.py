"""Citation exports cannot be injected: whatever a curated value holds, the BibTeX, RIS and CSL-JSON of a source
read back as one record with the same fields.

Each curated value a citation carries is fed, one at a time, the characters that end a field or a record in each
format: for BibTeX braces (matched or not), `}` followed by a new field, `@` starting a new entry, `%`, the
backslash and quotes; for RIS line breaks of every kind followed by `ER  - ` and other tags. The exports are parsed
back (bibtexparser, rispy, json) and compared with the same source holding a harmless value.
"""

import json
import re
from urllib.parse import unquote

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from cases.citations.formats import csl_item, to_bibtex, to_csl_json, to_ris
from cases.core.models import Source
from tests.factories import AuthorFactory, SourceAuthorFactory, SourceFactory

BIBTEX_BREAKERS = [
    "10.1/x}, note = {INJECTED",
    "x}}\n@misc{evil,\n  title = {Injected",
    "@misc{evil, title={Injected}}",
    "unbalanced { brace",
    "unbalanced } brace",
    "}{",
    "\\} escaped \\{",
    "{matched} {pair}",
    "100% % comment",
    "back\\slash\\",
    'say "quoted", title = "x"',
    "a # b ~ c $ d & e _ f",  # ^ too; the decoder here reads \textasciicircum as ˆ
]
RIS_BREAKERS = [
    "A title\nER  - \nTY  - JOUR\nTI  - Injected",
    "A title\r\nER  - \r\n",
    "A title\rAU  - Injected, Author",
    "A title\u2028ER  - \u2029TY  - BOOK",
    "A title\x0bER  - \x0cDO  - 10.9/injected",
    "A title\x85KW  - injected\x1eN1  - injected",
    "ER  - at the start",
    "TY  - JOUR",
]
PAYLOADS = BIBTEX_BREAKERS + RIS_BREAKERS

# Every value of a source that reaches a citation, as (what the curator edits, attribute).
SOURCE_FIELDS = [
    "title",
    "short_title",
    "container_title",
    "editors",
    "publisher",
    "publisher_place",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "abstract",
]
AUTHOR_FIELDS = ["family_name", "given_names"]


@pytest.fixture
def source():
    source = SourceFactory(
        kind="chapter",
        title="A plain title",
        short_title="Plain",
        container_title="A plain book",
        editors="Ann Editor",
        publisher="A publisher",
        publisher_place="Hong Kong",
        volume="4",
        issue="2",
        pages="1",
        doi="10.1000/plain",
        url="https://example.org/plain",
        abstract="A plain abstract.",
    )
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Plain", given_names="Author"))
    return source


def item_with(source, field, value):
    if field in AUTHOR_FIELDS:
        author = source.authorships.get().author
        setattr(author, field, value)
        author.save()
    else:
        setattr(source, field, value)
    return csl_item(Source.objects.prefetch_related("authorships__author").get(pk=source.pk) if field in AUTHOR_FIELDS
                    else source)  # fmt: skip


def entries_bibtex_reads(text):
    """The entries as BibTeX itself delimits them: it counts every brace, a backslash before one or not."""
    depth, closed = 0, 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"a brace closes more than was opened:\n{text}"
            closed += depth == 0
    assert depth == 0, f"braces left open:\n{text}"
    return closed


def bibtex_record(item):
    text = to_bibtex([item])
    assert entries_bibtex_reads(text) == 1
    assert [line for line in text.splitlines() if line.lstrip().startswith("@")] == [text.splitlines()[0]]
    raw = bibtexparser.parse_string(text)
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not raw.failed_blocks and not decoded.failed_blocks, text
    assert len(raw.entries) == len(decoded.entries) == 1, text
    return raw.entries[0], decoded.entries[0], text


def ris_record(item):
    text = to_ris([item])
    lines = text.splitlines()
    assert sum(line.startswith("TY  - ") for line in lines) == 1, text
    assert sum(line.startswith("ER  - ") for line in lines) == 1 and lines[-1].startswith("ER  - "), text
    records = rispy.loads(text)
    assert len(records) == 1, text
    return records[0]


def one_line(text):
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def without_braces(text):
    return " ".join(text.replace("{", "").replace("}", "").split())


@pytest.mark.parametrize("field", SOURCE_FIELDS + AUTHOR_FIELDS)
def test_each_curated_value_holding_what_ends_a_field_or_record_stays_in_its_field(source, field):
    clean = item_with(source, field, getattr(source, field, None) or "Plain")
    clean_bibtex, _, _ = bibtex_record(clean)
    clean_ris = ris_record(clean)
    bibtex_fields = {f.key for f in clean_bibtex.fields}
    for payload in PAYLOADS:
        item = item_with(source, field, payload)

        raw, decoded, text = bibtex_record(item)
        assert re.fullmatch(r"[a-z0-9-]+", raw.key) and raw.entry_type == clean_bibtex.entry_type
        assert {f.key for f in raw.fields} == bibtex_fields, (payload, text)
        assert "INJECTED" not in {f.key.upper() for f in raw.fields}
        if field in ("doi", "url"):
            # Verbatim fields: percent-encoded where needed, and read back as they were entered.
            assert unquote(raw.fields_dict[field].value) == payload.strip()
        elif field in ("title", "publisher", "abstract", "publisher_place"):
            key = {"title": "title", "publisher": "publisher", "abstract": "abstract", "publisher_place": "address"}
            value = decoded.fields_dict[key[field]].value
            # Unmatched braces are written as \textbraceleft/\textbraceright, which the test's decoder drops.
            assert without_braces(value) == without_braces(payload), (payload, text)

        record = ris_record(item)
        expected = set(clean_ris)
        if field == "pages":  # a hyphen in the value splits it into first and last page
            assert set(record) - {"end_page"} == expected - {"end_page"}, payload
        else:
            assert set(record) == expected, (payload, record)
        ris_key = {"title": "title", "publisher": "publisher", "doi": "doi", "volume": "volume"}.get(field)
        if ris_key:
            assert record[ris_key] == one_line(payload)

        csl = json.loads(to_csl_json([item]))
        assert len(csl) == 1 and set(csl[0]) == set(clean)


def test_the_reported_doi_and_title_no_longer_add_a_field_or_a_record(source):
    source.doi = "10.1/x}, note = {INJECTED"
    source.title = "A title\nER  - \nTY  - JOUR\nTI  - Injected"
    item = csl_item(source)
    raw, _, _ = bibtex_record(item)
    assert "note" not in raw.fields_dict
    assert unquote(raw.fields_dict["doi"].value) == "10.1/x}, note = {INJECTED"
    record = ris_record(item)
    assert record["title"] == "A title ER  - TY  - JOUR TI  - Injected"
    assert record["doi"] == "10.1/x}, note = {INJECTED"


def test_matched_braces_are_still_written_as_escaped_braces():
    item = {"id": "x", "type": "book", "title": "100% of {wages}", "publisher": "a}b{c"}
    raw, decoded, _ = bibtex_record(item)
    assert raw.fields_dict["title"].value == r"100\% of \{wages\}"
    assert decoded.fields_dict["title"].value == "100% of {wages}"
    assert raw.fields_dict["publisher"].value == r"a\textbraceright{}b\textbraceleft{}c"
