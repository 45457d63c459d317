"""Sign-in with a second factor, the account page, and the password reset with its limits.

One way in for everybody, the admin's login included: the password here, then (for staff, and instructors who
turned it on) a code from an authenticator app or a recovery code on the next page.
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from cases.teaching import two_factor
from cases.teaching.account_forms import CodeForm, CurrentCodeForm, RateLimitedPasswordResetForm, SetupCodeForm
from cases.teaching.sessions import limits
from cases.teaching.views import PERMISSION

# Pages that only make sense before signing in: never a destination after it (`next` pointing at one would loop).
SIGNED_OUT_PAGES = ("login", "two_factor_verify", "two_factor_setup", "admin_login")


def destination(user):
    """Where a signed-in account goes by default: the admin for staff, the reading lists for instructors."""
    if user.is_staff:
        return reverse("admin:index")
    if user.has_perm(PERMISSION):
        return reverse("teaching:list_index")
    return reverse("account")


def next_url(request):
    """The `next` asked for, if it is on this site and not a page for signing in; else ''."""
    url = request.POST.get("next", request.GET.get("next", ""))
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return ""
    if urlsplit(url).path in {reverse(name) for name in SIGNED_OUT_PAGES}:
        return ""
    return url


def with_next(name, url):
    return reverse(name) + (f"?{urlencode({'next': url})}" if url else "")


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_redirect_url(self):
        return next_url(self.request)

    def get_default_redirect_url(self):
        return destination(self.request.user)

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)
        if two_factor.is_required(user):
            # Signed in, but anonymous to every page until the second factor is given (SecondFactorMiddleware).
            page = "two_factor_verify" if two_factor.is_enrolled(user) else "two_factor_setup"
            return HttpResponseRedirect(with_next(page, self.get_redirect_url()))
        return HttpResponseRedirect(self.get_success_url())


def admin_login(request):
    """The admin's own login page is not a second way in: it sends to the site's sign-in."""
    return redirect(with_next("login", request.GET.get("next") or reverse("admin:index")))


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = two_factor.pending_user(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect(next_url(request) or destination(request.user))
        return redirect("login")
    if not two_factor.is_enrolled(user):
        return redirect(with_next("two_factor_setup", next_url(request)))
    form = CodeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200  # a post that gets this far failed
    if request.method == "POST" and form.is_valid():
        wait = two_factor.wait_seconds(user)
        device = None if wait else two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.mark_verified(request, user, device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    gettext(
                        "You signed in with a recovery code; it cannot be used again. %(left)s left: make new ones "
                        "on your account page, and set up your authenticator app again if it is lost."
                    )
                    % {"left": left},
                )
            return redirect(next_url(request) or destination(user))
        status = 429 if wait else 400
        form.add_error(
            "code",
            gettext("Too many wrong codes: wait %(wait)s seconds, then enter the code the app shows then.")
            % {"wait": wait}
            if wait
            else gettext(
                "That code is not right. Enter the code the app shows now (they change every 30 seconds), "
                "or one of your recovery codes."
            ),
        )
    context = {"form": form, "next": next_url(request), "username": user.get_username()}
    return render(request, "registration/two_factor_verify.html", context, status=status)


@sensitive_post_parameters("code", "current_code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    pending = two_factor.pending_user(request)
    user = pending or (request.user if request.user.is_authenticated else None)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if pending is not None and two_factor.is_enrolled(pending):
        # Replacing an authenticator takes the current one (or a recovery code) first: a password is not enough.
        return redirect(with_next("two_factor_verify", next_url(request)))
    key = two_factor.setup_key(request)
    replacing = two_factor.is_enrolled(user)
    form = SetupCodeForm(request.POST or None, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        device = two_factor.new_authenticator(user, key, form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                gettext(
                    "That code is not right. Enter the code the app shows now for this archive; if it still fails, "
                    "check that the phone's clock is set automatically."
                ),
            )
        elif not replacing or _current_code_accepted(user, form, "current_code"):
            two_factor.install(device)
            codes = two_factor.new_recovery_codes(user)
            two_factor.mark_verified(request, user, device)
            request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
            return redirect(with_next("two_factor_recovery_codes", next_url(request)))
    status = 400 if request.method == "POST" else 200  # a post that gets this far failed
    context = {
        "form": form,
        "next": next_url(request),
        "required": pending is not None,
        "replacing": replacing,
        # segno writes only a path: the address (with the username) is in the modules drawn, never in the markup.
        "qr_svg": mark_safe(two_factor.qr_svg(two_factor.config_url(user, key))),
        "secret": two_factor.secret_text(key),
    }
    return private(render(request, "registration/two_factor_setup.html", context, status=status))


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """New recovery codes, shown once right after they are made. POST makes a new set (the old ones stop working)
    and takes a current code: an open session alone cannot mint codes for someone else."""
    if not two_factor.is_enrolled(request.user):
        return redirect("two_factor_setup")
    form = CurrentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _current_code_accepted(request.user, form, "code"):
        request.session[two_factor.NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(request.user)
        return redirect("two_factor_recovery_codes")
    codes = None if request.method == "POST" else request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "form": None if codes else form,
        "left": two_factor.recovery_codes_left(request.user),
        "continue_url": next_url(request) or destination(request.user),
    }
    status = 400 if form.errors else 200
    return private(render(request, "registration/two_factor_recovery_codes.html", context, status=status))


def _current_code_accepted(user, form, field):
    """Check a code of the account's present devices (throttled as at sign-in); on failure say so on `field`."""
    wait = two_factor.wait_seconds(user)
    if not wait and two_factor.verify(user, form.cleaned_data[field]) is not None:
        return True
    form.add_error(
        field,
        gettext("Too many wrong codes: wait %(wait)s seconds and try again.") % {"wait": wait}
        if wait
        else gettext("That is not a code your present app shows now, nor an unused recovery code."),
    )
    return False


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def two_factor_disable(request):
    """Instructors may turn the second factor off again, with a current code; staff may not."""
    if request.user.is_staff or request.user.is_superuser:
        raise PermissionDenied(gettext("Staff accounts keep their second factor."))
    form = CurrentCodeForm(request.POST)
    if form.is_valid() and _current_code_accepted(request.user, form, "code"):
        two_factor.turn_off(request.user)
        messages.success(
            request, gettext("Two-factor authentication is off. Signing in now takes only your password.")
        )
        return redirect("account")
    return _account_page(request, disable_form=form, status=400)


@never_cache
@login_required
@require_GET
def account(request):
    return _account_page(request)


def _duration(seconds):
    units = (
        (86400, lambda n: ngettext("%(count)d day", "%(count)d days", n)),
        (3600, lambda n: ngettext("%(count)d hour", "%(count)d hours", n)),
        (60, lambda n: ngettext("%(count)d minute", "%(count)d minutes", n)),
    )
    for size, words in units:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return words(count) % {"count": count}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def _account_page(request, disable_form=None, status=200):
    user = request.user
    idle, total = limits(user)
    context = {
        "enrolled": two_factor.is_enrolled(user),
        "staff": user.is_staff or user.is_superuser,
        "is_instructor": user.has_perm(PERMISSION),
        "codes_left": two_factor.recovery_codes_left(user),
        "disable_form": disable_form or CurrentCodeForm(),
        "idle": _duration(idle),
        "total": _duration(total),
    }
    return private(render(request, "registration/account.html", context, status=status))


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = RateLimitedPasswordResetForm
