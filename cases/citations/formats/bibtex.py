"""BibTeX, written by bibtexparser; values escaped here, non-ASCII kept as UTF-8."""

import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from cases.citations.formats.common import CSL_TO_BIBTEX, accessed, ascii_fold, issued, name_inverted
from cases.core.i18n import site_name

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIALS_RE = re.compile("|".join(re.escape(c) for c in BIBTEX_SPECIALS))
# Words a BibTeX style must not lowercase: acronyms and names with inner capitals (NGOs, HKA, McKay).
PROTECTED_WORD_RE = re.compile(r"(?<![\w\\{])(\w+[A-Z]\w*)")


# BibTeX counts braces even after a backslash: an unmatched brace, escaped or not, ends the field (or the
# entry) early, and what follows is read as fields of its own. Only matched pairs are written as \{ \}.
UNMATCHED_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
# Characters a verbatim field (DOI, URL) cannot hold as they are; percent-encoded, as in any URL.
VERBATIM_UNSAFE_RE = re.compile(r'[{}\\"\s\x00-\x1f\x7f]')


def _unmatched_braces(text):
    """Positions of the braces in `text` that have no partner."""
    opened, unmatched = [], set()
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unmatched.add(index)
    return unmatched | set(opened)


def bibtex_escape(text):
    text = re.sub(r"\s+", " ", str(text)).strip()
    unmatched = _unmatched_braces(text)
    return "".join(
        UNMATCHED_BRACE[char] if index in unmatched else BIBTEX_SPECIALS.get(char, char)
        for index, char in enumerate(text)
    )


def bibtex_verbatim(text):
    """A DOI or URL as styles typeset it (with \\url or \\doi): kept as it is but for what would end the field."""
    return VERBATIM_UNSAFE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), str(text).strip())


def bibtex_title(text):
    return PROTECTED_WORD_RE.sub(r"{\1}", bibtex_escape(text))


def bibtex_names(names):
    # An organisation's name is braced so BibTeX does not split it into first and last names.
    return " and ".join(
        "{" + bibtex_escape(n["literal"]) + "}" if "literal" in n else bibtex_escape(name_inverted(n)) for n in names
    )


def bibtex_key(item):
    """Author's family name (ASCII, letters only) and year, e.g. pringle2018; pages of the archive by id."""
    if item.get("type") == "webpage" and item.get("publisher") == site_name():
        return re.sub(r"[^a-z0-9-]", "", ascii_fold(item["id"]).lower()) or "page"
    names = item.get("author") or item.get("editor") or []
    if names:
        first = names[0]
        stem = first.get("family") or first.get("literal", "")
    else:
        stem = next((w for w in re.findall(r"\w+", item.get("title", "")) if len(w) > 3), "anon")
    stem = re.sub(r"[^a-z]", "", ascii_fold(stem).lower()) or "anon"
    year = issued(item)
    return f"{stem}{year[0] if year else 'nd'}"


def bibtex_keys(items):
    """Stable, unique keys: colliding keys get a, b, c... in the order of the items' ids."""
    base = {item["id"]: bibtex_key(item) for item in items}
    keys = {}
    for key in set(base.values()):
        ids = sorted(i for i, k in base.items() if k == key)
        for index, item_id in enumerate(ids):
            keys[item_id] = key if len(ids) == 1 else f"{key}{chr(ord('a') + index) if index < 26 else index}"
    return keys


def bibtex_fields(item):
    csl_type = item.get("type", "")
    fields = []

    def add(name, value):
        if value:
            fields.append(Field(name, value))

    add("author", bibtex_names(item.get("author", [])))
    add("editor", bibtex_names(item.get("editor", [])))
    add("title", bibtex_title(item.get("title", "")))
    add("shorttitle", bibtex_title(item.get("title-short", "")))
    container = item.get("container-title", "")
    if csl_type in ("article-journal", "article-newspaper"):
        add("journal", bibtex_title(container))
    elif csl_type == "chapter":
        add("booktitle", bibtex_title(container))
    elif csl_type == "webpage":
        add("organization", bibtex_escape(container))
    elif container:
        add("howpublished", bibtex_escape(container))
    date = issued(item)
    if date:
        add("year", str(date[0]))
        if len(date) == 3:
            add("date", "{:04d}-{:02d}-{:02d}".format(*date))
    add("volume", bibtex_escape(item.get("volume", "")))
    add("number", bibtex_escape(item.get("issue", "")))
    add("pages", bibtex_escape(re.sub(r"\s*[–—-]+\s*", "--", item.get("page", ""))))
    publisher = bibtex_escape(item.get("publisher", ""))
    if csl_type == "report":
        add("institution", publisher)
    elif csl_type != "webpage":
        add("publisher", publisher)
    add("address", bibtex_escape(item.get("publisher-place", "")))
    # DOIs and URLs are written as they are: styles typeset them verbatim with \url or \doi.
    add("doi", bibtex_verbatim(item.get("DOI", "")))
    add("url", bibtex_verbatim(item.get("URL", "")))
    seen = accessed(item)
    if seen and len(seen) == 3:
        add("urldate", "{:04d}-{:02d}-{:02d}".format(*seen))
    add("abstract", bibtex_escape(item.get("abstract", "")))
    return fields


def to_bibtex(items):
    items = list(items)
    keys = bibtex_keys(items)
    library = Library(
        [Entry(CSL_TO_BIBTEX.get(item.get("type"), "misc"), keys[item["id"]], bibtex_fields(item)) for item in items]
    )
    return bibtexparser.write_string(library)
