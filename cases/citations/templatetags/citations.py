"""Template tags: "Cite this page", metadata for reference managers and search engines, COinS.

{% include "citations/metadata.html" with object=case %}   in {% block meta %} of a detail page
{% include "citations/cite.html" with object=case %}       the "Cite this page" block
{% load citations %}{% coins source %}                      a COinS span for a source in a list
"""

from django import template
from django.urls import NoReverseMatch, reverse

from cases.citations import formats, metadata
from cases.citations.works import works_cited
from cases.core.models import Source

register = template.Library()


class LatestVersion:
    """The latest public version of an entry in hand, as the entry's annotations give it (no query)."""

    def __init__(self, obj):
        self.number = obj.public_version
        self.at = obj.public_changed_at
        self.title = formats.page_title(obj)
        self.url = f"{obj.get_absolute_url()}v/{self.number}/"


@register.simple_tag
def coins(source):
    """A COinS span, so Zotero can pick the source off a list page. Reads prefetched authorships only."""
    return formats.coins_span(formats.csl_item(source))


@register.inclusion_tag("citations/metadata_tags.html")
def metadata_tags(obj):
    is_source = isinstance(obj, Source)
    return {
        "canonical": metadata.page_url(obj),
        "highwire": metadata.highwire_tags(obj) if is_source else [],
        "dublin_core": [] if is_source else metadata.dublin_core_tags(obj),
        "open_graph": [] if is_source else metadata.open_graph_tags(obj),
        "jsonld": metadata.jsonld_script(metadata.jsonld(obj)),
    }


def _version_block(obj, version, request):
    """The citation of one public version of the page: its permanent address, references and downloads."""
    model_name = obj._meta.model_name
    args = {"slug": obj.slug, "number": version.number}
    try:
        downloads = [reverse(f"{model_name}_version_cite", kwargs={**args, "fmt": fmt}) for fmt in ("bib", "ris")]
    except NoReverseMatch:  # no version pages for this kind
        return None
    item = formats.version_item(obj, version, request)
    return {
        "number": version.number,
        "at": version.at,
        "path": version.url,
        "url": item["URL"],
        "apa": formats.format_reference(item, "apa"),
        "chicago": formats.format_reference(item, "chicago"),
        "bib": downloads[0],
        "ris": downloads[1],
    }


@register.inclusion_tag("citations/cite_block.html", takes_context=True)
def cite_block(context, obj, version=None):
    """`version`: the public version a version page shows (cited instead of the live page). Without it, the page's
    latest version (`public_version`, `public_changed_at`, read with the entry) is offered as "Cite this version"."""
    request = context.get("request")
    model_name = obj._meta.model_name
    page = formats.page_item(obj, request)
    current = version
    if current is None and getattr(obj, "public_version", None):
        current = LatestVersion(obj)
    block = {
        "version": _version_block(obj, current, request) if current is not None else None,
        "is_version_page": version is not None,
        "page_apa": formats.format_reference(page, "apa"),
        "page_chicago": formats.format_reference(page, "chicago"),
        "page_bib": reverse(f"{model_name}_cite", kwargs={"slug": obj.slug, "fmt": "bib"}),
        "page_ris": reverse(f"{model_name}_cite", kwargs={"slug": obj.slug, "fmt": "ris"}),
        "source": None,
        # The published works the page rests on come first: a reader cites the scholarship, then the archive.
        # A version page's own text names its sources as they were: only the version itself is cited there.
        "originals": []
        if isinstance(obj, Source) or version is not None
        else [
            {"apa": formats.format_reference(formats.source_item(work.source), "apa"), "work": work}
            for work in works_cited(obj)
        ],
    }
    if isinstance(obj, Source):
        item = formats.source_item(obj)
        block["source"] = {
            "apa": formats.format_reference(item, "apa"),
            "chicago": formats.format_reference(item, "chicago"),
            "downloads": [
                (label, reverse("source_reference", kwargs={"slug": obj.slug, "fmt": fmt}))
                for label, fmt in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
            ],
            "needs_checking": obj.needs_checking,
        }
    return block
