"""Signing in and out, sign-up, the profile, passwords, two-factor sign-in, data and deletion.

Included at /accounts/ without a namespace: Django's auth views and templates use these names.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import browser_sessions, two_factor, views
from accounts.forms import ChangePasswordForm, EmailAuthenticationForm, NewPasswordForm, ResetPasswordForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("email/<uidb64>/<token>/", views.email_change_confirm, name="email_change_confirm"),
    path("profile/", views.profile, name="profile"),
    path("2fa/", two_factor.verify, name="two_factor"),
    path("2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("2fa/setup/email/", two_factor.send_enrolment_link, name="two_factor_send_link"),
    path("2fa/enrol/<uidb64>/<token>/", two_factor.enrol, name="two_factor_enrol"),
    path("data/", views.data_download, name="data_download"),
    path("signed-in/", browser_sessions.signed_in_browsers, name="signed_in_browsers"),
    path("delete/", views.delete_account, name="delete_account"),
    # Django's password views with our forms, whose messages are in our words (issue #12 item 3).
    path("password_change/", views.PasswordChangeView.as_view(form_class=ChangePasswordForm), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(form_class=ResetPasswordForm), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
