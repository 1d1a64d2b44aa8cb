"""Support staff (superusers) may look at diary rows; patients' data stays read-only here."""

from django.contrib import admin

from core.admin import ReadOnlyForSupport, SupportViewOnly
from diary.models import (
    Attack,
    AttackMedicine,
    Factor,
    FactorCheckIn,
    HeadacheFreeDay,
    Medicine,
    MenstruationDay,
    MidasAnswer,
    PreventiveCourse,
    SideEffectReport,
    TreatmentSession,
)


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


@admin.register(Medicine)
class MedicineAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "name", "medicine_class"]
    search_fields = ["patient__username", "name"]
    list_select_related = ["patient"]


@admin.register(MidasAnswer)
class MidasAnswerAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "answered_on", "headache_days", "average_pain"]
    search_fields = ["patient__username"]
    list_select_related = ["patient"]


@admin.register(PreventiveCourse)
class PreventiveCourseAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "name", "drug_class", "start", "stop", "stop_reason"]
    list_filter = ["drug_class", "stop_reason"]
    search_fields = ["patient__username", "name"]
    list_select_related = ["patient"]


@admin.register(MenstruationDay)
class MenstruationDayAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "date"]
    search_fields = ["patient__username"]
    list_select_related = ["patient"]


@admin.register(Factor)
class FactorAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "name"]
    search_fields = ["patient__username", "name"]
    list_select_related = ["patient"]


@admin.register(FactorCheckIn)
class FactorCheckInAdmin(ReadOnlyForSupport):
    list_display = ["id", "patient", "date"]
    search_fields = ["patient__username"]
    list_select_related = ["patient"]
