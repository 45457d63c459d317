"""Attacks on the accounts, each one reproduced and now failing: a staff password without its second factor, a
replayed or guessed code, sessions that never end, short passwords, a flood of reset mail, a forged
X-Forwarded-For, and the login page that answered 500 when asked to go back to itself."""

import datetime
import importlib
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.teaching import security, sessions, two_factor
from tests import factories as f
from tests.accounts_helpers import authenticator, code_for, code_in_step, sign_in_verified
from tests.teaching_helpers import make_instructor

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the password-reset counters live in the cache


def make_staff(username="curator", **extra):
    return User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True, **extra)


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def enter_code(client, code, url=None):
    return client.post(url or reverse("two_factor_verify"), {"code": code})


def unthrottle(user):
    """Move the devices' last failure back in time, as waiting would (django-otp makes the next try wait)."""
    for model in (TOTPDevice, two_factor.StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=None, throttling_failure_count=0)


def staff_pages(draft):
    return [
        reverse("admin:index"),
        reverse("admin:interventions_intervention_changelist"),
        reverse("admin:interventions_intervention_change", args=[draft.pk]),
        reverse("intervention_preview", args=[draft.slug]),
    ]


def assert_treated_as_anonymous(client, draft):
    for url in staff_pages(draft):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        assert draft.title not in response.content.decode()
        if response.status_code == 302:
            assert response.url.startswith(reverse("admin:login")) or response.url.startswith(reverse("login"))
    assert ">Sign in<" in client.get(reverse("about")).content.decode()


# --- Second factor ---------------------------------------------------------------------------------------------


def test_a_staff_account_cannot_sign_in_with_its_password_alone(client):
    staff = make_staff(is_superuser=True)
    device = authenticator(staff)
    draft = f.InterventionFactory(status="draft", title="Quokka draft")
    response = sign_in(client, "curator")
    assert response.status_code == 302 and response.url == reverse("two_factor_verify")
    # The password made a session, but every staff page treats it as anonymous until the code is given.
    assert "_auth_user_id" in client.session
    assert_treated_as_anonymous(client, draft)
    # A post as "staff" changes nothing either.
    client.post(reverse("admin:interventions_intervention_changelist"), {"action": "publish_selected"})
    draft.refresh_from_db()
    assert draft.status == "draft"
    # With the code the same session becomes staff.
    page = client.get(reverse("two_factor_verify"))
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    response = enter_code(client, code_for(device))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("intervention_preview", args=[draft.slug])).status_code == 200


