"""A patient's diary: attacks, headache-free days, treatment sessions and side-effect reports.

Definitions are those of CLINICAL.md ("What is recorded"). Rules that a row can check by
itself are database constraints as well as form validation. "Nothing dated in the future" is
checked by the forms against the patient's own today; on PostgreSQL a constraint also refuses
a date beyond the furthest date any time zone has reached (see migration 0003).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from core import timeutil

MAX_DURATION_MINUTES = 20160  # 14 days
MAX_UNITS = 195  # PREEMPT 155 U plus up to 40 U follow-the-pain
MAX_SITES = 39
MAX_EXTRA_UNITS = 40  # follow-the-pain, in temporalis, occipitalis and trapezius
DEFAULT_UNITS = 155
DEFAULT_SITES = 31


class Severity(models.IntegerChoices):
    MILD = 1, "Mild"
    MODERATE = 2, "Moderate"
    SEVERE = 3, "Severe"


SEVERITY_DESCRIPTIONS = {
    Severity.MILD: "I could carry on with my day.",
    Severity.MODERATE: "It got in the way of what I was doing.",
    Severity.SEVERE: "I could not do my usual things, or had to lie down.",
}


class MedicineClass(models.TextChoices):
    TRIPTAN = "triptan", "Triptan (e.g. sumatriptan)"
    ERGOT = "ergot", "Ergot (e.g. ergotamine)"
    GEPANT = "gepant", "Gepant (e.g. rimegepant)"
    OPIOID = "opioid", "Opioid (e.g. codeine, tramadol)"
    COMBINATION_ANALGESIC = "combination_analgesic", "Combination painkiller (e.g. co-codamol)"
    SIMPLE_ANALGESIC = "simple_analgesic", "Simple painkiller (paracetamol, aspirin, ibuprofen)"
    OTHER = "other", "Other"


# The attack's features, in the order of CLINICAL.md and the CSV's columns.
FEATURES = [
    ("one_sided", "One side of the head"),
    ("throbbing", "Throbbing or pulsing"),
    ("worse_with_activity", "Worse when moving about"),
    ("nausea", "Feeling sick"),
    ("vomiting", "Being sick"),
    ("light_sensitivity", "Light bothers me"),
    ("sound_sensitivity", "Noise bothers me"),
    ("aura", "Aura (e.g. flashing lights before)"),
]
FEATURE_NAMES = [name for name, _ in FEATURES]


class Medicine(models.Model):
    """One of the patient's usual acute medicines, so that logging it is a tap."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(max_length=100, help_text="For example 'Sumatriptan 50 mg'.")
    medicine_class = models.CharField("type", max_length=32, choices=MedicineClass.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "name"],
                name="medicine_unique_name_per_patient",
                violation_error_message="This medicine is already on the list.",
            ),
            models.CheckConstraint(
                condition=Q(medicine_class__in=MedicineClass.values),
                name="medicine_class_known",
                violation_error_message="Choose one of the medicine types listed.",
            ),
        ]

    def __str__(self):
        return self.name


