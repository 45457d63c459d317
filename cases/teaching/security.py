"""The client address the login rate limit counts attempts by.

Behind nginx every request comes from the proxy's address, so counting by REMOTE_ADDR would lock an
instructor out for everybody. With LOGIN_PROXY_COUNT proxies in front (nginx appends the address it saw to
X-Forwarded-For), the client is that many entries from the right; entries further left are whatever the client
sent and are never trusted.
"""

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-count] if len(forwarded) >= count else remote
