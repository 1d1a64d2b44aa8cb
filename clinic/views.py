"""The clinician's worklist and the diaries patients share with them."""

import datetime as dt
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import roles, security
from accounts.forms import ReportedBaselineForm
from accounts.profiles import patient_today
from clinic import pages
from clinic import services as clinic_services
from clinic.models import AccessLogEntry, ClinicianNote, Share
from core.forms import PlainErrorsMixin
from core.ratelimit import rate_limited
from diary import csvio, cycles, presentation, progress_cache, services, summaries
from diary.forms import ClinicSessionForm
from diary.models import TreatmentSession
from diary.progress_views import progress_context

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100


def clinician_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_clinician(request.user):
            raise PermissionDenied("Only clinicians have a worklist.")
        request.now = timezone.now()
        return view(request, *args, **kwargs)

    return wrapper


def shared_patient_required(view):
    """A clinician the patient shares with: one query for the share, the patient and their profile."""

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        # The role comes with the user (accounts.backends); a stranger, a patient and a stopped
        # share all get the same 404.
        if not roles.is_clinician(request.user):
            raise Http404("No such patient")
        patient = clinic_services.shared_patient(request.user, pk)
        if patient is None:
            raise Http404("No such patient")
        request.patient = patient
        request.profile = clinic_services.patient_profile(patient)
        request.now = timezone.now()
        return view(request, *args, **kwargs)

    return wrapper


class WorklistFilter(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH)
    flag = forms.ChoiceField(required=False, choices=[("", "All patients")] + list(presentation.FLAG_LABELS.items()))


