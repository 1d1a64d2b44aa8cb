"""Sign-up, the profile, passwords, the data download and deleting an account.

The data download gathers each app's part: an app whose AppConfig names a `personal_data`
function (dotted path) adds its files and JSON (diary: the diary CSV; clinic: sharing and the
access log), so accounts needs to know no app above it.
"""

import io
import json
import zipfile
from urllib.parse import urlsplit

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import email_links, profiles, roles, security
from accounts.forms import ProfileForm, SignupForm
from accounts.models import PatientProfile
from accounts.profiles import patient_required
from accounts.sessions import UserSession, end_sessions
from core.forms import PlainErrorsMixin, plain_error_messages
from core.ratelimit import by_address, rate_limited


@rate_limited("signup", key=by_address, methods=("POST",))
def signup(request):
    if request.user.is_authenticated:
        return redirect("diary:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = get_user_model().objects.filter(username__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = form.save()
                    profile = profiles.profile_for(user)
                    profile.time_zone = form.cleaned_data["time_zone"]
                    profile.email_confirmed = False
                    profile.save(update_fields=["time_zone", "email_confirmed"])
            except IntegrityError:  # the same address signed up twice at once
                user = get_user_model().objects.filter(username__iexact=email).first()
        else:
            make_password(form.cleaned_data["password1"])  # the same work as a new account: no timing tell
        unconfirmed = user is not None and PatientProfile.objects.filter(user=user, email_confirmed=False).exists()
        email_links.send_signup_email(email, user if unconfirmed else None)
        return redirect("signup_sent")
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request):
    """The one answer to every sign-up, whether the address had an account or not."""
    return render(request, "registration/signup_sent.html")


def signup_confirm(request, uidb64, token):
    """The link emailed at sign-up: a button (so that a mail scanner opening links confirms nothing)."""
    user = email_links.user_for_confirmation(uidb64, token)
    if user is None:
        return render(request, "registration/link_invalid.html")
    if request.method == "POST":
        PatientProfile.objects.filter(user=user).update(email_confirmed=True)
        login(request, user, backend="accounts.backends.AccountBackend")
        messages.success(request, "Welcome. Your diary is ready: log a headache, or tap \u201cNo headache today\u201d.")
        return redirect("diary:home")
    return render(request, "registration/signup_confirm.html")


@patient_required
def email_change_confirm(request, uidb64, token):
    """The link sent to a new address from the profile; the change is made by the button."""
    new_email = email_links.pending_email_for(request.user, uidb64, token)
    if new_email is None:
        return render(request, "registration/link_invalid.html")
    if request.method == "POST":
        with transaction.atomic():
            taken = get_user_model().objects.filter(username__iexact=new_email).exclude(pk=request.user.pk).exists()
            PatientProfile.objects.filter(user=request.user).update(pending_email="")
            if taken:  # another account took it since the link was sent
                messages.error(request, "Your email address was not changed: ask for the change again.")
                return redirect("profile")
            request.user.email = request.user.username = new_email
            request.user.save(update_fields=["email", "username"])
            profiles.raise_clinic_version()  # clinicians' worklists show the address
        messages.success(request, f"Your email address is now {new_email}.")
        return redirect("profile")
    return render(request, "registration/email_change_confirm.html", {"new_email": new_email})


@login_required
def profile(request):
    if not roles.is_patient(request.user):
        return render(request, "registration/profile_staff.html")
    return _patient_profile(request)


@patient_required
def _patient_profile(request):
    form = ProfileForm(request.POST or None, instance=request.profile, user=request.user)
    plain_error_messages(form)  # the profile's messages in our words, made from its labels
    if request.method == "POST" and security.current_password_paused(request):
        return security.lockout_response(request)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            profiles.raise_version(request.user.pk)  # the time zone and baseline change the figures
        if form.email_changed:
            email_links.send_email_change(request.user, form.cleaned_data["email"])
            messages.success(
                request,
                f"Your details are saved. To change your email address, open the link we have sent to "
                f"{form.cleaned_data['email']}: until then you sign in with {request.user.email}.",
            )
        else:
            messages.success(request, "Your details are saved.")
        return redirect("profile")
    if form.has_error("current_password", "wrong_password"):
        security.count_wrong_current_password(request)  # the pause page once there are too many
    return render(request, "registration/profile.html", {"form": form})


def _account_json(user, profile):
    return {
        "format": "migraine-diary-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat() if user.date_joined else None,
        },
        "profile": {
            "time_zone": profile.time_zone,
            "reported_baseline": float(profile.reported_baseline) if profile.reported_baseline is not None else None,
            "email_reminders": profile.email_reminders,
        },
    }


def personal_data(user, profile):
    """(files, JSON) of everything held on the user: the account's, then each app's part in
    INSTALLED_APPS order (see the module's docstring)."""
    files, data = {}, _account_json(user, profile)
    for config in apps.get_app_configs():
        path = getattr(config, "personal_data", None)
        if path:
            part = import_string(path)(user)
            files.update(part.get("files", {}))
            data.update(part.get("json", {}))
    return files, data


@patient_required
@rate_limited("data_download")
def data_download(request):
    """Everything the app holds on the patient: the diary CSV and a JSON of the rest, in one zip."""
    buffer = io.BytesIO()
    files, data = personal_data(request.user, request.profile)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("data.json", json.dumps(data, indent=2))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-migraine-diary-{request.today.isoformat()}.zip"'
    response["Cache-Control"] = "no-store"
    return response


class DeleteAccountForm(PlainErrorsMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Give your password to confirm it is you."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return ""


@patient_required
def delete_account(request):
    if request.method == "POST" and security.current_password_paused(request):
        return security.lockout_response(request)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account_and_records(request.user)
        logout(request)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("home")
    if form.has_error("password", "wrong_password"):
        security.count_wrong_current_password(request)  # the pause page once there are too many
    return render(request, "registration/delete_account.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the current password guessed no more often than at sign-in (accounts.security)."""

    def post(self, request, *args, **kwargs):
        if security.current_password_paused(request):
            return security.lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            security.count_wrong_current_password(self.request)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the emailed link built from SITE_URL, never from the Host the request came with."""

    @property
    def extra_email_context(self):
        site = urlsplit(settings.SITE_URL)
        return {"protocol": site.scheme, "domain": site.netloc, "site_name": site.netloc}


@transaction.atomic
def delete_account_and_records(user):
    """Delete an account and every row about it: its sign-in records, its sessions (rows and
    cached copies) and, by foreign keys that cascade, everything every app holds on it."""
    from_cache = list(UserSession.objects.filter(user=user).values_list("pk", flat=True))
    username = user.get_username()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()
    user.delete()
    profiles.raise_clinic_version()  # gone from every clinician's worklist
    transaction.on_commit(lambda: end_sessions(from_cache))


@login_required
def start(request):
    """Where signing in leads: each role to its own first page."""
    if roles.is_clinician(request.user):
        return redirect("clinic:worklist")
    if roles.is_editor(request.user):
        return redirect("admin:index")
    return redirect("diary:home")