def test_staff_without_an_authenticator_set_one_up_before_anything_else(client):
    make_staff()
    draft = f.InterventionFactory(status="draft", title="Quokka draft")
    response = sign_in(client, "curator")
    assert response.url == reverse("two_factor_setup")
    assert_treated_as_anonymous(client, draft)
    page = client.get(reverse("two_factor_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'class="two-factor__qr"' in html
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    # The key shown for typing in by hand is the one the server checks.
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    assert secret == two_factor.secret_text(key).replace(" ", "")
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert_treated_as_anonymous(client, draft)
    code = f"{totp(bytes.fromhex(key)):06d}"
    response = client.post(reverse("two_factor_setup"), {"code": code})
    assert response.url == reverse("two_factor_recovery_codes")
    codes_page = client.get(response.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10 and "shown only now" in codes_page
    # Shown once: the page does not show them again.
    assert not re.findall(r"<li><code>", client.get(reverse("two_factor_recovery_codes")).content.decode())
    assert client.get(reverse("admin:index")).status_code == 200
    # The code that confirmed the app cannot sign anybody in again (each code works once).
    other = Client()
    sign_in(other, "curator")
    assert enter_code(other, code).status_code == 400


def test_a_code_works_once_and_a_recovery_code_once(client):
    staff = make_staff()
    device = authenticator(staff)
    codes = two_factor.new_recovery_codes(staff)
    sign_in(client, "curator")
    code = code_for(device)
    assert enter_code(client, code).status_code == 302
    # The same code, replayed in another session (shoulder-surfed, phished), is refused.
    thief = Client()
    sign_in(thief, "curator")
    assert enter_code(thief, code).status_code == 400
    assert thief.get(reverse("admin:index")).status_code == 302
    # A recovery code signs in once, in any spelling, and says how many are left.
    unthrottle(staff)
    response = enter_code(thief, codes[0].upper())
    assert response.status_code == 302
    assert "9 left" in thief.get(reverse("admin:index"), follow=True).content.decode()
    third = Client()
    sign_in(third, "curator")
    assert enter_code(third, codes[0]).status_code == 400
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_guessing_codes_is_slowed_down(client):
    staff = make_staff()
    device = authenticator(staff)
    sign_in(client, "curator")
    assert enter_code(client, "123456").status_code == 400
    # The next try must wait (1, 2, 4, 8... seconds): even the right code is not looked at before then.
    throttled = enter_code(client, code_for(device))
    assert throttled.status_code == 429 and "Too many wrong codes" in throttled.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_password_alone_cannot_replace_the_authenticator(client):
    staff = make_staff()
    authenticator(staff)
    sign_in(client, "curator")
    assert client.get(reverse("two_factor_setup")).url == reverse("two_factor_verify")
    # Not even with a code for a key of the attacker's choosing posted straight to the setup page.
    session = client.session
    session[two_factor.SETUP_KEY_SESSION_KEY] = "00" * 20
    session.save()
    response = client.post(reverse("two_factor_setup"), {"code": f"{totp(bytes(20)):06d}"})
    assert response.url == reverse("two_factor_verify")
    assert TOTPDevice.objects.filter(user=staff).count() == 1 and not TOTPDevice.objects.filter(key="00" * 20)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_setup_page_needs_no_inline_style_or_script(client):
    make_staff()
    sign_in(client, "curator")
    response = client.get(reverse("two_factor_setup"))
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "style-src 'self'" in csp
    assert not re.search(r"\sstyle=", html) and "<style" not in html and "<script" not in html
    assert re.search(r"<svg[^>]*viewBox", html) and "<figcaption" in html


def test_instructors_may_turn_the_second_factor_on_and_off(client):
    make_instructor()
    assert sign_in(client, "instructor").url == reverse("teaching:list_index")  # no second factor yet
    elsewhere = Client()
    sign_in(elsewhere, "instructor")
    account = client.get(reverse("account")).content.decode()
    assert "Turn on two-factor authentication" in account
    client.get(reverse("two_factor_setup"))
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    setup_step = int(time.time()) // 30
    setup_code = code_in_step(bytes.fromhex(key), setup_step)
    assert client.post(reverse("two_factor_setup"), {"code": setup_code}).status_code == 302
    assert client.get(reverse("teaching:list_index")).status_code == 200
    # A session opened elsewhere with the password alone now owes the code too.
    assert elsewhere.get(reverse("teaching:list_index")).status_code == 302
    # Signing in again asks for it.
    client.post(reverse("logout"))
    assert sign_in(client, "instructor").url == reverse("two_factor_verify")
    assert client.get(reverse("teaching:list_index")).status_code == 302
    device = TOTPDevice.objects.get(user__username="instructor")
    assert enter_code(client, code_in_step(device.bin_key, setup_step + 1)).url == reverse("teaching:list_index")
    # Turning it off takes a current code.
    wrong = client.post(reverse("two_factor_disable"), {"code": "000000"})
    assert wrong.status_code == 400 and "not a code your present app shows" in wrong.content.decode()
    unthrottle(device.user)
    recovery = StaticToken.objects.filter(device__user=device.user).first().token
    assert client.post(reverse("two_factor_disable"), {"code": recovery}).url == reverse("account")
    client.post(reverse("logout"))
    assert sign_in(client, "instructor").url == reverse("teaching:list_index")


def test_staff_cannot_turn_the_second_factor_off(client):
    staff = make_staff()
    sign_in_verified(client, staff)
    code = code_for(authenticator(staff), ahead=1)
    assert "always need their second factor" in client.get(reverse("account")).content.decode()
    assert client.post(reverse("two_factor_disable"), {"code": code}).status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    staff = make_staff()
    sign_in_verified(client, staff)
    old = two_factor.new_recovery_codes(staff)
    response = client.post(reverse("two_factor_recovery_codes"), {"code": code_for(authenticator(staff), ahead=1)})
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", client.get(response.url).content.decode())
    assert len(new) == 10 and not set(old) & set(new)
    assert set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == set(new)


def test_a_session_left_open_cannot_take_over_the_second_factor(client):
    """Someone at a signed-in staff member's keyboard can neither swap in their own app nor mint recovery codes."""
    staff = make_staff()
    sign_in_verified(client, staff)
    device = authenticator(staff)
    codes = two_factor.new_recovery_codes(staff)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "A code from the app you use now" in page
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    new_code = f"{totp(bytes.fromhex(key)):06d}"
    for current in ("", "000000"):
        response = client.post(reverse("two_factor_setup"), {"code": new_code, "current_code": current})
        assert response.status_code == 400
        unthrottle(staff)
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]
    refused = client.post(reverse("two_factor_recovery_codes"), {"code": "not-a-code"})
    assert refused.status_code == 400 and "<li><code>" not in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == set(codes)
    # The owner, with a recovery code (the phone is lost), moves to a new phone.
    unthrottle(staff)
    response = client.post(reverse("two_factor_setup"), {"code": new_code, "current_code": codes[0]})
    assert response.url == reverse("two_factor_recovery_codes")
    assert TOTPDevice.objects.get(user=staff).key == key


# --- The login page --------------------------------------------------------------------------------------------


def test_the_login_page_asked_to_go_back_to_itself_while_signed_in_redirects(client):
    make_instructor()
    sign_in(client, "instructor")
    login = reverse("login")
    for target in (login, f"{login}?next={login}", reverse("two_factor_verify")):
        response = client.get(login, {"next": target})
        assert response.status_code == 302 and response.url == reverse("teaching:list_index"), target
    staff = make_staff()
    sign_in_verified(client, staff)
    assert client.get(login, {"next": login}).url == reverse("admin:index")


def test_a_curator_signing_in_lands_on_the_admin_and_goes_where_asked(client):
    staff = make_staff()
    device = authenticator(staff)
    target = reverse("admin:interventions_intervention_changelist")
    response = client.get(target)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)  # the admin's login sends to the site's
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={target.replace('/', '%2F')}"
    response = client.post(
        response.redirect_chain[-1][0], {"username": "curator", "password": PASSWORD, "next": target}
    )
    assert response.url == f"{reverse('two_factor_verify')}?next={target.replace('/', '%2F')}"
    assert client.post(response.url, {"code": code_for(device), "next": target}).url == target


# --- Sessions --------------------------------------------------------------------------------------------------


def _age_session(client, **seconds):
    session = client.session
    for key, ago in seconds.items():
        session[key] -= ago
    session.save()


def test_a_staff_session_ends_after_30_minutes_idle(client):
    staff = make_staff()
    sign_in_verified(client, staff)
    assert client.session.get_expiry_age() == 30 * 60  # the cookie and the stored session too
    _age_session(client, **{sessions.LAST_SEEN_AT: 29 * 60, sessions.SIGNED_IN_AT: 29 * 60})
    assert client.get(reverse("admin:index")).status_code == 200  # still active: the idle clock restarts
    assert client.session[sessions.LAST_SEEN_AT] >= client.session[sessions.SIGNED_IN_AT] + 29 * 60
    _age_session(client, **{sessions.LAST_SEEN_AT: 30 * 60 + 1})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_staff_session_ends_after_12_hours_however_active(client):
    staff = make_staff()
    sign_in_verified(client, staff)
    _age_session(client, **{sessions.SIGNED_IN_AT: 12 * 3600 - 120, sessions.LAST_SEEN_AT: 60})
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session.get_expiry_age() <= 120  # the cookie does not outlive the 12 hours either
    _age_session(client, **{sessions.SIGNED_IN_AT: 120, sessions.LAST_SEEN_AT: 60})
    assert client.get(reverse("admin:index")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_instructor_sessions_end_too(client, settings):
    make_instructor()
    sign_in(client, "instructor")
    assert client.session.get_expiry_age() == 24 * 3600 and settings.SESSION_COOKIE_AGE == 7 * 24 * 3600
    _age_session(client, **{sessions.LAST_SEEN_AT: 24 * 3600})
    assert client.get(reverse("teaching:list_index")).status_code == 302
    sign_in(client, "instructor")
    _age_session(client, **{sessions.SIGNED_IN_AT: 7 * 24 * 3600, sessions.LAST_SEEN_AT: 60})
    assert client.get(reverse("teaching:list_index")).status_code == 302


def test_a_session_from_before_the_limits_ends(client):
    make_instructor()
    sign_in(client, "instructor")
    session = client.session
    del session[sessions.SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("teaching:list_index")).status_code == 302


def test_a_staff_password_session_owing_its_code_is_on_the_staff_clock(client):
    staff = make_staff()
    authenticator(staff)
    sign_in(client, "curator")
    _age_session(client, **{sessions.LAST_SEEN_AT: 30 * 60})
    assert client.get(reverse("two_factor_verify")).url == reverse("login")


# --- Passwords -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kX9#mQ2v", "too short"),  # eight characters, not common: refused now
        ("kX9#mQ2vLp7", "too short"),
        ("q1w2e3r4t5y6", "too common"),
        ("123456654321", "too common"),
    ],
)
def test_passwords_need_12_characters_and_must_not_be_common(password, message):
    user = User(username="someone", email="someone@example.org")
    with pytest.raises(ValidationError, match=message):
        password_validation.validate_password(password, user)


