"""Support staff (superusers) may look at diary rows; patients' data stays read-only here."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from diary.models import (
    Attack,
    AttackMedicine,
    HeadacheFreeDay,
    Medicine,
    PatientProfile,
    SideEffectReport,
    TreatmentSession,
)


class SupportViewOnly:
    """Superusers may look; nobody changes a diary here: changes come from its patient."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyForSupport(SupportViewOnly, admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class AttackMedicineInline(SupportViewOnly, admin.TabularInline):
    model = AttackMedicine
    extra = 0


@admin.register(Attack)
class AttackAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "start_date", "start_time", "duration_minutes", "severity"]
    list_filter = ["severity"]
    search_fields = ["patient__username"]
    date_hierarchy = "start_date"
    inlines = [AttackMedicineInline]
    list_select_related = ["patient"]


@admin.register(HeadacheFreeDay)
class HeadacheFreeDayAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "date"]
    search_fields = ["patient__username"]
    list_select_related = ["patient"]


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "date", "units", "sites"]
    search_fields = ["patient__username"]
    list_select_related = ["patient"]


@admin.register(SideEffectReport)
class SideEffectReportAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "session", "effect", "severity", "started_on"]
    list_filter = ["effect"]
    search_fields = ["patient__username"]
    list_select_related = ["patient", "session"]


@admin.register(PatientProfile)
class PatientProfileAdmin(ReadOnlyForSupport):
    list_display = ["id", "user", "time_zone", "reported_baseline", "email_reminders"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


@admin.register(Medicine)
class MedicineAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "name", "medicine_class"]
    search_fields = ["patient__username", "name"]
    list_select_related = ["patient"]


# ---------------------------------------------------------------- second-factor devices

# django-otp's own admin shows an authenticator's secret key (and its QR code) and every recovery
# code: whoever reads them can sign in as that clinician. Support may see that a device exists
# and remove a lost one (the user then enrols again by the emailed link); nothing more.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class DeviceForSupport(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    list_select_related = ["user"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(DeviceForSupport):
    fields = readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]


@admin.register(StaticDevice)
class StaticDeviceAdmin(DeviceForSupport):
    fields = readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at", "codes_left"]

    @admin.display(description="recovery codes left")
    def codes_left(self, device):
        return device.token_set.count()
