"""Sign in (password, then a second factor where one is needed), sign out, the account page, password change and
reset: Django's views where they fit, with the archive's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from cases.teaching import account_views

urlpatterns = [
    path("", account_views.account, name="account"),
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", account_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", account_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", account_views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", account_views.two_factor_disable, name="two_factor_disable"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", account_views.RateLimitedPasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
