"""Signing staff in for tests: a password session that has also given its second factor, as after the real flow."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user):
    """The account's confirmed authenticator app (made if it has none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device, ahead=0):
    """The code the app shows now (ahead=1: the next one, which the one-step tolerance also accepts)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=ahead):06d}"


def code_in_step(key, step):
    """The code an app shows in the 30-second `step` for the key (bytes).

    Tests that give two codes fix their steps instead of reading the clock twice: when a code taken in one step
    reaches the server in the next, django-otp records the drift, and a "next code" read later off the clock
    could fall outside the window it then accepts.
    """
    totp = TOTP(key)
    totp.time = step * 30 + 1
    return f"{totp.token():06d}"


def sign_in_verified(client, user):
    """force_login, plus the session key django-otp sets when the second factor is given (django_otp.login)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    return user
