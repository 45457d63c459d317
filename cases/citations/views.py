"""Citation downloads, robots.txt, and the sitemap and feed views (see urls.py)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cases.citations import selectors
from cases.citations.formats import absolute_url, bibtex_keys, csl_item, page_item, to_bibtex, to_csl_json, to_ris

WRITERS = {
    "bib": (to_bibtex, "application/x-bibtex"),
    "ris": (to_ris, "application/x-research-info-systems"),
    "json": (to_csl_json, "application/vnd.citationstyles.csl+json"),
}


def download(item, fmt, stem):
    write, content_type = WRITERS[fmt]
    response = HttpResponse(write([item]), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def cite_page(request, slug, fmt, model_name):
    """The citation of an archive page (a web page of the archive) as BibTeX or RIS."""
    entry = get_object_or_404(selectors.citable(model_name), slug=slug)
    # A source's page is cited as a page of the archive too; its own reference is `source_reference`.
    item = page_item(entry, request)
    return download(item, fmt, bibtex_keys([item])[item["id"]])


def source_reference(request, slug, fmt):
    """A source's own bibliographic reference as BibTeX, RIS or CSL-JSON."""
    source = get_object_or_404(selectors.citable("source"), slug=slug)
    item = csl_item(source, request)
    return download(item, fmt, bibtex_keys([item])[item["id"]])


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {absolute_url(reverse('sitemap'), request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
