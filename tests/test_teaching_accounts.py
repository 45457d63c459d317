"""Accounts: sign in and out, password change and reset, the login rate limit with its cool-off, and the
create_instructor command."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.teaching_helpers import make_instructor

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def rate_limited(settings):
    """Switch the login rate limit on (the test settings turn it off), with a low failure limit."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    return settings


def sign_in(client, username, password, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def test_rate_limiting_is_on_outside_the_tests():
    from labourarchive.settings import base

    assert "axes" in base.INSTALLED_APPS and base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.AXES_FAILURE_LIMIT == 5 and base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert datetime.timedelta(hours=base.AXES_COOLOFF_TIME) == datetime.timedelta(minutes=15)
    assert base.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_sign_in_and_out(client):
    make_instructor()
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Forgotten your password?" in page.content.decode()
    wrong = sign_in(client, "instructor", "not-it")
    assert wrong.status_code == 200 and "Please enter a correct username and password" in wrong.content.decode()
    response = sign_in(client, "instructor", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("teaching:list_index")
    header = client.get(reverse("about")).content.decode()
    assert "My reading lists" in header and "Sign out" in header and ">Sign in<" not in header
    assert client.post(reverse("logout")).status_code == 302
    assert ">Sign in<" in client.get(reverse("about")).content.decode()


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(client):
    make_instructor()
    target = reverse("teaching:list_create")
    response = client.get(target)
    assert response.url == f"{reverse('login')}?next={target}"
    assert client.post(response.url, {"username": "instructor", "password": PASSWORD}).url == target
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"), {"username": "instructor", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("teaching:list_index")


def test_the_header_of_an_anonymous_page_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get(reverse("about")).content.decode()
    assert f'href="{reverse("login")}">Sign in</a>' in html and "My reading lists" not in html


def test_a_user_without_the_permission_sees_no_reading_lists_link(client):
    get_user_model().objects.create_user("curator", "c@example.org", PASSWORD)
    sign_in(client, "curator", PASSWORD)
    html = client.get(reverse("about")).content.decode()
    assert "Sign out" in html and "My reading lists" not in html


def test_lockout_after_the_failure_limit_and_cool_off(client, rate_limited):
    make_instructor()
    for _ in range(2):
        assert sign_in(client, "instructor", "wrong").status_code == 200
    locked = sign_in(client, "instructor", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many attempts to sign in" in html and "Try again in 15 minutes" in html
    # The right password does not help while locked out…
    assert sign_in(client, "instructor", PASSWORD).status_code == 429
    # …the same user from another address is not locked out (the lockout is by username and address)…
    other = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(other, "instructor", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302
    # …and once the cool-off has passed, signing in works again.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert sign_in(client, "instructor", PASSWORD).status_code == 302


def test_the_admin_login_is_no_second_way_in_and_staff_are_rate_limited_too(client, rate_limited):
    get_user_model().objects.create_superuser("admin", "a@example.org", PASSWORD)
    url = reverse("admin:login")
    # The admin's login page sends to the site's: a password posted there signs nobody in.
    response = sign_in(client, "admin", PASSWORD, url=url + "?next=/admin/")
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next=%2Fadmin%2F"
    assert client.get(reverse("admin:index")).status_code == 302 and "_auth_user_id" not in client.session
    for _ in range(3):
        response = sign_in(client, "admin", "wrong")
    assert response.status_code == 429 and "Too many attempts to sign in" in response.content.decode()
    assert sign_in(client, "admin", PASSWORD).status_code == 429


def test_password_change(client):
    make_instructor()
    client.post(reverse("login"), {"username": "instructor", "password": PASSWORD})
    url = reverse("password_change")
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200 and "This password is too short" in short.content.decode()
    new = "another-long-phrase-77"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.url == reverse("password_change_done")
    client.post(reverse("logout"))
    assert sign_in(client, "instructor", new).status_code == 302


def test_password_reset_by_email(client, settings):
    make_instructor()
    response = client.post(reverse("password_reset"), {"email": "instructor@example.org"})
    assert response.url == reverse("password_reset_done")
    # Unknown addresses look the same to the visitor and send nothing.
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "reset-long-phrase-31"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.url == reverse("password_reset_complete")
    assert sign_in(client, "instructor", new).status_code == 302
    # The link works once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_email_is_configurable_from_the_environment(monkeypatch):
    import importlib

    from labourarchive.settings import base

    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "mail.example.org")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_USE_TLS", "1")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.EMAIL_BACKEND.endswith("smtp.EmailBackend")
        assert (reloaded.EMAIL_HOST, reloaded.EMAIL_PORT, reloaded.EMAIL_USE_TLS) == ("mail.example.org", 587, True)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


# --- create_instructor ------------------------------------------------------------------------------------------


def test_create_instructor_prints_a_set_password_link(client):
    out = io.StringIO()
    call_command("create_instructor", "ann", email="ann@example.org", site_url="http://127.0.0.1:8123", stdout=out)
    assert "http://127.0.0.1:8123/accounts/reset/" in out.getvalue()
    user = get_user_model().objects.get(username="ann")
    assert not user.has_usable_password()
    assert user.has_perm("teaching.add_readinglist") and user.groups.filter(name="Instructors").exists()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", out.getvalue()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    new = "chosen-long-phrase-55"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert sign_in(client, "ann", new).status_code == 302


def test_create_instructor_without_an_address_prints_the_path_and_says_so(settings):
    settings.SITE_URL = ""
    out = io.StringIO()
    call_command("create_instructor", "dee", email="dee@example.org", stdout=out)
    assert "SITE_URL is not set" in out.getvalue() and "\n/accounts/reset/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()


def test_create_instructor_reads_the_password_from_stdin_and_never_echoes_it(monkeypatch):
    secret = "stdin-long-phrase-19"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    out, err = io.StringIO(), io.StringIO()
    call_command("create_instructor", "bea", email="bea@example.org", password_stdin=True, stdout=out, stderr=err)
    assert secret not in out.getvalue() + err.getvalue() and "/accounts/reset/" not in out.getvalue()
    assert get_user_model().objects.get(username="bea").check_password(secret)


def test_create_instructor_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("INSTRUCTOR_PASSWORD", "env-long-phrase-23")
    call_command("create_instructor", "cai", email="cai@example.org", password_stdin=True, stdout=io.StringIO())
    assert get_user_model().objects.get(username="cai").check_password("env-long-phrase-23")


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["ann", "--email", "not-an-address"], "", "is not an email address"),
        (["existing", "--email", "x@example.org"], "", "exists already"),
        (["dan", "--email", "d@example.org", "--password-stdin"], "123\n", "The password was refused"),
        (["dan", "--email", "d@example.org", "--password-stdin"], "\n", "No password"),
        (["   ", "--email", "d@example.org"], "", "Give a username"),
    ],
)
def test_create_instructor_refuses_bad_input(monkeypatch, args, stdin, message):
    monkeypatch.delenv("INSTRUCTOR_PASSWORD", raising=False)
    get_user_model().objects.create_user("existing", "e@example.org", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=message):
        call_command("create_instructor", *args, stdout=io.StringIO())
    assert get_user_model().objects.count() == 1


def test_behind_a_proxy_attempts_are_counted_by_the_client_address(client, rate_limited):
    rate_limited.LOGIN_PROXY_COUNT = 1
    make_instructor()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        response = sign_in(client, "instructor", "wrong", **attacker)
    assert response.status_code == 429
    # A spoofed left-hand entry does not get the attacker out of the lockout…
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.1, 198.51.100.7"}
    assert sign_in(Client(), "instructor", PASSWORD, **spoofed).status_code == 429
    # …and the instructor, behind the same proxy from another address, can still sign in.
    teacher = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    assert sign_in(Client(), "instructor", PASSWORD, **teacher).status_code == 302
