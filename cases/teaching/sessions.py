"""How long a signed-in session lasts: until it has been idle too long, and never past a fixed total.

Staff (and superusers): 30 minutes idle, 12 hours in all. Everyone else (instructors): a day idle, a week in all.
The times are kept in the session and checked on every request that carries one; the cookie and the stored
session expire with the idle limit too, so an abandoned session is also cleaned up by `clearsessions`.
"""

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_logged_in

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Writing the session on every request would cost a write per page: the idle clock moves a minute at a time.
RESOLUTION = 60


def limits(user):
    """(idle, total) in seconds for this account."""
    if user.is_staff or user.is_superuser:
        return settings.SESSION_STAFF_IDLE_SECONDS, settings.SESSION_STAFF_MAX_SECONDS
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS


def _expire_in(session, user, now):
    idle, total = limits(user)
    session.set_expiry(max(1, min(idle, session[SIGNED_IN_AT] + total - now)))


def start(sender, request, user, **kwargs):
    """On every sign-in (password, password reset, tests' force_login): the clocks start."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
    _expire_in(session, user, now)


user_logged_in.connect(start, dispatch_uid="teaching-session-limits")


class SessionLimitsMiddleware:
    """End a signed-in session that has been idle too long or has lasted too long in all.

    Between AuthenticationMiddleware and the second-factor middleware, so it sees the real account (an account
    still owing its second factor runs on the staff clock too). Requests without a session cost nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and auth.SESSION_KEY in request.session:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request):
        session, user = request.session, request.user
        if not user.is_authenticated:
            return
        now = int(time.time())
        idle, total = limits(user)
        started, seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
        if started is None or seen is None or now - seen >= idle or now - started >= total:
            auth.logout(request)  # a session from before these limits has no clocks: it ends too
            return
        if now - seen >= RESOLUTION:
            session[LAST_SEEN_AT] = now
            _expire_in(session, user, now)
