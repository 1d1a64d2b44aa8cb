import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from diary import timeutil
from diary.models import (
    DEFAULT_UNITS,
    FEATURES,
    MAX_DURATION_MINUTES,
    MAX_EXTRA_UNITS,
    SEVERITY_DESCRIPTIONS,
    Attack,
    Medicine,
    MedicineClass,
    MidasAnswer,
    PatientProfile,
    Severity,
    SideEffectReport,
    TreatmentSession,
    validate_time_zone,
)
from diary.timeutil import NonexistentLocalTime

COMMON_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "UTC",
]


def time_zone_choices():
    import zoneinfo

    others = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [("Common", [(name, name.replace("_", " ")) for name in COMMON_ZONES])] + [
        ("All time zones", [(name, name.replace("_", " ")) for name in others if "/" in name])
    ]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("initial", "Europe/London")
        kwargs.setdefault(
            "help_text", "Your days are counted from midnight to midnight here. We guess it from your browser."
        )
        super().__init__(**kwargs)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form (fields username and password), where the username is the email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="Email address", help_text="You sign in with it. We never show it to anyone.")
    time_zone = TimeZoneField(label="Your time zone")

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs["data-guess-time-zone"] = "1"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise ValidationError("An account with this email already exists. Sign in instead.", code="taken")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


def _clean_reported_baseline(form):
    value = form.cleaned_data.get("reported_baseline")
    if value is not None and value != value.quantize(type(value)("0.1")):
        raise ValidationError("Use at most one decimal, for example 18.5.", code="decimals")
    return value


class ReportedBaselineForm(forms.ModelForm):
    """A clinician sets the headache days per month before treatment, from a letter or paper diary."""

    class Meta:
        model = PatientProfile
        fields = ["reported_baseline"]
        widgets = {"reported_baseline": forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 31})}

    clean_reported_baseline = _clean_reported_baseline

    def save(self, commit=True):
        profile = super().save(commit=False)
        if commit:
            profile.save(update_fields=["reported_baseline"])  # never diary_version (see ProfileForm)
        return profile


