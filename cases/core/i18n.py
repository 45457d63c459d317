"""The archive's languages: which one a request is in, and the same page's address in each of the others.

English is at the root and each other language under its prefix (/zh-hans/, /zh-hant/; labourarchive/urls.py). The
address alone decides the language: an unprefixed page is English whatever the browser asks for, so one address is
one page, cacheable and citable, and a reader changes language by following a link to another address. The
admin is the one exception: it is never cached, has no prefixed address, and follows the browser.
"""

from django.conf import settings
from django.http import QueryDict
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import pgettext

from cases.core.addresses import base_url
from cases.core.cache import view_params

DEFAULT_SITE_NAME = "Labour NGO Case Archive"


def site_name():
    """The archive's name in the active language: the catalogues name the default one, a SITE_NAME set for another
    archive is used as it is."""
    if settings.SITE_NAME == DEFAULT_SITE_NAME:
        return pgettext("site name", "Labour NGO Case Archive")
    return settings.SITE_NAME


def prefixed_languages():
    """The languages that have an address prefix: all but the default."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_from_path(path_info):
    """The language of a prefixed path (/zh-hans/cases/ -> 'zh-hans'), or None for an unprefixed one."""
    for code in prefixed_languages():
        if path_info == f"/{code}" or path_info.startswith(f"/{code}/"):
            return code
    return None


def _negotiated(path_info):
    return any(path_info.startswith(prefix) for prefix in settings.LOCALE_NEGOTIATED_PATHS)


def html_lang(code):
    """A language code as BCP 47 writes it for `lang` and `hreflang`: en-gb -> en-GB, zh-hans -> zh-Hans."""
    first, *rest = code.split("-")
    parts = [first.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title())
    return "-".join(parts)


class PathLocaleMiddleware:
    """Activate the language the address names, for this request only, and say so in Content-Language.

    Unlike Django's LocaleMiddleware it never reads Accept-Language or a cookie for the public pages, so those pages
    do not vary on them and the page cache can keep one copy per address. The language is restored afterwards so
    nothing outside the request (a test's own `reverse()`, the next request on the thread) inherits it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        negotiated = _negotiated(request.path_info)
        if negotiated:
            language = translation.get_language_from_request(request)
        else:
            language = language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        if negotiated:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def _unprefixed(path_info):
    current = language_from_path(path_info)
    return path_info[len(current) + 1 :] or "/" if current else path_info


# No parameter the archive reads is longer: a longer value is junk, and the links must not repeat it.
LONGEST_CARRIED_VALUE = 100


def _carried_query(request):
    """The query string the page's view reads (its filters, page, search; as it declares them for the page cache):
    what the same page in another language needs. Parameters the view ignores, and absurd values, are left behind."""
    params = view_params(request)
    known = params.single | params.sets | params.lists
    carried = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        kept = [value for value in values if len(value) <= LONGEST_CARRIED_VALUE]
        if name in known and kept:
            carried.setlist(name, kept)
    return carried.urlencode()


def alternates(request, same_page=True):
    """The page in every language: a list of dicts (code, name, lang, path, url, current).

    The path keeps the query string (the filters) when the page exists in that language; a page that does not (an
    address outside the prefixed routes), or any page when `same_page` is false (a 404), links to that language's
    home instead.
    """
    path_info = request.path_info
    current = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    rest = _unprefixed(path_info)
    query = _carried_query(request)
    script = get_script_prefix().rstrip("/")
    site = base_url(request)
    links = []
    for code, name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        target = prefix + rest
        query_here = query
        if not same_page:
            target, query_here = prefix + "/", ""
        elif code != current:
            with translation.override(code):
                if not is_valid_path(target):
                    target, query_here = prefix + "/", ""
        path = script + target + (f"?{query_here}" if query_here else "")
        links.append(
            {
                "code": code,
                "name": name,
                "lang": html_lang(code),
                "path": path,
                "url": site + path,
                "current": code == current,
            }
        )
    return links
