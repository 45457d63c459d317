"""CSL-JSON: the one stored form every other format is mapped from, for a Source or an archive page."""

import datetime
import json
import re

from django.utils import timezone

from cases.citations.formats.common import KIND_TYPES
from cases.core.addresses import absolute_url
from cases.core.i18n import site_name
from cases.core.models import Source


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
    item = {"id": source.slug, "type": csl_type}
    if source.title:  # an unknown title is left out, not made up
        item["title"] = source.title
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
        "author": [{"literal": site_name()}],
        "container-title": site_name(),
        "publisher": site_name(),
        "URL": absolute_url(obj.get_absolute_url(), request),
        "accessed": date_parts(timezone.localdate()),
    }
    if getattr(obj, "published_at", None):
        item["issued"] = date_parts(obj.published_at)
    return item


def version_item(obj, version, request=None):
    """A public version of an archive page (`version`: its number, date, title and address) as a web page: the
    address that always shows that version, its title as published then, and the date it went live."""
    item = page_item(obj, request)
    item.update(
        id=f"{item['id']}-v{version.number}",
        title=f"{version.title} (version {version.number})",
        URL=absolute_url(version.url, request),
        version=str(version.number),
        issued=date_parts(version.at),
    )
    return item


def csl_item(obj, request=None):
    """The CSL-JSON item for a Source (its own reference) or for an archive page that shows `obj`."""
    if isinstance(obj, Source):
        return source_item(obj)
    return page_item(obj, request)


def to_csl_json(items):
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"
