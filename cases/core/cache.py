"""Whole-page caching for anonymous readers, shared by every app instance, and its invalidation.

The archive is read far more than it is written, and most readers are anonymous, so a public page is
rendered once and then served from the shared cache (Redis in production, a directory on one machine).

Invalidation is global and immediate: every cached page is stored with the *content generation* it was
rendered under, and the generation (one key in the same shared cache) changes whenever any model of the
project's apps is saved or deleted, or a staff member's form post succeeds (admin bulk actions may use
`QuerySet.update()`, which sends no signal). A page whose generation is not the current one is never
served, so publishing, withdrawing or editing an entry shows on every page of every instance at once.
There is no per-page bookkeeping to get wrong: a change to one case may alter lists, facets, counts,
related pages and search results anywhere on the site.

A page is keyed by the release of the code, scheme, host, path, active language and the query parameters its view
declares it reads (`cache_params`), in a canonical order: a request with any other parameter is rendered but never
stored, so junk parameters cannot fill the cache. Pages with the same known parameters in another order, or a
one-value parameter repeated, share one entry. What the known parameters' values can still add is bounded by the cache
itself (MAX_ENTRIES for the file and local-memory caches, `maxmemory` with an LRU policy for Redis: see
deploy/redis.conf). The release is part of the key because the shared cache outlives a deploy: pages rendered by
the old templates, naming the old static files, must not be served by the new code.
"""

import functools
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"

# Headers that belong to one response only; the outer middleware sets them afresh for each request.
_NOT_STORED = {"x-request-id", "set-cookie", "date", "x-cache"}
# A stored page may only vary on what the cache key already accounts for.
_HARMLESS_VARY = {"cookie", "accept-encoding"}
_SAFE_METHODS = {"GET", "HEAD"}


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def new_generation():
    # Unique rather than incremented: a cache that lost the key can never fall back to an old value.
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"


def bump_generation():
    """Make every cached page stale, on every instance that shares the cache."""
    try:
        page_cache().set(GENERATION_KEY, new_generation(), None)
    except Exception:  # a cache outage must not break a curator's save
        logger.exception("could not bump the page cache generation")


def _content_changed(sender, **kwargs):
    if not _is_content_model(sender):
        return
    bump_generation()
    # Again after commit: a page rendered by another instance between the first bump and the commit read
    # the old rows, and must not outlive the transaction.
    transaction.on_commit(bump_generation, using=kwargs.get("using"))


def _is_content_model(model):
    meta = model._meta
    if meta.app_config is None:  # e.g. Django's migration recorder
        return False
    if meta.label_lower in {label.lower() for label in getattr(settings, "PAGE_CACHE_IGNORE_MODELS", ())}:
        return False
    return any(meta.app_config.name.startswith(prefix) for prefix in settings.PAGE_CACHE_CONTENT_APP_PREFIXES)


