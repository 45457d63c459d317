"""Forms of the account pages: a second-factor code, and a password-reset form that cannot be used to flood a
mailbox."""

import unicodedata

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.teaching import security


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the code your authenticator app shows now, or one of your recovery codes.")
        },
    )


class SetupCodeForm(CodeForm):
    """The new app's code; when it replaces one, also a code of the present app (or a recovery code), so that a
    session left open somewhere cannot be turned into someone else's authenticator."""

    def __init__(self, *args, replacing=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = (
            gettext("The six-digit code the new app shows")
            if replacing
            else gettext("The six-digit code the app shows")
        )
        field.widget.attrs["inputmode"] = "numeric"
        field.error_messages["required"] = gettext("Enter the six-digit code the app shows for this archive.")
        if replacing:
            self.fields = {"current_code": current_code_field(), **self.fields}


def current_code_field():
    return forms.CharField(
        label=_("A code from the app you use now, or one of your recovery codes"),
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter a code from the app you use now, or one of your recovery codes.")},
    )


class CurrentCodeForm(forms.Form):
    code = current_code_field()


def _address_key(email):
    # The same account answers to every spelling of its address that get_users() matches case-insensitively.
    return unicodedata.normalize("NFKC", email.strip()).casefold()


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Sends at most PASSWORD_RESET_LIMIT links per address and per account in a window; beyond that, nothing,
    while the page says exactly what it always says (it never tells whether an address has an account)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if security.password_reset_allowed("account", str(user.pk)):
                yield user

    def save(self, **kwargs):
        if security.password_reset_allowed("address", _address_key(self.cleaned_data["email"])):
            super().save(**kwargs)
