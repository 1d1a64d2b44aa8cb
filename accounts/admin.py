"""Support staff (superusers) may look at profiles and remove a lost second-factor device."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PatientProfile
from core.admin import ReadOnlyForSupport


@admin.register(PatientProfile)
class PatientProfileAdmin(ReadOnlyForSupport):
    list_display = ["id", "user", "time_zone", "reported_baseline", "email_reminders"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


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
