"""Chicago author-date (17th edition), a small formatter of our own: citeproc-py's rendering of the CSL
Chicago style initialises given names, inverts every author's name and puts the full stop outside the
closing quotation mark."""

import datetime
import html
import re

from cases.citations.formats.common import accessed, issued, name_direct, name_inverted, page_range

# The titles Chicago sets in italics; the others are quoted (or, for a whole website, set in roman).
ITALIC_TITLE_TYPES = {"book", "report", "motion_picture", "thesis"}


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
