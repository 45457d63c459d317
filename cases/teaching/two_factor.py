"""The second factor: an authenticator app's time-based codes (TOTP), and one-time recovery codes.

Staff and superusers must have one; instructors may turn it on. Whoever has signed in with a password but owes
a second factor is anonymous to every view (admin, previews, reading lists): SecondFactorMiddleware hides the
account, and only the second-factor pages reach it, through `pending_user()`. Staff without an authenticator
are sent to set one up; everyone else with one must give a code from it or a recovery code.

django-otp keeps the devices and, in the session, which device verified the user (OTPMiddleware reads it).
"""

import functools
import math
from base64 import b32encode
from binascii import unhexlify

import segno
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

SETUP_KEY_SESSION_KEY = "two_factor_setup_key"
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def is_enrolled(user):
    """Has this account a confirmed authenticator?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user):
    """Must this account give a second factor? Always for staff; for others once they have turned it on."""
    return bool(user.is_staff or user.is_superuser or is_enrolled(user))


def _owes_second_factor(user):
    return user.is_authenticated and not user.is_verified() and is_required(user)


class SecondFactorMiddleware:
    """Make a user who has not given the second factor anonymous; after django_otp's OTPMiddleware.

    Lazy, as Django's own user: a request that never looks at the user costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(functools.partial(self._gate, request, user))
        auser = getattr(request, "auser", None)
        if auser is not None:
            request.auser = functools.partial(self._agate, request, auser)
        return self.get_response(request)

    @staticmethod
    def _gate(request, user):
        if _owes_second_factor(user):
            request.second_factor_pending = user
            return AnonymousUser()
        return user

    async def _agate(self, request, auser):
        return await sync_to_async(self._gate)(request, await auser())


def pending_user(request):
    """The account that has given its password but not yet its second factor, or None."""
    request.user.is_authenticated  # noqa: B018  (evaluates the lazy user, which sets the attribute)
    return getattr(request, "second_factor_pending", None)


def mark_verified(request, user, device):
    """The session now counts as having given the second factor; a new session key, as after a password."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(SETUP_KEY_SESSION_KEY, None)
    user.otp_device = device  # the rest of this request sees the account, verified
    request.user = user
    request.second_factor_pending = None


def normalise(code):
    return "".join((code or "").split()).replace("-", "").lower()


def verify(user, code):
    """The device that accepts `code` (six digits: the authenticator; otherwise a recovery code), or None.

    Each device counts its failures and makes the next attempt wait longer (django-otp's throttling); the
    device rows are locked while a code is checked, so one code cannot be used twice at once.
    """
    code = normalise(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def wait_seconds(user):
    """Seconds before the account's devices take another code after failed ones (0: at once)."""
    until = []
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.devices_for_user(user, confirmed=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                until.append(data["locked_until"])
    return math.ceil((max(until) - timezone.now()).total_seconds()) if until else 0


# --- Setting up an authenticator -------------------------------------------------------------------------------


def setup_key(request):
    """The secret offered while an authenticator is being set up; kept in the session until it is confirmed."""
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = request.session[SETUP_KEY_SESSION_KEY] = default_key()
    return key


def secret_text(key):
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user, key):
    return TOTPDevice(user=user, key=key).config_url


def qr_svg(url):
    """The otpauth:// address as an inline SVG QR code: one path, no style attribute or script (the CSP)."""
    return segno.make(url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="two-factor__qr", lineclass=None, omitsize=True
    )


def new_authenticator(user, key, code):
    """An (unsaved) authenticator for `key` if `code` is the one it shows now, else None."""
    device = TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = normalise(code)
    if not (code.isdigit() and len(code) == device.digits and totp.verify(int(code), device.tolerance)):
        return None
    device.last_t = totp.t()  # the code that confirmed it cannot be used again to sign in
    device.drift = totp.drift
    return device


def install(device):
    """Save the new authenticator in place of any other the account had."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).delete()
        device.save()
    return device


def new_recovery_codes(user):
    """Replace the account's recovery codes; returns them (shown once, never again)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def turn_off(user):
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