class Attack(models.Model):
    """One headache, from its local start for an elapsed duration."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attacks")
    start_date = models.DateField(help_text="The day it started, in your time zone.")
    start_time = models.TimeField(help_text="The time it started, 24-hour clock.")
    duration_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
        help_text="Empty while it is still going.",
    )
    severity = models.PositiveSmallIntegerField("worst pain", choices=Severity.choices)
    one_sided = models.BooleanField(default=False)
    throbbing = models.BooleanField(default=False)
    worse_with_activity = models.BooleanField(default=False)
    nausea = models.BooleanField(default=False)
    vomiting = models.BooleanField(default=False)
    light_sensitivity = models.BooleanField(default=False)
    sound_sensitivity = models.BooleanField(default=False)
    aura = models.BooleanField(default=False)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-start_time"]
        indexes = [models.Index(fields=["patient", "start_date"], name="attack_patient_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=3),
                name="attack_severity_1_to_3",
                violation_error_message="Choose mild, moderate or severe.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="attack_duration_1_to_20160",
                violation_error_message="A headache lasts from 1 to 20160 minutes (14 days).",
            ),
            # The same attack twice is a double tap or a repeated import, never two headaches.
            models.UniqueConstraint(
                fields=["patient", "start_date", "start_time", "duration_minutes", "severity"],
                name="attack_unique_per_patient",
                violation_error_message="This headache is already in the diary.",
            ),
        ]

    def __str__(self):
        return f"Attack {self.pk}"

    @property
    def is_ongoing(self):
        return self.duration_minutes is None

    def start_instant(self, tz):
        return timeutil.to_instant(self.start_date, self.start_time, tz)

    def days_touched(self, tz, now):
        start, end = timeutil.attack_interval(self.start_date, self.start_time, self.duration_minutes, tz, now)
        return timeutil.days_touched(start, end, tz)

    def features(self):
        return [label for name, label in FEATURES if getattr(self, name)]


class EffectAnswer(models.TextChoices):
    """2 hours after taking it, the pain was (CLINICAL.md "How well acute medicines work")."""

    PAIN_FREE = "pain_free", "Gone"
    BETTER = "better", "Better"
    SAME = "same", "The same"
    WORSE = "worse", "Worse"


class AttackMedicine(models.Model):
    """An acute medicine taken for an attack. Counted on the attack's start date."""

    attack = models.ForeignKey(Attack, on_delete=models.CASCADE, related_name="medicines")
    medicine_class = models.CharField("type", max_length=32, choices=MedicineClass.choices)
    name = models.CharField(max_length=100, blank=True)
    # Empty until the patient answers "2 hours after taking it, was the pain ...".
    answer = models.CharField("2 hours after taking it", max_length=10, choices=EffectAnswer.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medicine_class__in=MedicineClass.values),
                name="attack_medicine_class_known",
                violation_error_message="Choose one of the medicine types listed.",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=EffectAnswer.values),
                name="attack_medicine_answer_known",
                violation_error_message="Choose gone, better, the same or worse.",
            ),
        ]

    def __str__(self):
        return self.name or self.get_medicine_class_display()


class HeadacheFreeDay(models.Model):
    """A date the patient marked "no headache". Never a day an attack touches."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="headache_free_days")
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date"],
                name="headache_free_unique_per_date",
                violation_error_message="This day is already marked headache-free.",
            ),
        ]

    def __str__(self):
        return f"Headache-free {self.date}"


class TreatmentSession(models.Model):
    """One injection appointment."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treatment_sessions")
    date = models.DateField(help_text="The day of the injections.")
    units = models.PositiveSmallIntegerField(
        default=DEFAULT_UNITS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_UNITS)],
        help_text="Total units of Botox. The usual dose is 155 units; at most 195.",
    )
    sites = models.PositiveSmallIntegerField(
        "injection sites",
        default=DEFAULT_SITES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SITES)],
        help_text="Number of injections. Usually 31; at most 39.",
    )
    given_by = models.CharField(max_length=200, blank=True, help_text="Who gave the injections (optional).")
    notes = models.TextField(blank=True, max_length=2000)
    # Follow-the-pain: units beyond PREEMPT's 155, by muscle (entered by a clinician).
    temporalis_extra_units = models.PositiveSmallIntegerField(
        "temporalis (follow-the-pain units)", null=True, blank=True, validators=[MaxValueValidator(MAX_EXTRA_UNITS)]
    )
    occipitalis_extra_units = models.PositiveSmallIntegerField(
        "occipitalis (follow-the-pain units)", null=True, blank=True, validators=[MaxValueValidator(MAX_EXTRA_UNITS)]
    )
    trapezius_extra_units = models.PositiveSmallIntegerField(
        "trapezius (follow-the-pain units)", null=True, blank=True, validators=[MaxValueValidator(MAX_EXTRA_UNITS)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date"],
                name="session_unique_per_date",
                violation_error_message="There is already a treatment session on this date.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    Coalesce("temporalis_extra_units", 0)
                    + Coalesce("occipitalis_extra_units", 0)
                    + Coalesce("trapezius_extra_units", 0),
                    MAX_EXTRA_UNITS,
                ),
                name="session_follow_the_pain_at_most_40",
                violation_error_message=f"Follow-the-pain adds at most {MAX_EXTRA_UNITS} units in all "
                "(temporalis, occipitalis and trapezius together).",
            ),
            models.CheckConstraint(
                condition=Q(units__gte=1, units__lte=MAX_UNITS),
                name="session_units_1_to_195",
                violation_error_message=f"Units must be from 1 to {MAX_UNITS}.",
            ),
            models.CheckConstraint(
                condition=Q(sites__gte=1, sites__lte=MAX_SITES),
                name="session_sites_1_to_39",
                violation_error_message=f"Injection sites must be from 1 to {MAX_SITES}.",
            ),
        ]

    def __str__(self):
        return f"Treatment session {self.date}"


