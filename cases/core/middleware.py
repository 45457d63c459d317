"""Response headers and request ids that every page carries (and the request, for building addresses)."""

import logging
import uuid

from django.conf import settings

from cases.core.addresses import current_request
from cases.core.logging import current_request_id

request_logger = logging.getLogger("labourarchive.request")


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy and CORP.

    (COOP, Referrer-Policy, nosniff and HSTS come from SecurityMiddleware; CSP from django-csp.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestIdMiddleware:
    """Give every request an id (or keep the proxy's), echo it in X-Request-ID, and log one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if incoming.isascii() and 8 <= len(incoming) <= 64 else uuid.uuid4().hex
        # Every line logged while the request is served carries its id (cases.core.logging.RequestIdFilter).
        token = current_request_id.set(request.id)
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request.id
            request_logger.info(
                "request",
                extra={
                    "request_id": request.id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                },
            )
        finally:
            current_request_id.reset(token)
            current_request.reset(request_token)
        return response


class DatabaseUnavailableMiddleware:
    """Answer the designed 503 (with Retry-After) when the database cannot be reached, instead of a 500.

    Errors raised outside views (the session or user lookup in other middleware) reach the same page
    through `handler500` (cases.core.errors.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from cases.core.errors import DATABASE_ERRORS, service_unavailable

        if isinstance(exception, DATABASE_ERRORS):
            logging.getLogger("labourarchive.database").error(
                "database unavailable",
                extra={
                    "request_id": getattr(request, "id", ""),
                    "path": request.path,
                    "error": type(exception).__name__,
                },
            )
            return service_unavailable(request)
        return None
