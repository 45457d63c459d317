"""Counting attempts: the client address the login rate limit counts by, and the password-reset limits.

Behind nginx every request comes from the proxy's address, so counting by REMOTE_ADDR would lock an
instructor out for everybody. With LOGIN_PROXY_COUNT proxies in front (nginx appends the address it saw to
X-Forwarded-For), the client is that many entries from the right; entries further left are whatever the client
sent and are never trusted.

X-Forwarded-For is only believed when the request comes from one of TRUSTED_PROXIES (loopback by default), and
each hop it walks back through must be a trusted proxy too. A request that reaches the application directly,
whatever it claims, is counted by its own address: with LOGIN_PROXY_COUNT set but no proxy in front, a client
rotating the header would otherwise get a fresh address, and a fresh set of attempts, every time.
"""

import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
_warned = set()


@functools.lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    address = _address(address) if isinstance(address, str) else address
    return address is not None and any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _warn_once(what, message):
    # Once per process: the log should say the set-up is wrong, not repeat it on every sign-in.
    if what not in _warned:
        _warned.add(what)
        logger.warning(message)


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0:
        if header and is_trusted_proxy(remote):
            _warn_once(
                "count",
                "A proxy forwards requests but LOGIN_PROXY_COUNT is 0: sign-in attempts are counted by the proxy's "
                "address. Set LOGIN_PROXY_COUNT to the number of proxies in front.",
            )
        return remote
    if not is_trusted_proxy(remote):
        if header:
            _warn_once(
                "untrusted",
                "X-Forwarded-For came from an address not in TRUSTED_PROXIES and was ignored: either no proxy is in "
                "front (set LOGIN_PROXY_COUNT=0) or TRUSTED_PROXIES misses the proxy's address.",
            )
        return remote
    hops = [part for part in header.split(",") if part.strip()]
    client = remote
    for _ in range(count):
        if not hops or not is_trusted_proxy(client):
            break
        previous = _address(hops.pop())
        if previous is None:  # not an address: the proxy did not write it
            break
        client = str(previous)
    return client


# --- Password reset --------------------------------------------------------------------------------------------


def _digest(value):
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def take(kind, value, *, limit, window):
    """Count one use of `kind` for `value` in a fixed window; False once `limit` uses are spent.

    The count lives in the shared cache, so every instance sees the same one. add() then incr() is atomic on
    Redis and in memory; touch() keeps the window whole on caches whose incr() resets the expiry (files).
    """
    bucket = int(time.time() // window)
    key = f"limit:{kind}:{_digest(value)}:{bucket}"
    remaining = max(1, int((bucket + 1) * window - time.time()))
    try:
        cache.add(key, 0, remaining)
        used = cache.incr(key)
        cache.touch(key, remaining)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, remaining)
        used = 1
    return used <= limit


def password_reset_allowed(kind, value):
    return take(
        f"password-reset:{kind}",
        value,
        limit=settings.PASSWORD_RESET_LIMIT,
        window=settings.PASSWORD_RESET_WINDOW_SECONDS,
    )
