"""Absolute addresses (citations, exports, feeds, JSON-LD, share links): on SITE_URL where it is set, else on the
address the request came to. Never a default host or port: a site served elsewhere would cite the wrong one."""

import contextvars

from django.conf import settings

# The request being served, for code that builds addresses without one in hand; set by RequestIdMiddleware.
current_request = contextvars.ContextVar("current_request", default=None)


def base_url(request=None):
    """'https://archive.example.org' without the final slash; '' outside a request when SITE_URL is not set."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    request = request if request is not None else current_request.get()
    if request is None:
        return ""
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(path, request=None):
    return base_url(request) + path
