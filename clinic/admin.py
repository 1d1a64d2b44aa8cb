from django.contrib import admin

from clinic.models import AccessLogEntry, ClinicianProfile, Share
from diary.admin import ReadOnlyForSupport


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
