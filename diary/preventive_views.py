"""The patient's other preventive treatments: list, add, change, stop and delete a course.

The form pages are drawn by the functions below for the patient and, with the patient and the
addresses of the clinic, for a clinician the patient shares with (clinic.preventive_views).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.profiles import patient_required
from diary import pages, presentation, preventive_presentation, preventives
from diary.models import PreventiveCourse
from diary.preventive_forms import PreventiveCourseForm, StopCourseForm, suggestion_names


def get_course(patient, pk):
    """The patient's course, or 404 (another patient's id included)."""
    return get_object_or_404(PreventiveCourse, pk=pk, patient=patient)


def course_form_page(request, *, patient, today, course=None, done_url, cancel_url, recorded_by=None, extra=None):
    """Add (course None) or change a course; a refused form is drawn again with every value kept."""
    form = PreventiveCourseForm(request.POST or None, instance=course, patient=patient, today=today)
    if request.method == "POST" and form.is_valid():
        saved = preventives.save_course(form.save(commit=False), recorded_by=recorded_by)
        messages.success(request, f"{saved.name} saved.")
        return redirect(done_url)
    context = {
        "form": form,
        "course": course,
        "suggestions": suggestion_names(),
        "cancel_url": cancel_url,
        **(extra or {}),
    }
    return render(request, "diary/preventive_form.html", context)


def stop_page(request, *, course, today, done_url, cancel_url, extra=None):
    form = StopCourseForm(request.POST or None, course=course, today=today)
    if request.method == "POST" and form.is_valid():
        preventives.stop_course(course, form.cleaned_data["stop"], form.cleaned_data["stop_reason"])
        day = presentation.long_date(course.stop)
        messages.success(request, f"{course.name}: stopped on {day}.")
        return redirect(done_url)
    context = {"form": form, "course": course, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "diary/preventive_stop.html", context)


def delete_page(request, *, course, done_url, cancel_url, stop_url, extra=None):
    if request.method == "POST":
        preventives.delete_course(course)
        messages.success(request, f"{course.name} deleted.")
        return redirect(done_url)
    context = {
        "course": course,
        "dates": preventive_presentation.course_dates(course),
        "cancel_url": cancel_url,
        "stop_url": stop_url,
        **(extra or {}),
    }
    return render(request, "diary/preventive_confirm_delete.html", context)


# ---------------------------------------------------------------- the patient's pages


@patient_required
@pages.patient_page
def preventive_list(request):
    courses = list(PreventiveCourse.objects.filter(patient=request.user))
    context = {"rows": preventive_presentation.course_rows(courses)}
    return render(request, "diary/preventives.html", context)


@patient_required
def preventive_new(request):
    done = reverse("diary:preventives")
    return course_form_page(request, patient=request.user, today=request.today, done_url=done, cancel_url=done)


@patient_required
def preventive_edit(request, pk):
    course = get_course(request.user, pk)
    done = reverse("diary:preventives")
    return course_form_page(
        request, patient=request.user, today=request.today, course=course, done_url=done, cancel_url=done
    )


@patient_required
def preventive_stop(request, pk):
    course = get_course(request.user, pk)
    done = reverse("diary:preventives")
    return stop_page(request, course=course, today=request.today, done_url=done, cancel_url=done)


@patient_required
def preventive_delete(request, pk):
    course = get_course(request.user, pk)
    done = reverse("diary:preventives")
    stop = reverse("diary:preventive_stop", args=[course.pk])
    return delete_page(request, course=course, done_url=done, cancel_url=done, stop_url=stop)
