from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from diary import account_views, theme
from diary.forms import ChangePasswordForm, EmailAuthenticationForm, NewPasswordForm, ResetPasswordForm
from migraine_app import browser_sessions, two_factor, views

admin.site.site_header = "Migraine diary administration"
admin.site.site_title = "Migraine diary admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("start/", views.start, name="start"),
    path("theme/", theme.switch, name="theme"),
    path("learn/", include("education.urls")),
    path("diary/", include("diary.urls")),
    path("clinic/", include("clinic.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/signup/sent/", account_views.signup_sent, name="signup_sent"),
    path("accounts/confirm/<uidb64>/<token>/", account_views.signup_confirm, name="signup_confirm"),
    path("accounts/email/<uidb64>/<token>/", account_views.email_change_confirm, name="email_change_confirm"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/profile/medicines/", account_views.medicine_add, name="medicine_add"),
    path("accounts/profile/medicines/<int:pk>/delete/", account_views.medicine_delete, name="medicine_delete"),
    path("accounts/2fa/", two_factor.verify, name="two_factor"),
    path("accounts/2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/2fa/setup/email/", two_factor.send_enrolment_link, name="two_factor_send_link"),
    path("accounts/2fa/enrol/<uidb64>/<token>/", two_factor.enrol, name="two_factor_enrol"),
    path("accounts/data/", account_views.data_download, name="data_download"),
    path("accounts/signed-in/", browser_sessions.signed_in_browsers, name="signed_in_browsers"),
    path("accounts/delete/", account_views.delete_account, name="delete_account"),
    # Django's password views with our forms, whose messages are in our words (issue #12 item 3).
    path(
        "accounts/password_change/",
        account_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(form_class=ResetPasswordForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
