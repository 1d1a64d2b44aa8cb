from django.contrib import admin

from accounts.models import PatientProfile
from accounts.security import is_page_view
from clinic.models import AccessLogEntry, ClinicianProfile, Share
from clinic.services import display_name
from core.admin import ReadOnlyForSupport
from diary.models import Attack, HeadacheFreeDay, Medicine, SideEffectReport, TreatmentSession


class SupportOnly(admin.ModelAdmin):
    """Superusers (clinic IT or support staff) link and unlink patients and clinicians."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Share)
class ShareAdmin(SupportOnly):
    list_display = ["id", "patient", "clinician", "created_at"]
    search_fields = ["patient__username", "clinician__username"]
    raw_id_fields = ["patient", "clinician"]
    list_select_related = ["patient", "clinician"]


@admin.register(ClinicianProfile)
class ClinicianProfileAdmin(ReadOnlyForSupport):
    list_display = ["id", "user", "share_code"]
    search_fields = ["user__username"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyForSupport):
    list_display = ["at", "clinician_name", "patient", "what"]
    list_filter = ["what"]
    list_select_related = ["patient"]


# ---------------------------------------------------------------- support staff in the access log


class SupportViewsLogged:
    """Opening a patient's diary rows here writes the patient's access log, by name, as a clinic view does.

    A list page logs each patient with a row on it; a row's own page logs its patient.
    """

    patient_field = "patient"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._log(request, {getattr(row, self.patient_field + "_id") for row in changelist.result_list})
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        row = (getattr(response, "context_data", None) or {}).get("original")
        if row is not None:
            self._log(request, {getattr(row, self.patient_field + "_id")})
        return response

    def _log(self, request, patient_ids):
        if not patient_ids or not is_page_view(request):
            return
        field = AccessLogEntry._meta.get_field("clinician_name")
        name = f"{display_name(request.user)} (support staff, in administration)"[: field.max_length]
        AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(
                    clinician=request.user, clinician_name=name, patient_id=patient_id, what=AccessLogEntry.What.PAGE
                )
                for patient_id in sorted(patient_ids)
            ]
        )


def _log_support_views(model, patient_field="patient"):
    """Register diary's own admin for `model` again, with SupportViewsLogged in front of it.

    (diary.admin cannot write the access log itself: diary does not import clinic.)
    """
    base = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(
        model, type(base.__name__, (SupportViewsLogged, base), {"patient_field": patient_field, "__module__": __name__})
    )


for _model in (Attack, HeadacheFreeDay, TreatmentSession, SideEffectReport, Medicine):
    _log_support_views(_model)
_log_support_views(PatientProfile, patient_field="user")
