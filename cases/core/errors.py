"""The designed error pages: they say what a reader can do next and never what went wrong inside.

No exception text, no setting, no path of the server and no hint whether an unpublished entry exists
reaches the page; the details go to the structured log under the request id shown to the reader.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from cases.core import i18n, registry

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_FALLBACK = "<!doctype html><html lang={lang}><title>{title}</title><main><h1>{title}</h1></main></html>"


def _render(template_name, request, status, title, response_class=HttpResponse, context=None):
    try:
        body = loader.render_to_string(template_name, context or {}, request=request)
    except Exception:  # an error page must answer even when the templates or the database fail
        logger.exception("error page %s failed to render", template_name)
        body = _FALLBACK.format(title=escape(title), lang=get_language() or "en")
    return response_class(body, status=status)


def bad_request(request, exception):
    return _render("errors/400.html", request, 400, gettext("Bad request"), HttpResponseBadRequest)


def permission_denied(request, exception):
    return _render("errors/403.html", request, 403, gettext("Forbidden"), HttpResponseForbidden)


def csrf_failure(request, reason=""):
    # `reason` is Django's technical explanation: logged, never shown.
    logger.warning("CSRF check failed", extra={"reason": reason, "path": request.path})
    return _render("errors/403_csrf.html", request, 403, gettext("Forbidden"), HttpResponseForbidden)


def service_unavailable(request=None):
    """The outage page: rendered without the request, so no context processor can reach the database."""
    try:
        body = loader.render_to_string("errors/503.html", {"retry_after": RETRY_AFTER_SECONDS})
    except Exception:
        logger.exception("503 page failed to render")
        body = _FALLBACK.format(title=escape(gettext("Temporarily unavailable")), lang=get_language() or "en")
    response = HttpResponse(body, status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def server_error(request):
    # Called while the exception is being handled: a lost database is an outage (503), not a bug (500).
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return _render("500.html", request, 500, gettext("Server error"), HttpResponseServerError)


def page_not_found(request, exception):
    # The designed page says only that nothing is published here: never whether a draft exists. An entry once
    # published and then withdrawn is the exception: its address was public, and may be cited.
    gone = withdrawn(request)
    if gone is not None:
        return _render("410.html", request, 410, gettext("Withdrawn"), HttpResponseGone, context=gone)
    # Its language links lead to each language's home: the same missing address in another language is missing too,
    # and the page stays the same whatever was asked for (a draft's address and a made-up one alike).
    context = {"languages": i18n.alternates(request, same_page=False)}
    return _render("404.html", request, 404, gettext("Page not found"), HttpResponseNotFound, context=context)


def withdrawn(request):
    """The context of the 410 page when the address is the page of an entry the archive withdrew, else None."""
    try:
        match = resolve(request.path_info)
        slug = match.kwargs.get("slug")
        # The entry's page, or one of its versions (/cases/<slug>/v/2/): both answer for a withdrawn entry.
        kind = next((k for k in registry.kinds() if match.url_name in (k.url_name, f"{k.model_name}_version")), None)
        if kind is None or not slug:
            return None
        found = registry.service("withdrawn_entry")(kind, slug)
        if not found:
            return None
        try:
            list_url = reverse(f"{kind.model_name}_list")
        except NoReverseMatch:
            list_url = reverse("home")
        return {**found, "kind": kind, "list_url": list_url}
    except Resolver404:
        return None
    except Exception:  # the page must answer: a failed look-up is a plain 404
        logger.exception("looking up a withdrawn entry failed")
        return None