class ProfileForm(forms.ModelForm):
    email = forms.EmailField(label="Email address")
    time_zone = TimeZoneField(label="Your time zone", validators=[validate_time_zone])

    class Meta:
        model = PatientProfile
        fields = ["time_zone", "reported_baseline", "email_reminders"]
        widgets = {"reported_baseline": forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 31})}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = user.email
        self.order_fields(["email", "time_zone", "reported_baseline", "email_reminders"])

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()
        if get_user_model().objects.filter(username__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError("Another account already uses this email.", code="taken")
        return email

    clean_reported_baseline = _clean_reported_baseline

    def save(self, commit=True):
        # Only the form's own fields: diary_version is raised by services.diary_changed alone,
        # and writing back the value read earlier could undo a raise made meanwhile.
        profile = super().save(commit=False)
        self.user.email = self.user.username = self.cleaned_data["email"]
        if commit:
            profile.save(update_fields=list(self.Meta.fields))
            self.user.save(update_fields=["email", "username"])
        return profile


class MedicineForm(forms.ModelForm):
    class Meta:
        model = Medicine
        fields = ["name", "medicine_class"]

    def __init__(self, *args, patient, **kwargs):
        self.patient = patient
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Medicine.objects.filter(patient=self.patient, name__iexact=name).exists():
            raise ValidationError("This medicine is already on your list.", code="duplicate")
        return name

    def save(self, commit=True):
        self.instance.patient = self.patient
        return super().save(commit)


WHEN_CHOICES = [
    ("now", "Just now"),
    ("1h", "About 1 hour ago"),
    ("2h", "About 2 hours ago"),
    ("4h", "About 4 hours ago"),
    ("other", "Another time (give the date and time below)"),
]
WHEN_OFFSETS = {"now": 0, "1h": 60, "2h": 120, "4h": 240}

DURATION_CHOICES = [
    ("ongoing", "Still going"),
    ("30", "30 minutes"),
    ("60", "1 hour"),
    ("120", "2 hours"),
    ("240", "4 hours"),
    ("480", "8 hours"),
    ("1440", "All day (24 hours)"),
    ("exact", "Exact length in minutes (below)"),
]


def _severity_choices():
    return [(value, f"{label}: {SEVERITY_DESCRIPTIONS[value]}") for value, label in Severity.choices]


class AttackForm(forms.Form):
    """Log or change one headache. Quick choices first; exact values for the rest."""

    when = forms.ChoiceField(label="When did it start?", choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    start_date = forms.DateField(
        label="Date it started", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label="Time it started", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_choice = forms.ChoiceField(
        label="How long did it last?", choices=DURATION_CHOICES, initial="ongoing", widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        label="Exact length in minutes",
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        help_text="1 to 20160 (14 days).",
    )
    severity = forms.TypedChoiceField(
        label="How bad was it at its worst?", choices=_severity_choices, coerce=int, widget=forms.RadioSelect
    )
    medicines = forms.MultipleChoiceField(
        label="Medicines you took for it", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_medicine_name = forms.CharField(label="Another medicine", required=False, max_length=100)
    other_medicine_class = forms.ChoiceField(
        label="Its type", required=False, choices=[("", "Choose a type")] + MedicineClass.choices
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, profile, usual_medicines, attack=None, now=None, **kwargs):
        self.profile = profile
        self.attack = attack
        self.now = now or timezone.now()
        self.tz = profile.tz
        super().__init__(*args, **kwargs)
        for name, label in FEATURES:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        # Usual medicines first, then any the attack already has that are not on the list.
        choices = [(f"usual:{m.pk}", f"{m.name}") for m in usual_medicines]
        self._usual = {f"usual:{m.pk}": (m.medicine_class, m.name) for m in usual_medicines}
        self._kept = {}
        if attack is not None:
            usual_pairs = set(self._usual.values())
            for index, medicine in enumerate(attack.medicines.all()):
                pair = (medicine.medicine_class, medicine.name)
                if pair in usual_pairs:
                    continue
                key = f"kept:{index}"
                self._kept[key] = pair
                choices.append((key, medicine.name or medicine.get_medicine_class_display()))
        self.fields["medicines"].choices = choices
        local_now = self.now.astimezone(self.tz)
        if attack is None:
            self.fields["start_date"].initial = local_now.date()
            self.fields["start_time"].initial = local_now.time().replace(second=0, microsecond=0)
        else:
            self.initial.update(self._initial_from(attack))

    def _initial_from(self, attack):
        initial = {
            "when": "other",
            "start_date": attack.start_date,
            "start_time": attack.start_time,
            "duration_choice": "ongoing" if attack.duration_minutes is None else "exact",
            "duration_minutes": attack.duration_minutes,
            "severity": attack.severity,
            "notes": attack.notes,
        }
        for name, _ in FEATURES:
            initial[name] = getattr(attack, name)
        pairs = {(m.medicine_class, m.name) for m in attack.medicines.all()}
        initial["medicines"] = [key for key, pair in self._usual.items() if pair in pairs] + list(self._kept)
        return initial

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when")
        if when == "other":
            date, time = cleaned.get("start_date"), cleaned.get("start_time")
            if date is None:
                self.add_error("start_date", ValidationError("Give the date it started.", code="required"))
            if time is None:
                self.add_error("start_time", ValidationError("Give the time it started.", code="required"))
            if date is not None and date < timeutil.MIN_DATE:
                self.add_error("start_date", ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early"))
            elif date is not None and time is not None:
                time = time.replace(second=0, microsecond=0)
                try:
                    start = timeutil.to_instant(date, time, self.tz, strict=True)
                except NonexistentLocalTime:
                    self.add_error(
                        "start_time",
                        ValidationError(
                            "The clocks went forward at that time, so it did not exist. Choose a time an hour later.",
                            code="nonexistent_time",
                        ),
                    )
                else:
                    if start > self.now:
                        self.add_error(
                            "start_time",
                            ValidationError(
                                "That is in the future: log a headache once it has started.", code="future"
                            ),
                        )
                    cleaned["start_date"], cleaned["start_time"] = date, time
        elif when in WHEN_OFFSETS:
            local = (self.now - dt.timedelta(minutes=WHEN_OFFSETS[when])).astimezone(self.tz)
            cleaned["start_date"] = local.date()
            cleaned["start_time"] = local.time().replace(second=0, microsecond=0, fold=0)

        choice = cleaned.get("duration_choice")
        if choice == "ongoing":
            cleaned["duration_minutes"] = None
        elif choice == "exact":
            if cleaned.get("duration_minutes") is None and "duration_minutes" not in self.errors:
                self.add_error(
                    "duration_minutes",
                    ValidationError("Give the length in minutes, or pick a quick choice.", code="required"),
                )
        elif choice:
            cleaned["duration_minutes"] = int(choice)

        name = cleaned.get("other_medicine_name", "").strip()
        medicine_class = cleaned.get("other_medicine_class")
        if name and not medicine_class:
            self.add_error("other_medicine_class", ValidationError("Choose the medicine's type.", code="required"))
        cleaned["other_medicine_name"] = name

        if not self.errors and cleaned.get("start_date") is not None:
            duplicate = Attack.objects.filter(
                patient=self.profile.user,
                start_date=cleaned["start_date"],
                start_time=cleaned["start_time"],
                duration_minutes=cleaned["duration_minutes"],
                severity=cleaned.get("severity"),
            )
            if self.attack is not None:
                duplicate = duplicate.exclude(pk=self.attack.pk)
            if duplicate.exists():
                raise ValidationError("You have already logged this headache.", code="duplicate")
        return cleaned

    def medicine_pairs(self):
        """The (class, name) pairs chosen, in the order shown, then the typed one."""
        pairs = []
        for key in self.cleaned_data["medicines"]:
            pair = self._usual.get(key) or self._kept.get(key)
            if pair and pair not in pairs:
                pairs.append(pair)
        name = self.cleaned_data["other_medicine_name"]
        medicine_class = self.cleaned_data.get("other_medicine_class")
        if medicine_class:
            pairs.append((medicine_class, name))
        return pairs

    def apply_to(self, attack):
        data = self.cleaned_data
        attack.start_date = data["start_date"]
        attack.start_time = data["start_time"]
        attack.duration_minutes = data["duration_minutes"]
        attack.severity = data["severity"]
        attack.notes = data["notes"]
        for name, _ in FEATURES:
            setattr(attack, name, data[name])
        return attack

    def feature_fields(self):
        return [self[name] for name, _ in FEATURES]


def _not_after_today(date, today, what):
    if date < timeutil.MIN_DATE:
        raise ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early")
    if date > today:
        raise ValidationError(f"{what} cannot be after today.", code="future")


class TreatmentSessionForm(forms.ModelForm):
    class Meta:
        model = TreatmentSession
        fields = ["date", "units", "sites", "given_by", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, patient, today, **kwargs):
        self.patient = patient
        self.today = today
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["date"].initial = today

    def clean_date(self):
        date = self.cleaned_data["date"]
        _not_after_today(date, self.today, "A treatment session")
        others = TreatmentSession.objects.filter(patient=self.patient, date=date).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("You already have a treatment session on this date.", code="duplicate")
        return date

    def save(self, commit=True):
        self.instance.patient = self.patient
        return super().save(commit)


class SideEffectReportForm(forms.ModelForm):
    class Meta:
        model = SideEffectReport
        fields = ["effect", "severity", "started_on", "notes"]
        widgets = {
            "effect": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"effect": "What did you notice?"}

    def __init__(self, *args, session, today, **kwargs):
        self.session = session
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = today
        self.fields["effect"].choices = [c for c in self.fields["effect"].choices if c[0] != ""]
        self.fields["severity"].choices = [c for c in self.fields["severity"].choices if c[0] != ""]

    def clean_started_on(self):
        date = self.cleaned_data["started_on"]
        _not_after_today(date, self.today, "A side effect")
        if date < self.session.date:
            raise ValidationError(
                f"This session was on {self.session.date:%d %B %Y}: give a date on or after it.", code="before_session"
            )
        return date

    def save(self, commit=True):
        self.instance.patient = self.session.patient
        self.instance.session = self.session
        return super().save(commit)


class MultipleDateField(forms.Field):
    """A list of ISO dates, as sent by the day checkboxes (or one "today" button)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Choose at least one day.",
        "invalid": "That is not a date we understand.",
        "too_many": "Choose at most 62 days at a time.",
    }

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        if len(value) > 62:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        try:
            dates = sorted({dt.date.fromisoformat(item) for item in value})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if dates and dates[0] < timeutil.MIN_DATE:
            raise ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early")
        return dates


class HeadacheFreeDaysForm(forms.Form):
    """Mark one or several past days headache-free in one step."""

    dates = MultipleDateField(label="Days without a headache")


MIDAS_QUESTIONS = {
    "missed_work": "On how many days in the last 3 months did you miss work or school because of your headaches?",
    "reduced_work": "How many days in the last 3 months was your productivity at work or school reduced by half "
    "or more because of your headaches? (Do not count days you counted in the last question.)",
    "missed_household": "On how many days in the last 3 months did you not do household work because of your "
    "headaches?",
    "reduced_household": "How many days in the last 3 months was your productivity in household work reduced by "
    "half or more because of your headaches? (Do not count days you counted in the last question.)",
    "missed_social": "On how many days in the last 3 months did you miss family, social or leisure activities "
    "because of your headaches?",
    "headache_days": "On how many days in the last 3 months did you have a headache? (Count each day once, "
    "however many headaches it had.)",
    "average_pain": "On a scale of 0 to 10, on average how painful were these headaches? (0 means no pain at all, "
    "10 the worst pain you can imagine.)",
}


class MidasForm(forms.ModelForm):
    """MIDAS: 5 scored questions about days lost to headache in 3 months, and 2 recorded ones."""

    class Meta:
        model = MidasAnswer
        fields = list(MIDAS_QUESTIONS)

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        for name, question in MIDAS_QUESTIONS.items():
            field = self.fields[name]
            field.label = question
            field.min_value = 0
            field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
            field.help_text = "0 to 10" if name == "average_pain" else "Days, 0 to 92"


class ClinicSessionForm(TreatmentSessionForm):
    """A treatment session recorded by a clinician, with follow-the-pain units by muscle."""

    class Meta(TreatmentSessionForm.Meta):
        fields = [
            "date",
            "units",
            "sites",
            "temporalis_extra_units",
            "occipitalis_extra_units",
            "trapezius_extra_units",
            "given_by",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        extras = [cleaned.get(name) or 0 for name in EXTRA_UNIT_FIELDS]
        if sum(extras) > MAX_EXTRA_UNITS:
            raise ValidationError(
                f"Follow-the-pain adds at most {MAX_EXTRA_UNITS} units in all; these add {sum(extras)}.",
                code="too_many_extra_units",
            )
        units = cleaned.get("units")
        if units is not None and sum(extras) and units < DEFAULT_UNITS + sum(extras):
            self.add_error(
                "units",
                ValidationError(
                    f"Total units should include the {DEFAULT_UNITS} PREEMPT units plus the {sum(extras)} "
                    f"follow-the-pain units: at least {DEFAULT_UNITS + sum(extras)}.",
                    code="units_below_extras",
                ),
            )
        return cleaned


EXTRA_UNIT_FIELDS = ["temporalis_extra_units", "occipitalis_extra_units", "trapezius_extra_units"]
