from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from education.models import Section


class SectionChangeListForm(forms.ModelForm):
    """The list's editable cells, with labels for screen readers (Django leaves them unlabelled)."""

    class Meta:
        model = Section
        fields = ["order", "is_published"]
        widgets = {
            "order": forms.NumberInput(attrs={"aria-label": "Order", "class": "vIntegerField"}),
            "is_published": forms.CheckboxInput(attrs={"aria-label": "Published"}),
        }


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    """Editors keep the guide right here; every save keeps the previous version (History)."""

    list_display = ["title", "order", "is_published", "last_reviewed", "reviewed_by", "updated_at"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    history_list_display = ["is_published", "order"]

    def get_changelist_form(self, request, **kwargs):
        return SectionChangeListForm

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["order", "is_published"]}),
        ("Clinical review", {"fields": ["last_reviewed", "reviewed_by"]}),
    ]
