"""The diary's part of a patient's data download (accounts.views.personal_data)."""

from accounts.profiles import profile_for
from diary import csvio
from diary.forms import MIDAS_QUESTIONS
from diary.models import (
    Attack,
    Factor,
    FactorCheckIn,
    MenstruationDay,
    MidasAnswer,
    PreventiveCourse,
    SideEffectReport,
    TreatmentSession,
)

MIDAS_FIELDS = list(MIDAS_QUESTIONS)


def _iso(value):
    return value.isoformat() if value is not None else None


def personal_data(user):
    return {
        "files": {"diary.csv": csvio.export_diary(user)},
        "json": {
            "usual_medicines": [{"name": m.name, "class": m.medicine_class} for m in user.medicines.all()],
            "headaches_still_going": [
                {"date": _iso(a.start_date), "start_time": a.start_time.strftime("%H:%M"), "severity": a.severity}
                for a in Attack.objects.filter(patient=user, duration_minutes__isnull=True)
            ],
            "treatment_sessions": [
                {
                    "date": _iso(s.date),
                    "units": s.units,
                    "sites": s.sites,
                    "given_by": s.given_by,
                    "notes": s.notes,
                    "temporalis_extra_units": s.temporalis_extra_units,
                    "occipitalis_extra_units": s.occipitalis_extra_units,
                    "trapezius_extra_units": s.trapezius_extra_units,
                }
                for s in TreatmentSession.objects.filter(patient=user).order_by("date")
            ],
            "side_effect_reports": [
                {
                    "session_date": _iso(r.session.date),
                    "effect": r.effect,
                    "severity": r.severity,
                    "started_on": _iso(r.started_on),
                    "notes": r.notes,
                }
                for r in SideEffectReport.objects.filter(patient=user).select_related("session").order_by("started_on")
            ],
            "midas_answers": [
                {
                    "answered_on": _iso(a.answered_on),
                    "score": a.score,
                    **{name: getattr(a, name) for name in MIDAS_FIELDS},
                }
                for a in MidasAnswer.objects.filter(patient=user).order_by("answered_on")
            ],
            "preventive_courses": [
                {
                    "name": c.name,
                    "class": c.drug_class,
                    "start": _iso(c.start),
                    "stop": _iso(c.stop),
                    "stop_reason": c.stop_reason or None,
                    "notes": c.notes,
                }
                for c in PreventiveCourse.objects.filter(patient=user).order_by("start", "id")
            ],
            **_tracking_data(user),
        },
    }


def _tracking_data(user):
    """Periods and daily factors (issue #16). Period days are rows of diary.csv as well, except
    when the patient chose not to track periods: hidden there, they are still held, so listed here."""
    return {
        "track_periods": profile_for(user).track_periods,
        "period_days": [
            _iso(date)
            for date in MenstruationDay.objects.filter(patient=user).order_by("date").values_list("date", flat=True)
        ],
        "factors": [factor.name for factor in Factor.objects.filter(patient=user)],
        "factor_checkins": [
            {"date": _iso(c.date), "listed": c.listed, "present": c.present}
            for c in FactorCheckIn.objects.filter(patient=user).order_by("date")
        ],
    }
