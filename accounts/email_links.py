"""Links sent by email that prove a person holds an address: confirming a new account, and
changing an account's address. Every link is built from SITE_URL, never from the request's host.

Sign-up answers the same whether the address has an account or not (having an account here
discloses a health condition): a new address gets a confirmation link, a known one a note that
it already has an account. The same holds for changing the address in the profile.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


def user_pk_from(uidb64):
    """The account id in an emailed link's first part, or None if it is not one."""
    try:
        return int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _send(to, subject, template, context):
    send_mail(subject, render_to_string(template, context), None, [to])


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset token (valid for PASSWORD_RESET_TIMEOUT); spent once the account is confirmed."""

    key_salt = "accounts.email_links.ConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed = user.patient_profile.email_confirmed
        return f"{user.pk}{user.password}{user.email}{confirmed}{timestamp}"


confirmation_tokens = ConfirmationTokenGenerator()


def confirmation_link(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("signup_confirm", kwargs={"uidb64": uidb64, "token": confirmation_tokens.make_token(user)}))


def user_for_confirmation(uidb64, token):
    """The unconfirmed account a confirmation link is for, or None if the link does not work."""
    pk = user_pk_from(uidb64)
    user = get_user_model().objects.select_related("patient_profile").filter(pk=pk).first()
    if user is None or not hasattr(user, "patient_profile") or user.patient_profile.email_confirmed:
        return None
    return user if confirmation_tokens.check_token(user, token) else None


def send_signup_email(email, user=None):
    """After a sign-up: a confirmation link for a new (or still unconfirmed) account, else a note."""
    if user is not None and not user.patient_profile.email_confirmed:
        _send(email, "Confirm your email address", "registration/email/confirm.txt", {"link": confirmation_link(user)})
    else:
        context = {"sign_in": absolute(reverse("login")), "reset": absolute(reverse("password_reset"))}
        _send(email, "You already have an account", "registration/email/already_registered.txt", context)


class EmailChangeTokenGenerator(PasswordResetTokenGenerator):
    """For the link sent to a new address: spent once the address changes or another change is asked."""

    key_salt = "accounts.email_links.EmailChangeTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email}{user.patient_profile.pending_email}{timestamp}"


email_change_tokens = EmailChangeTokenGenerator()


def email_change_link(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_change_tokens.make_token(user)
    return absolute(reverse("email_change_confirm", kwargs={"uidb64": uidb64, "token": token}))


def pending_email_for(user, uidb64, token):
    """The new address a change link confirms for the signed-in `user`, or None if it does not work."""
    pending = user.patient_profile.pending_email
    if user_pk_from(uidb64) != user.pk or not pending or not email_change_tokens.check_token(user, token):
        return None
    return pending


def send_email_change(user, new_email):  # after profile.pending_email = new_email is saved
    """A change of address asked for in the profile: tell the old address, ask the new one to confirm.

    If the new address belongs to another account, it is told so instead of getting a link (and
    the person changing gets the same answer either way).
    """
    _send(user.email, "Your email address is being changed", "registration/email/change_notice.txt", {"new": new_email})
    taken = get_user_model().objects.filter(username__iexact=new_email).exclude(pk=user.pk).exists()
    if taken:
        context = {"sign_in": absolute(reverse("login")), "reset": absolute(reverse("password_reset"))}
        _send(new_email, "You already have an account", "registration/email/already_registered.txt", context)
    else:
        link = email_change_link(user)
        _send(new_email, "Confirm your new email address", "registration/email/change_confirm.txt", {"link": link})
