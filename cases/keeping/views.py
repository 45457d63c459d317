"""The OAI-PMH endpoint and the open-data pages."""

import mimetypes

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from cases.citations import formats
from cases.citations.views import download
from cases.core import registry
from cases.core.addresses import absolute_url, base_url
from cases.core.cache import cache_params

from . import oai, releases, selectors


@csrf_exempt  # harvesters POST their arguments (the protocol allows it); nothing is changed by a request
@require_http_methods(["GET", "HEAD", "POST"])
@cache_params()
def oai_endpoint(request):
    arguments = request.POST if request.method == "POST" else request.GET
    repo = oai.Repository(
        base_url=absolute_url(reverse("oai"), request), site=base_url(request), page_size=settings.OAI_PAGE_SIZE
    )
    body = oai.respond(repo, dict(arguments.lists()))
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@require_safe
def data_index(request):
    found = releases.releases()
    return render(request, "keeping/data.html", {"releases": found, "latest": found[0] if found else None})


def _release_or_404(version):
    release = releases.find(version)
    if release is None:
        raise Http404("No such release.")
    return release


@require_safe
def data_release(request, version):
    release = _release_or_404(version)
    return render(request, "keeping/release.html", {"release": release})


@require_safe
def data_file(request, version, name):
    release = _release_or_404(version)
    if release.file(name) is None:  # only the files its manifest lists: no other path is ever opened
        raise Http404("No such file in this release.")
    kind = mimetypes.guess_type(name)[0] or "text/plain"
    if name in ("SHA256SUMS", "CITATION.cff") or name.endswith(".md"):
        kind = "text/plain"
    # FileResponse closes the file once sent.
    response = FileResponse(open(release.path / name, "rb"), content_type=f"{kind}; charset=utf-8")  # noqa: SIM115
    if not name.endswith(".html"):
        response["Content-Disposition"] = f'inline; filename="{release.version}-{name}"'
    return response


def _latest():
    found = releases.releases()
    if not found:
        raise Http404("No release has been made yet.")
    return found[0]


@require_safe
def data_latest(request):
    return HttpResponseRedirect(reverse("data_release", args=[_latest().version]))


@require_safe
def data_latest_file(request, name):
    release = _latest()
    if release.file(name) is None:
        raise Http404("No such file in this release.")
    return HttpResponseRedirect(reverse("data_file", args=[release.version, name]))


# --- Citable versions and the change log -------------------------------------------------------------------------

CHANGES_PER_PAGE = 50


@require_safe
def entry_version(request, slug, number, model_name):
    """Version `number` of an entry's page, as it was published. A withdrawn entry's versions answer 410 (the
    not-found handler finds the withdrawal: cases/core/errors.py), an unknown one 404."""
    kind = next(kind for kind in registry.kinds() if kind.model_name == model_name)
    entry = selectors.entry_for_version(kind, slug)
    version = selectors.version_of(entry, number) if entry is not None else None
    if version is None:
        raise Http404("No such version.")
    context = {
        "entry": entry,
        "kind": kind,
        "version": version,
        "is_latest": version.number == entry.public_version,
        "stylesheets": _stylesheets(version.stylesheets),
    }
    response = render(request, "keeping/version.html", context)
    if version.number != entry.public_version:
        # A superseded version never changes again (its notice already points to the newer one): browsers and
        # proxies may keep it for a day. The site's own cache keeps every page until the next change anyway.
        response["Cache-Control"] = f"public, max-age={SUPERSEDED_VERSION_MAX_AGE}"
    return response


SUPERSEDED_VERSION_MAX_AGE = 24 * 3600


def _stylesheets(names):
    """The addresses of the page's own stylesheets in this release; one a later release removed is left out."""
    found = []
    for name in names:
        try:
            found.append(static(name))
        except ValueError:
            continue
    return found


@require_safe
def entry_version_cite(request, slug, number, fmt, model_name):
    """The citation of one version of an entry's page as BibTeX or RIS."""
    kind = next(kind for kind in registry.kinds() if kind.model_name == model_name)
    entry = selectors.entry_for_version(kind, slug)
    version = selectors.version_of(entry, number) if entry is not None else None
    if version is None:
        raise Http404("No such version.")
    item = formats.version_item(entry, version, request)
    return download(item, fmt, f"{formats.bibtex_keys([item])[item['id']]}-v{number}")


@require_safe
@cache_params("page")
def public_changes(request):
    page = Paginator(selectors.public_changes(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "keeping/changes.html", {"page_obj": page, "changes": page.object_list})