def connect_signals():
    # Receivers for every sender: apps added later are covered without registering anything.
    post_save.connect(_content_changed, dispatch_uid="pagecache-post-save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(_content_changed, dispatch_uid="pagecache-m2m-changed")


@dataclass(frozen=True)
class QueryParams:
    """The query parameters a view reads, and how it reads them.

    `single`: one value, the last one given (what `QueryDict.get` returns). `sets`: several values combined
    with OR, so their order and repeats do not change the page. `lists`: several values whose order counts.
    """

    single: frozenset = frozenset()
    sets: frozenset = frozenset()
    lists: frozenset = frozenset()

    def canonical(self, query):
        """The parameters as a sorted list of (name, [values]), or None when the query holds an unknown one."""
        known = self.single | self.sets | self.lists
        if any(name not in known for name in query):
            return None
        canonical = []
        for name in sorted(query):
            values = query.getlist(name)
            if name in self.single:
                values = values[-1:]
            elif name in self.sets:
                values = sorted(set(values))
            canonical.append((name, values))
        return canonical


NO_PARAMS = QueryParams()


def query_params(*single, sets=(), lists=(), filterset=None):
    """QueryParams from names, plus every filter of a django-filter FilterSet class (a filter whose widget takes
    several values is a set: the lists' filters combine their values with OR)."""
    single, sets = set(single), set(sets)
    for name, current in filterset.base_filters.items() if filterset else ():
        widget = current.extra.get("widget") or current.field_class.widget
        names = [f"{name}_{suffix}" for suffix in widget.suffixes] if hasattr(widget, "suffixes") else [name]
        (sets if getattr(widget, "allow_multiple_selected", False) else single).update(names)
    return QueryParams(frozenset(single), frozenset(sets), frozenset(lists))


def cache_params(*single, sets=(), lists=(), filterset=None):
    """Declare the query parameters a view reads (see `query_params`); pages with others are never stored."""
    params = query_params(*single, sets=sets, lists=lists, filterset=filterset)

    def declare(view):
        view.page_cache_params = params
        return view

    return declare


def view_params(request):
    """What the view serving `request` declared: on the function, or on its class (class-based views)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return NO_PARAMS
    for owner in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        params = getattr(owner, "page_cache_params", None)
        if params is not None:
            return params
    return NO_PARAMS


# What a page's rendering depends on besides content: code, templates and static files.
_RELEASE_FOLDERS = ("cases", "labourarchive", "templates", "static")


@functools.cache
def code_release():
    """PAGE_CACHE_RELEASE if set (e.g. the deployed commit), else a digest of the files pages are rendered from,
    read once per process: identical checkouts on several machines share their cached pages."""
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in _RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _page_key(request):
    """The key of the request's page, or None when its query holds a parameter its view does not read."""
    query = view_params(request).canonical(request.GET)
    if query is None:
        return None
    # The scheme: absolute links (API pagination, citations) are built from it. The language: one page per
    # language once the site has several.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or ""
    parts = [code_release(), request.scheme, request.get_host(), language, request.path, urlencode(query, doseq=True)]
    raw = "\n".join(parts)
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _request_is_cacheable(request):
    if request.method not in _SAFE_METHODS:
        return False
    # Any cookie but the CSRF one may mean a session, messages or a preference: render for that reader.
    return all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def _response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:  # get_token() ran: the page carries this reader's CSRF token
        return False
    cache_control = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    if "max-age=0" in response.get("Cache-Control", "").replace(" ", "").lower():
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= _HARMLESS_VARY


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD pages from the shared cache; store the ones that are the same for everyone.

    Sits after WhiteNoise and before the session, CSRF and authentication middleware, so a hit costs no
    database query while the security and request-id middleware around it still run for every response.
    Readers with a session (signed-in users, instructors) always get a freshly rendered page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PAGE_CACHE_ENABLED", True):
            return self._after_write(request, self.get_response(request))
        if not _request_is_cacheable(request):
            return self._after_write(request, self.get_response(request))

        cache = page_cache()
        key = _page_key(request)
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # the cache is an optimisation: without it, render
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = new_generation()
            cache.add(GENERATION_KEY, generation, None)
            generation = cache.get(GENERATION_KEY, generation)
        stored = found.get(key)
        if stored and stored["generation"] == generation:
            return self._rebuild(stored)

        response = self.get_response(request)
        if request.method == "GET" and _response_is_cacheable(request, response):
            try:
                cache.set(key, self._freeze(response, generation), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("could not store a page in the cache", exc_info=True)
            response.headers["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _after_write(request, response):
        # Staff posts may change content without a model signal (bulk actions): start a new generation.
        if request.method not in _SAFE_METHODS and response.status_code < 400:
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_staff", False):
                bump_generation()
        return response

    @staticmethod
    def _freeze(response, generation):
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_STORED]
        return {
            "generation": generation,
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
        }

    @staticmethod
    def _rebuild(stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response.headers[name] = value
        response.headers["X-Cache"] = "HIT"
        return response