@clinician_required
@pages.worklist_page(query=("q", "flag", "page"))
def worklist(request):
    filters = WorklistFilter(request.GET)
    query, flag = "", ""
    if filters.is_valid():
        query = filters.cleaned_data["q"].replace("\x00", "").strip()
        flag = filters.cleaned_data["flag"]
    shares = Share.objects.filter(clinician=request.user).select_related(
        "patient", "patient__patient_profile", "patient__progress_summary"
    )
    if query:
        for word in query.split():
            shares = shares.filter(
                Q(patient__first_name__icontains=word)
                | Q(patient__last_name__icontains=word)
                | Q(patient__email__icontains=word)
            )
    patients = [share.patient for share in shares]
    # What is there, never a clinic's worth of cycles: at most summaries.REMAKES_PER_VIEW are
    # remade (missing, or behind the profile's version); the rest are marked (diary.summaries).
    shown = summaries.for_worklist(patients, now=request.now)
    rows = []
    updating = 0
    for patient in patients:
        summary = shown[patient.pk]
        data = summary.data
        updating += summary.state == summaries.UPDATING
        if flag and flag not in data["flags"]:
            continue
        name = clinic_services.display_name(patient)
        rows.append(
            {
                "patient": patient,
                "name": name,
                "data": data,
                "state": summary.state,
                "updating": summary.state == summaries.UPDATING,
                "known": summary.known,
                # "figures from Monday 30 November": made for an earlier date of the patient's.
                "figures_from": presentation.day_words(summary.computed_for, request.now.date())
                if summary.known and summary.state != summaries.FRESH
                else "",
                "next_due": dt.date.fromisoformat(data["next_due"]) if data["next_due"] else None,
                **presentation.worklist_figures(data),  # per_28, change, early (counts early in a cycle)
                "completeness": presentation.percent(data["completeness"] * 100)
                if data["completeness"] is not None
                else "–",
                "badges": [(f, presentation.FLAG_LABELS[f]) for f in data["flags"]],
                "sort_key": clinic_services.need_key(data, name),
            }
        )
    rows.sort(key=lambda row: row["sort_key"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": query,
        "flag": flag,
        "total": len(patients),
        "searching": bool(query or flag),
        "updating": updating,
        "share_code": clinic_services.clinician_profile(request.user).display_code,
    }
    return render(request, "clinic/worklist.html", context)


def _notes(request):
    return list(ClinicianNote.objects.filter(patient=request.patient))


def _log_if_viewed(request, what):
    """One access-log row, if a person opened the page (security.is_page_view): not a HEAD or a
    request another site's page made without the clinician choosing to open it."""
    if security.is_page_view(request):
        clinic_services.log_access(request.user, request.patient, what)


def _logged(what):
    """Every view of a patient's data writes one access-log row, whether the page comes from the cache or not."""

    def decorate(view):
        return pages.clinic_patient_page(view, before=lambda request: _log_if_viewed(request, what))

    return decorate


@shared_patient_required
@_logged(AccessLogEntry.What.PAGE)
def patient(request):
    loaded = progress_cache.load(request.patient, request.now, request.profile)
    context = progress_context(loaded, for_clinician=True)
    recent_from = loaded.progress.today - dt.timedelta(days=90)
    context.update(
        {
            "patient": request.patient,
            "patient_name": clinic_services.display_name(request.patient),
            "is_own_diary": False,
            "recent_attacks": [a for a in reversed(loaded.attacks) if a.start_date >= recent_from],
            "notes": _notes(request),
            "note_form": NoteForm(),
            "severity_names": {1: "mild", 2: "moderate", 3: "severe"},
        }
    )
    return render(request, "clinic/patient.html", context)


@shared_patient_required
@_logged(AccessLogEntry.What.JSON)
def patient_json(request):
    loaded = progress_cache.load(request.patient, request.now, request.profile)
    response = JsonResponse(cycles.progress_json(loaded.progress, loaded.profile.time_zone))
    response["Cache-Control"] = "no-store"
    return response


@shared_patient_required
@_logged(AccessLogEntry.What.REPORT)
def patient_report(request):
    loaded = progress_cache.load(request.patient, request.now, request.profile)
    context = progress_context(loaded, for_clinician=True)
    context["patient"] = request.patient
    return render(request, "diary/report.html", context)


@shared_patient_required
@rate_limited("export")
def patient_export(request):
    _log_if_viewed(request, AccessLogEntry.What.EXPORT)
    return csvio.download_response(request.patient, f"headache-diary-{request.patient.pk}.csv")


@shared_patient_required
def session_new(request):
    today = patient_today(request.profile, request.now)
    form = ClinicSessionForm(request.POST or None, patient=request.patient, today=today)
    if request.method == "POST" and form.is_valid():
        session = services.record_clinic_session(
            form.save(commit=False),
            request.user,
            clinic_services.stored_name(request.user, TreatmentSession, "given_by"),
        )
        messages.success(request, f"Treatment session of {session.date.day} {session.date:%B %Y} recorded.")
        return redirect("clinic:patient", pk=request.patient.pk)
    context = {"form": form, "patient_name": clinic_services.display_name(request.patient), "patient": request.patient}
    return render(request, "clinic/session_form.html", context)


@shared_patient_required
def baseline(request):
    form = ReportedBaselineForm(request.POST or None, instance=request.profile)
    if request.method == "POST" and form.is_valid():
        services.save_reported_baseline(form.save(commit=False))
        messages.success(request, "Reported baseline saved.")
        return redirect("clinic:patient", pk=request.patient.pk)
    context = {"form": form, "patient_name": clinic_services.display_name(request.patient), "patient": request.patient}
    return render(request, "clinic/baseline_form.html", context)


class NoteForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ClinicianNote
        fields = ["text", "visible_to_patient"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"text": "New note"}
        error_messages = {
            "text": {
                "required": "Write the note first.",
                "max_length": "A note can be at most %(limit_value)d characters; this one has %(show_value)d.",
            }
        }


@shared_patient_required
def note_new(request):
    if request.method != "POST":
        return redirect("clinic:patient", pk=request.patient.pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = form.save(commit=False)
        note.patient = request.patient
        note.author = request.user
        note.author_name = clinic_services.stored_name(request.user, ClinicianNote, "author_name")
        clinic_services.add_note(note)
        messages.success(request, "Note saved.")
        return redirect("clinic:patient", pk=request.patient.pk)
    # Refused: the note again, as typed, with the error summary (a redirect would lose the text).
    context = {"form": form, "patient_name": clinic_services.display_name(request.patient), "patient": request.patient}
    return render(request, "clinic/note_form.html", context)
