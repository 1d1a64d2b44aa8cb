"""A clinician's pages for a shared patient's other preventive treatments and a MIDAS answered
with the clinician (on paper, or read out): 404 for anyone the patient does not share with, as
every clinic URL. Forms are not access-logged (what they change is in the diary itself)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.profiles import patient_today
from clinic import services as clinic_services
from clinic.views import shared_patient_required
from core import timeutil
from diary import preventive_views, services
from diary.forms import MidasForm


def _page(request):
    """Today (the patient's), where the forms go back to, and what their pages show."""
    back = reverse("clinic:patient", args=[request.patient.pk]) + "#preventives"
    extra = {"patient": request.patient, "patient_name": clinic_services.display_name(request.patient)}
    return patient_today(request.profile, request.now), back, extra


@shared_patient_required
def preventive_new(request):
    today, back, extra = _page(request)
    return preventive_views.course_form_page(
        request,
        patient=request.patient,
        today=today,
        done_url=back,
        cancel_url=back,
        recorded_by=request.user,
        extra=extra,
    )


@shared_patient_required
def preventive_edit(request, course):
    today, back, extra = _page(request)
    row = preventive_views.get_course(request.patient, course)
    return preventive_views.course_form_page(
        request, patient=request.patient, today=today, course=row, done_url=back, cancel_url=back, extra=extra
    )


@shared_patient_required
def preventive_stop(request, course):
    today, back, extra = _page(request)
    row = preventive_views.get_course(request.patient, course)
    return preventive_views.stop_page(request, course=row, today=today, done_url=back, cancel_url=back, extra=extra)


@shared_patient_required
def preventive_delete(request, course):
    _, back, extra = _page(request)
    row = preventive_views.get_course(request.patient, course)
    stop = reverse("clinic:preventive_stop", args=[request.patient.pk, row.pk])
    return preventive_views.delete_page(request, course=row, done_url=back, cancel_url=back, stop_url=stop, extra=extra)


class ClinicMidasForm(MidasForm):
    """MIDAS answered with a clinician: the patient's answers and the day they gave them. One
    answered before the first session (within 92 days of it) is the baseline MIDAS."""

    answered_on = forms.DateField(
        label="Answered on",
        help_text="The day the patient gave these answers.",
        error_messages={
            "required": "Give the day the patient answered.",
            "invalid": "Give the day the patient answered as day, month and year.",
        },
    )

    class Meta(MidasForm.Meta):
        fields = ["answered_on", *MidasForm.Meta.fields]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, today=today, **kwargs)
        self.fields["answered_on"].widget = forms.DateInput(
            attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"
        )
        self.fields["answered_on"].initial = today

    def clean_answered_on(self):
        date = self.cleaned_data["answered_on"]
        if date < timeutil.MIN_DATE:
            raise ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early")
        if date > self.today:
            raise ValidationError("That is after the patient's today: give the day they answered.", code="future")
        return date


@shared_patient_required
def midas_new(request):
    today, _, extra = _page(request)
    form = ClinicMidasForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        answer = form.save(commit=False)
        answer.patient = request.patient
        services.save_midas(answer)
        messages.success(
            request, f"MIDAS of {answer.answered_on.day} {answer.answered_on:%B %Y} saved: score {answer.score}."
        )
        return redirect("clinic:patient", pk=request.patient.pk)
    return render(request, "clinic/midas_form.html", {"form": form, **extra})
