"""Admin pages that support staff (superusers) may look at but nobody may change."""

from django.contrib import admin


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