class SideEffect(models.TextChoices):
    NECK_PAIN = "neck_pain", "Neck pain or stiffness"
    INJECTION_SITE = "injection_site", "Pain, swelling or bruising where the injections went in"
    PTOSIS = "ptosis", "Eyelid drooping"
    WEAKNESS = "weakness", "Muscle weakness (neck or brow)"
    HEADACHE_WORSE = "headache_worse", "Headache or migraine worse in the first days"
    FLU_LIKE = "flu_like", "Flu-like symptoms"
    FATIGUE = "fatigue", "Tiredness"
    SWALLOWING_SPEAKING_BREATHING = "swallowing_speaking_breathing", "Difficulty swallowing, speaking or breathing"
    OTHER = "other", "Something else"


URGENT_SIDE_EFFECTS = {SideEffect.SWALLOWING_SPEAKING_BREATHING}


class SideEffectReport(models.Model):
    """A side effect the patient noticed after a treatment session."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="side_effect_reports")
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="side_effect_reports")
    effect = models.CharField(max_length=40, choices=SideEffect.choices)
    severity = models.PositiveSmallIntegerField("how bad", choices=Severity.choices)
    started_on = models.DateField("when it started")
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=3),
                name="side_effect_severity_1_to_3",
                violation_error_message="Choose mild, moderate or severe.",
            ),
            models.CheckConstraint(
                condition=Q(effect__in=SideEffect.values),
                name="side_effect_known",
                violation_error_message="Choose one of the side effects listed.",
            ),
        ]

    def __str__(self):
        return f"Side effect {self.pk}"

    @property
    def is_urgent(self):
        return self.effect in URGENT_SIDE_EFFECTS


MIDAS_MAX_DAYS = 92  # the longest 3 months


class MidasAnswer(models.Model):
    """The MIDAS questionnaire: 5 scored items (days in the last 3 months) and 2 recorded ones."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="midas_answers")
    answered_on = models.DateField()
    missed_work = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    reduced_work = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    missed_household = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    reduced_household = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    missed_social = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    headache_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MIDAS_MAX_DAYS)])
    average_pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    created_at = models.DateTimeField(auto_now_add=True)

    SCORED = ["missed_work", "reduced_work", "missed_household", "reduced_household", "missed_social"]

    class Meta:
        ordering = ["-answered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_work__lte=MIDAS_MAX_DAYS)
                & Q(reduced_work__lte=MIDAS_MAX_DAYS)
                & Q(missed_household__lte=MIDAS_MAX_DAYS)
                & Q(reduced_household__lte=MIDAS_MAX_DAYS)
                & Q(missed_social__lte=MIDAS_MAX_DAYS)
                & Q(headache_days__lte=MIDAS_MAX_DAYS)
                & Q(average_pain__lte=10),
                name="midas_answers_in_range",
                violation_error_message=f"Each answer is a number of days from 0 to {MIDAS_MAX_DAYS}, "
                "and the average pain from 0 to 10.",
            )
        ]

    def __str__(self):
        return f"MIDAS {self.pk}"

    @property
    def score(self):
        return sum(getattr(self, name) for name in self.SCORED)