def test_a_12_character_password_is_taken_and_an_8_character_one_is_not_on_the_form(client):
    make_instructor()
    sign_in(client, "instructor")
    url = reverse("password_change")
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "kX9#mQ2v", "new_password2": "kX9#mQ2v"})
    assert short.status_code == 200 and "at least 12 characters" in short.content.decode()
    ok = "kX9#mQ2vLp7z"
    assert client.post(url, {"old_password": PASSWORD, "new_password1": ok, "new_password2": ok}).status_code == 302


# --- Password reset --------------------------------------------------------------------------------------------


def test_password_reset_mail_is_limited_per_address(client, settings):
    make_instructor()
    answers = set()
    for spelling in ["instructor@example.org", "INSTRUCTOR@example.org", "Instructor@Example.org"] * 2:
        response = client.post(reverse("password_reset"), {"email": spelling})
        answers.add((response.status_code, response.url))
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT == 3
    # The visitor always sees the same answer, sent or not, account or not (no account enumeration).
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    answers.add((response.status_code, response.url))
    assert answers == {(302, reverse("password_reset_done"))}


def test_password_reset_mail_is_limited_per_account(client, settings):
    user = make_instructor()
    for _ in range(3):
        client.post(reverse("password_reset"), {"email": "instructor@example.org"})
    assert len(mail.outbox) == 3
    # A fresh address for the same account does not start the count again.
    user.email = "new-address@example.org"
    user.save()
    response = client.post(reverse("password_reset"), {"email": "new-address@example.org"})
    assert response.url == reverse("password_reset_done") and len(mail.outbox) == 3


