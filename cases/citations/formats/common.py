"""What every citation format shares: the CSL, BibTeX and RIS type of each Source kind, absolute URLs,
and the readers of a CSL-JSON item's dates, pages and names."""

import re
import unicodedata

from cases.core.models import SourceKind

# Source.kind -> (CSL type, BibTeX entry type, RIS type)
KIND_TYPES = {
    SourceKind.ARTICLE: ("article-journal", "article", "JOUR"),
    SourceKind.CHAPTER: ("chapter", "incollection", "CHAP"),
    SourceKind.BOOK: ("book", "book", "BOOK"),
    SourceKind.REPORT: ("report", "techreport", "RPRT"),
    SourceKind.WEB: ("webpage", "online", "ELEC"),
    SourceKind.NEWS: ("article-newspaper", "article", "NEWS"),
    SourceKind.FILM: ("motion_picture", "misc", "MPCT"),
    SourceKind.LAW: ("legislation", "misc", "STAT"),
    SourceKind.EXTRACT: ("article", "misc", "GEN"),
    # A work whose type the citing text does not give: the generic type of each format, never a guessed one.
    SourceKind.NOT_STATED: ("document", "misc", "GEN"),
}
CSL_TO_BIBTEX = {csl: bib for csl, bib, _ in KIND_TYPES.values()} | {"thesis": "phdthesis"}
CSL_TO_RIS = {csl: ris for csl, _, ris in KIND_TYPES.values()} | {"thesis": "THES"}


def issued(item):
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return [int(p) for p in parts[0] if p not in (None, "")]


def accessed(item):
    parts = (item.get("accessed") or {}).get("date-parts") or [[]]
    return [int(p) for p in parts[0] if p not in (None, "")]


def page_range(item):
    """(first page, last page) of the item's `page` ("661–675", "661-675" or "661")."""
    pages = re.split(r"\s*[-–—]+\s*", item.get("page", "").strip(), maxsplit=1)
    first = pages[0] if pages else ""
    return first, pages[1] if len(pages) > 1 else ""


def name_inverted(name):
    """ "Family, Given" (or the literal name)."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def name_direct(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['given']} {name['family']}" if name.get("given") else name["family"]


def ascii_fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
