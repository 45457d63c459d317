"""RIS, written by rispy."""

import re

import rispy

from cases.citations.formats.common import CSL_TO_RIS, accessed, issued, name_inverted, page_range


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
