"""RIS, written by rispy."""

import re

import rispy

from cases.citations.formats.common import CSL_TO_RIS, accessed, issued, name_inverted, page_range

# A RIS field is one line, and a line that starts with a tag ("ER  - ", "TY  - ") is a field of its own: any
# line break in a value (those str.splitlines() knows, which readers split on too) would start a new field
# or record. Each is written as a space.
LINE_BREAKS_RE = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def one_line(value):
    return LINE_BREAKS_RE.sub(" ", str(value)).strip()


def ris_entry(item):
    csl_type = item.get("type", "")
    entry = {"type_of_reference": CSL_TO_RIS.get(csl_type, "GEN")}

    def put(key, value):
        value = [one_line(v) for v in value if one_line(v)] if isinstance(value, list) else one_line(value)
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
    put("abstract", re.sub(r"\s+", " ", item.get("abstract", "")).strip())
    return entry


def to_ris(items):
    text = rispy.dumps([ris_entry(item) for item in items])
    # rispy numbers each record ("1.") on a line of its own; reference managers expect the TY line first.
    return re.sub(r"(?m)^\d+\.\n", "", text).lstrip("\n")
