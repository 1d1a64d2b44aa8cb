"""Two-factor sign-in (TOTP, with recovery codes) for clinicians and staff, on django-otp."""

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import email_links
from core.forms import PlainErrorsMixin

RECOVERY_CODES = 10
ENROLMENT_SESSION_KEY = "_2fa_enrolment_for"


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """A one-time link for adding the first authenticator app, sent to the account's email.

    Like a password-reset token (valid for PASSWORD_RESET_TIMEOUT), and spent once the account has
    a confirmed device or a new password: a stolen password alone can no longer enrol a device.
    """

    key_salt = "accounts.two_factor.EnrolmentTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).count()
        return f"{user.pk}{user.password}{timestamp}{enrolled}"


enrolment_tokens = EnrolmentTokenGenerator()


def enrolment_link(user):
    """The absolute set-up link for `user`, built from SITE_URL (never from the request's host)."""
    path = reverse(
        "two_factor_enrol",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": enrolment_tokens.make_token(user)},
    )
    return settings.SITE_URL.rstrip("/") + path


class TokenForm(PlainErrorsMixin, forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": "Give the 6-digit code your authenticator app shows now.",
            "max_length": "That is too long for a code: give the 6 digits your app shows now, or a recovery code.",
        },
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/start/"


@login_required
def verify(request):
    if not any(True for _ in devices_for_user(request.user)):
        return redirect(f"/accounts/2fa/setup/?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()  # a session key planted before this step is no longer verified
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", "That code did not work. Check the time on your phone and try the newest code.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


def _qr_data_uri(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@login_required
def setup(request):
    """Add an authenticator app. Only while the user has none, so a stolen password cannot add one."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two_factor")
    if request.session.get(ENROLMENT_SESSION_KEY) != request.user.pk:
        context = {"next": _next(request), "sent": request.GET.get("sent") == "1"}
        return render(request, "registration/two_factor_enrol.html", context)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(request.user)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            request.session.cycle_key()
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", "That code did not work. Check the time on your phone and try the newest code.")
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "next": _next(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_POST
def send_enrolment_link(request):
    """Email the signed-in user a one-time link to add their first authenticator app."""
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists() and user.email:
        body = render_to_string("registration/two_factor_enrol_email.txt", {"link": enrolment_link(user)})
        send_mail("Set up two-factor sign-in", body, None, [user.email])
    return redirect(f"{reverse('two_factor_setup')}?sent=1&next={_next(request)}")


@login_required
def enrol(request, uidb64, token):
    """The emailed link: lets this signed-in browser add the account's first device."""
    if email_links.user_pk_from(uidb64) != request.user.pk or not enrolment_tokens.check_token(request.user, token):
        # 200, as Django's password-reset view does: a 4xx would write the path, token and all, to the log.
        return render(request, "registration/link_invalid.html", {"retry_url": reverse("two_factor_setup")})
    request.session[ENROLMENT_SESSION_KEY] = request.user.pk
    return redirect("two_factor_setup")


def _new_recovery_codes(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
