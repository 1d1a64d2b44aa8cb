"""Sign-up and the patient's profile (time zone, email, usual medicines, reported baseline)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diary import roles, services
from diary.forms import MedicineForm, ProfileForm, SignupForm
from diary.models import Medicine
from diary.views import patient_required


def signup(request):
    if request.user.is_authenticated:
        return redirect("diary:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            profile = services.profile_for(user)
            profile.time_zone = form.cleaned_data["time_zone"]
            profile.save(update_fields=["time_zone"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Your diary is ready: log a headache, or tap \u201cNo headache today\u201d.")
        return redirect("diary:home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request):
    if not roles.is_patient(request.user):
        return render(request, "registration/profile_staff.html")
    return _patient_profile(request)


@patient_required
def _patient_profile(request):
    form = ProfileForm(request.POST or None, instance=request.profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.diary_changed(request.user)
        messages.success(request, "Your details are saved.")
        return redirect("profile")
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
        form.save()
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
