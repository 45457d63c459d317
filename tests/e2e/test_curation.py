"""A curator in a real browser: the password, then setting up an authenticator app from the page (the key it
shows is what the test's "phone" reads), the recovery codes, a draft's preview, and signing in again with a code."""

import base64
import time

import pytest

from tests.e2e.conftest import assert_valid_documents, check_current_page

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def curator(transactional_db):
    import io

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from cases.curation import roles

    call_command("setup_roles", stdout=io.StringIO())
    user = User.objects.create_user("curator", "curator@example.org", PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name=roles.CURATORS))
    return user


def check(page, name, axe_violations, shoot):
    check_current_page(page, f"curation-{name}", axe_violations, shoot)


def phone_code(secret, step):
    """What an authenticator app shows in the 30-second `step` for the key typed in from the page."""
    from tests.accounts_helpers import code_in_step

    return code_in_step(base64.b32decode(secret.replace(" ", "")), step)


def test_a_curator_sets_up_an_authenticator_and_signs_in_with_it(
    archive, curator, live_server, page, axe_violations, shoot
):
    from tests.factories import InterventionFactory

    draft = InterventionFactory(status="draft", title="Quokka workers' draft campaign")
    preview = f"{live_server.url}{draft.get_absolute_url()}preview/"
    documents = {}

    # The admin sends to the one sign-in page; the password alone leads to setting up a second factor.
    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/accounts/login/?next=*")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.get_by_role("heading", name="Set up two-factor authentication").is_visible()
    assert page.locator("svg.two-factor__qr").is_visible()
    documents["setup"] = page.content()  # before axe's script is added to the page
    check(page, "two-factor-setup", axe_violations, shoot)

    # Until the code is given, the session is nobody's: no admin, no preview.
    other = page.context.new_page()
    other.goto(live_server.url + "/admin/")
    assert "/accounts/login/" in other.url
    assert other.goto(preview).status == 404
    other.close()

    # A wrong code is refused; the one the "phone" computes from the key on the page turns it on.
    secret = page.locator("#two-factor-secret").inner_text()
    setup_step = int(time.time()) // 30
    page.get_by_label("The six-digit code the app shows").fill("000000")
    page.get_by_role("button", name="Confirm and turn on").click()
    assert page.get_by_text("That code is not right").is_visible()
    page.get_by_label("The six-digit code the app shows").fill(phone_code(secret, setup_step))
    page.get_by_role("button", name="Confirm and turn on").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    codes = [code.strip() for code in page.locator(".two-factor__codes code").all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10
    documents["recovery-codes"] = page.content()  # before axe's script is added to the page
    check(page, "recovery-codes", axe_violations, shoot)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Cases", exact=True).first.is_visible()

    # Now staff: the draft's preview opens.
    page.goto(preview)
    assert page.get_by_text("Preview — not published").first.is_visible()
    assert page.get_by_role("heading", name=draft.title).is_visible()
    page.goto(live_server.url + "/accounts/")
    assert page.get_by_text("unused recovery codes").is_visible()
    documents["account"] = page.content()  # before axe's script is added to the page
    check(page, "account", axe_violations, shoot)

    # Sign out; signing in again takes the password and then a code from the app.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/")
    documents["verify"] = page.content()  # before axe's script is added to the page
    check(page, "two-factor-verify", axe_violations, shoot)
    # The code used to set the app up is spent: the app's next one is asked for.
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(phone_code(secret, setup_step + 1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    assert page.goto(preview).status == 200

    assert_valid_documents(documents)