def test_password_reset_counts_expire_with_their_window(client, monkeypatch):
    make_instructor()
    clock = [1_000_000.0]
    monkeypatch.setattr(security.time, "time", lambda: clock[0])
    for _ in range(4):
        client.post(reverse("password_reset"), {"email": "instructor@example.org"})
    assert len(mail.outbox) == 3
    clock[0] += 3601
    client.post(reverse("password_reset"), {"email": "instructor@example.org"})
    assert len(mail.outbox) == 4


# --- The login limit and X-Forwarded-For -----------------------------------------------------------------------


@pytest.fixture
def rate_limited(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    return settings


def test_without_a_proxy_a_rotating_forwarded_for_does_not_dodge_the_login_limit(client, rate_limited):
    # LOGIN_PROXY_COUNT=1, but the attacker reaches the application directly (no proxy in front).
    rate_limited.LOGIN_PROXY_COUNT = 1
    make_instructor()
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(3):
        response = sign_in(client, "instructor", "wrong", **attacker, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert response.status_code == 429
    forged = sign_in(client, "instructor", PASSWORD, **attacker, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Once the pause is over the instructor gets in.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert sign_in(Client(), "instructor", PASSWORD, **attacker).status_code == 302


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "127.0.0.1", "198.51.100.7", "127.0.0.1"),  # no proxy configured: the header is never read
        (1, "127.0.0.1", "198.51.100.7", "198.51.100.7"),  # behind the local nginx
        (1, "127.0.0.1", "203.0.113.1, 198.51.100.7", "198.51.100.7"),  # a forged left-hand entry is skipped
        (1, "203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not from a trusted proxy: ignored
        (1, "::1", "2001:db8::7", "2001:db8::7"),
        (2, "127.0.0.1", "198.51.100.7", "198.51.100.7"),  # one proxy fewer than said: no header entry is made up
        (2, "127.0.0.1", "203.0.113.1, 198.51.100.7", "198.51.100.7"),  # …and the client's own entry is not trusted
        (2, "127.0.0.1", "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # two trusted hops
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_address_is_taken_only_from_trusted_proxies(settings, count, remote, forwarded, expected):
    settings.LOGIN_PROXY_COUNT = count
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert security.client_ip(request) == expected


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"TRUSTED_PROXIES": "0.0.0.0/0"}, "would trust every address"),
        ({"TRUSTED_PROXIES": "::/0"}, "would trust every address"),
        ({"TRUSTED_PROXIES": "nginx.internal"}, "is not an address"),
        ({"LOGIN_PROXY_COUNT": "1", "TRUSTED_PROXIES": ""}, "TRUSTED_PROXIES is empty"),
        ({"LOGIN_PROXY_COUNT": "-1"}, "must be 0"),
    ],
)
def test_the_settings_refuse_to_start_on_a_proxy_set_up_that_cannot_be_right(monkeypatch, environment, message):
    from labourarchive.settings import base

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        with pytest.raises(ImproperlyConfigured, match=message):
            importlib.reload(base)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_the_default_trusts_only_loopback():
    from labourarchive.settings import base

    assert base.TRUSTED_PROXIES == ["127.0.0.1", "::1"] and base.LOGIN_PROXY_COUNT == 0


