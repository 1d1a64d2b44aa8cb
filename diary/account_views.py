"""Sign-up and the patient's profile (time zone, email, usual medicines, reported baseline)."""

import io
import json
import zipfile
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.ratelimit import by_address, rate_limited
from diary import csvio, email_links, roles, services
from diary.forms import MIDAS_QUESTIONS, MedicineForm, PlainErrorsMixin, ProfileForm, SignupForm, plain_error_messages
from diary.models import Attack, Medicine, MidasAnswer, PatientProfile, SideEffectReport, TreatmentSession
from diary.views import patient_required
from migraine_app import security


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
                    profile = services.profile_for(user)
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
        login(request, user, backend="diary.backends.DiaryModelBackend")
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
        form.save()
        services.diary_changed(request.user)
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
    context = {
        "form": form,
        "medicine_form": MedicineForm(patient=request.user),
        "medicines": list(request.user.medicines.all()),
    }
    return render(request, "registration/profile.html", context)


@patient_required
@require_POST
def medicine_add(request):
    form = MedicineForm(request.POST, patient=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # sent twice at once
            return redirect("profile")
        messages.success(request, f"{form.instance.name} added to your medicines.")
        return redirect("profile")
    context = {
        "form": ProfileForm(instance=request.profile, user=request.user),
        "medicine_form": form,
        "medicines": list(request.user.medicines.all()),
    }
    return render(request, "registration/profile.html", context, status=400)


@patient_required
@require_POST
def medicine_delete(request, pk):
    medicine = get_object_or_404(Medicine, pk=pk, patient=request.user)
    medicine.delete()
    messages.success(request, f"{medicine.name} removed from your list. Headaches you logged keep it.")
    return redirect("profile")


def _data_json(user, profile):
    from clinic.models import AccessLogEntry, ClinicianNote, Share

    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "format": "migraine-diary-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": iso(user.date_joined),
        },
        "profile": {
            "time_zone": profile.time_zone,
            "reported_baseline": float(profile.reported_baseline) if profile.reported_baseline is not None else None,
            "email_reminders": profile.email_reminders,
        },
        "usual_medicines": [{"name": m.name, "class": m.medicine_class} for m in user.medicines.all()],
        "headaches_still_going": [
            {"date": iso(a.start_date), "start_time": a.start_time.strftime("%H:%M"), "severity": a.severity}
            for a in Attack.objects.filter(patient=user, duration_minutes__isnull=True)
        ],
        "treatment_sessions": [
            {
                "date": iso(s.date),
                "units": s.units,
                "sites": s.sites,
                "given_by": s.given_by,
                "notes": s.notes,
                "temporalis_extra_units": s.temporalis_extra_units,
                "occipitalis_extra_units": s.occipitalis_extra_units,
                "trapezius_extra_units": s.trapezius_extra_units,
            }
            for s in TreatmentSession.objects.filter(patient=user).order_by("date")
        ],
        "side_effect_reports": [
            {
                "session_date": iso(r.session.date),
                "effect": r.effect,
                "severity": r.severity,
                "started_on": iso(r.started_on),
                "notes": r.notes,
            }
            for r in SideEffectReport.objects.filter(patient=user).select_related("session").order_by("started_on")
        ],
        "midas_answers": [
            {"answered_on": iso(a.answered_on), "score": a.score, **{name: getattr(a, name) for name in MIDAS_FIELDS}}
            for a in MidasAnswer.objects.filter(patient=user).order_by("answered_on")
        ],
        "sharing": [
            {"clinician": s.clinician.get_full_name() or s.clinician.email, "since": iso(s.created_at)}
            for s in Share.objects.filter(patient=user).select_related("clinician")
        ],
        "access_log": [
            {"clinician": e.clinician_name, "what": e.what, "at": iso(e.at)}
            for e in AccessLogEntry.objects.filter(patient=user)
        ],
        "notes_from_clinicians": [
            {"by": n.author_name, "at": iso(n.created_at), "text": n.text}
            for n in ClinicianNote.objects.filter(patient=user, visible_to_patient=True)
        ],
    }


MIDAS_FIELDS = list(MIDAS_QUESTIONS)


@patient_required
@rate_limited("data_download")
def data_download(request):
    """Everything the app holds on the patient: the diary CSV and a JSON of the rest, in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diary.csv", csvio.export_diary(request.user))
        archive.writestr("data.json", json.dumps(_data_json(request.user, request.profile), indent=2))
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
        services.delete_patient(request.user)
        logout(request)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("home")
    if form.has_error("password", "wrong_password"):
        security.count_wrong_current_password(request)  # the pause page once there are too many
    return render(request, "registration/delete_account.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the current password guessed no more often than at sign-in (migraine_app.security)."""

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
