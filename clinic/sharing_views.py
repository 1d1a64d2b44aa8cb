"""The patient's side of sharing: who sees my diary, stop sharing, and who looked."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.profiles import patient_required
from clinic import services as clinic_services
from clinic.models import AccessLogEntry, ClinicianNote, Share
from core.forms import PlainErrorsMixin

LOG_ROWS = 100


class ShareCodeForm(PlainErrorsMixin, forms.Form):
    code = forms.CharField(
        label="Your clinician's share code",
        max_length=20,
        help_text="Nine letters and numbers, such as K7M-Q2P-9XD. Your clinician or clinic gives it to you.",
        error_messages={
            "required": "Give your clinician's share code, such as K7M-Q2P-9XD.",
            "max_length": "A share code is nine letters and numbers, such as K7M-Q2P-9XD: check it.",
        },
    )


@patient_required
def sharing(request):
    form = ShareCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clinician = clinic_services.share_with(request.user, form.cleaned_data["code"])
        except clinic_services.ShareRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, f"Your diary is now shared with {clinic_services.display_name(clinician)}.")
            return redirect("sharing:page")
    shares = list(Share.objects.filter(patient=request.user).select_related("clinician"))
    context = {
        "form": form,
        "shares": [(share, clinic_services.display_name(share.clinician)) for share in shares],
        "log": list(AccessLogEntry.objects.filter(patient=request.user)[:LOG_ROWS]),
        "notes": list(ClinicianNote.objects.filter(patient=request.user, visible_to_patient=True)),
    }
    return render(request, "diary/sharing.html", context)


@patient_required
@require_POST
def stop_sharing(request, pk):
    share = get_object_or_404(Share.objects.select_related("clinician"), pk=pk, patient=request.user)
    name = clinic_services.display_name(share.clinician)
    clinic_services.stop_sharing(share)
    messages.success(request, f"You no longer share your diary with {name}. Their access ended now.")
    return redirect("sharing:page")