def test_staff_helpers_for_tests_sign_in_as_the_real_flow_does(client):
    """The helper other tests use gives the same session as entering a code: checked against the real flow."""
    staff = make_staff()
    sign_in_verified(client, staff)
    real = Client()
    sign_in(real, "curator")
    enter_code(real, code_for(authenticator(staff), ahead=1))
    key = two_factor.DEVICE_ID_SESSION_KEY
    assert client.session[key] == real.session[key]
    assert get_user_model().objects.count() == 1


def test_an_administrator_can_reset_a_lost_second_factor(client):
    import io

    from django.core.management import CommandError, call_command

    staff = make_staff()
    sign_in_verified(client, staff)
    two_factor.new_recovery_codes(staff)
    out = io.StringIO()
    call_command("reset_two_factor", "curator", "--unusable-password", stdout=out)
    assert "set up a new authenticator" in out.getvalue() and "reset link" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff) and not StaticToken.objects.filter(device__user=staff)
    # The session verified with the removed authenticator is staff no more, and the old password is gone.
    assert client.get(reverse("admin:index")).status_code == 302
    assert sign_in(Client(), "curator").status_code == 200
    with pytest.raises(CommandError, match="no account"):
        call_command("reset_two_factor", "nobody", stdout=io.StringIO())