class PatientSummary(models.Model):
    """A patient's progress figures for the clinic's worklist: derived data, made by diary.summaries only.

    diary_version is the patient's PatientProfile.diary_version the figures were made from, and
    computed_for the patient's today then (flags such as session_due change with the date alone).
    A diary write remakes it when it commits (services.diary_changed); a change the diary does not
    write (the profile page) leaves it behind the profile's version until the worklist (a few per
    view) or `manage.py refresh_summaries` (cron, also for the date) remakes it. None: made before
    versions were kept, so behind any profile.
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="progress_summary"
    )
    computed_for = models.DateField()
    diary_version = models.PositiveIntegerField(null=True)
    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Summary {self.pk}"


# ---------------------------------------------------------------- other preventives (issue #15)


class PreventiveClass(models.TextChoices):
    CGRP_ANTIBODY = "cgrp_antibody", "CGRP antibody (erenumab, fremanezumab, galcanezumab, eptinezumab)"
    GEPANT_PREVENTIVE = "gepant_preventive", "Gepant for prevention (atogepant, rimegepant)"
    BETA_BLOCKER = "beta_blocker", "Beta blocker (propranolol, metoprolol)"
    ANTIEPILEPTIC = "antiepileptic", "Anti-epileptic (topiramate, sodium valproate)"
    ANTIDEPRESSANT = "antidepressant", "Antidepressant (amitriptyline, nortriptyline, venlafaxine)"
    CANDESARTAN = "candesartan", "Candesartan"
    FLUNARIZINE = "flunarizine", "Flunarizine"
    OTHER = "other", "Other"


class StopReason(models.TextChoices):
    NOT_EFFECTIVE = "not_effective", "It did not help enough"
    SIDE_EFFECTS = "side_effects", "Side effects"
    OTHER = "other", "Another reason"


class PreventiveCourse(models.Model):
    """A course of a preventive medicine other than Botox (CLINICAL.md "Other preventive treatments")."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preventive_courses")
    name = models.CharField("medicine", max_length=100)
    drug_class = models.CharField("type", max_length=32, choices=PreventiveClass.choices)
    start = models.DateField("started on")
    stop = models.DateField("stopped on", null=True, blank=True)
    stop_reason = models.CharField("why it was stopped", max_length=20, choices=StopReason.choices, blank=True)
    notes = models.TextField(blank=True, max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(drug_class__in=PreventiveClass.values),
                name="preventive_class_known",
                violation_error_message="Choose one of the types of preventive listed.",
            ),
            models.CheckConstraint(
                condition=Q(stop__isnull=True) | Q(stop__gte=F("start")),
                name="preventive_stop_not_before_start",
                violation_error_message="A course stops on or after the day it started.",
            ),
            models.CheckConstraint(
                condition=Q(stop__isnull=True, stop_reason="")
                | Q(stop__isnull=False, stop_reason__in=StopReason.values),
                name="preventive_reason_with_stop",
                violation_error_message="Give why it was stopped together with the day it stopped, and only then.",
            ),
        ]

    def __str__(self):
        return f"Preventive course {self.pk}"


# ---------------------------------------------------------------- periods and daily factors (issue #16)


class MenstruationDay(models.Model):
    """A day of menstrual bleeding. Not a recorded day by itself (it says nothing about headache)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="menstruation_days")
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date"],
                name="menstruation_unique_per_date",
                violation_error_message="This day is already marked as a period day.",
            )
        ]

    def __str__(self):
        return f"Period day {self.date}"


MAX_FACTORS = 20
FACTOR_NAME_LENGTH = 40
SUGGESTED_FACTORS = ["Poor sleep", "Stress", "Alcohol", "Skipped meal", "Bright light", "Weather change"]


class Factor(models.Model):
    """One of the patient's own factors (possible triggers), on the list each check-in asks about."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="factors")
    name = models.CharField(max_length=FACTOR_NAME_LENGTH)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "name"],
                name="factor_unique_name_per_patient",
                violation_error_message="This factor is already on your list.",
            )
        ]

    def __str__(self):
        return self.name


class FactorCheckIn(models.Model):
    """Which of the patient's factors were present on a date, with the list as it was that day."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="factor_checkins")
    date = models.DateField()
    listed = models.JSONField(default=list)  # the factor names asked about that day
    present = models.JSONField(default=list)  # those the patient said were present
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date"],
                name="factor_checkin_unique_per_date",
                violation_error_message="There is already a check-in for this day.",
            )
        ]

    def __str__(self):
        return f"Check-in {self.date}"
