import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import timeutil
from core.forms import PlainErrorsMixin
from core.timeutil import NonexistentLocalTime
from diary.models import (
    DEFAULT_SITES,
    DEFAULT_UNITS,
    FEATURES,
    MAX_DURATION_MINUTES,
    MAX_EXTRA_UNITS,
    MAX_SITES,
    MAX_UNITS,
    MIDAS_MAX_DAYS,
    SEVERITY_DESCRIPTIONS,
    Attack,
    Medicine,
    MedicineClass,
    MidasAnswer,
    Severity,
    SideEffectReport,
    TreatmentSession,
)


class MedicineForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Medicine
        fields = ["name", "medicine_class"]
        error_messages = {
            "name": {
                "required": "Give the medicine's name, for example Sumatriptan 50 mg.",
                "max_length": "A medicine's name can be at most 100 characters.",
            },
            "medicine_class": {
                "required": "Choose the medicine's type.",
                "invalid_choice": "Choose one of the types listed.",
            },
        }

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
    """Log or change one headache. Quick choices first; exact values for the rest.

    What was typed is what is saved. Each exact field (date, time, minutes) has a hidden twin,
    shown_<name>, holding the value the page showed in it, so a value that differs from it was
    typed by the person. A typed start wins over a quick "when" left selected ("Just now" is the
    default), and typed minutes win over a quick length. "Still going" with typed minutes is
    refused: it may mean "lasted 300 minutes" or "going for 300 minutes so far". With JavaScript
    (static/js/attack-form.js) the page selects "Another time" or "Exact length" as one types.
    """

    SHOWN = {
        "start_date": "shown_start_date",
        "start_time": "shown_start_time",
        "duration_minutes": "shown_duration_minutes",
    }

    when = forms.ChoiceField(
        label="When did it start?",
        choices=WHEN_CHOICES,
        initial="now",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when it started.", "invalid_choice": "Choose one of the times shown."},
    )
    start_date = forms.DateField(
        label="Date it started",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as day, month and year."},
    )
    start_time = forms.TimeField(
        label="Time it started",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Give the time as hours and minutes, for example 09:30."},
    )
    duration_choice = forms.ChoiceField(
        label="How long did it last?",
        choices=DURATION_CHOICES,
        initial="ongoing",
        widget=forms.RadioSelect,
        error_messages={
            "required": 'Choose how long it lasted, or "Still going".',
            "invalid_choice": "Choose one of the lengths shown.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Exact length in minutes",
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        help_text="1 to 20160 (14 days). For example 90 for an hour and a half.",
        error_messages={
            "invalid": "Give the length as a whole number of minutes, for example 90.",
            "min_value": "Give at least 1 minute.",
            "max_value": "The longest a headache can last here is 20160 minutes (14 days).",
        },
    )
    severity = forms.TypedChoiceField(
        label="How bad was it at its worst?",
        choices=_severity_choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how bad it was at its worst: mild, moderate or severe.",
            "invalid_choice": "Choose mild, moderate or severe.",
        },
    )
    medicines = forms.MultipleChoiceField(
        label="Medicines you took for it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose medicines from your own list.",
            "invalid_list": "Choose medicines from your own list.",
        },
    )
    other_medicine_name = forms.CharField(
        label="Another medicine",
        required=False,
        max_length=100,
        error_messages={
            "max_length": "Give at most 100 characters for the medicine's name.",
            "null_characters_not_allowed": "The name has a character we cannot save: type it again.",
        },
    )
    other_medicine_class = forms.ChoiceField(
        label="Its type",
        required=False,
        choices=[("", "Choose a type")] + MedicineClass.choices,
        error_messages={"invalid_choice": "Choose a type from the list."},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Notes can be at most 2000 characters: shorten them a little.",
            "null_characters_not_allowed": "The notes have a character we cannot save: type them again.",
        },
    )
    shown_start_date = forms.CharField(required=False, widget=forms.HiddenInput)
    shown_start_time = forms.CharField(required=False, widget=forms.HiddenInput)
    shown_duration_minutes = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, profile, usual_medicines, attack=None, now=None, day=None, **kwargs):
        """day: a past date to log a headache on (from that day's page)."""
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
            self.fields["start_date"].initial = day or local_now.date()
            self.fields["start_time"].initial = local_now.time().replace(second=0, microsecond=0)
            if day is not None:
                self.initial["when"] = "other"
        else:
            self.initial.update(self._initial_from(attack))
        for name, shown in self.SHOWN.items():
            self.fields[shown].initial = self._as_shown(self.get_initial_for_field(self.fields[name], name))
        self.still_going_with_minutes = None
        if self.is_bound:
            self.data = self._typed_wins(self.data)

    @staticmethod
    def _as_shown(value):
        """A field's initial value as the page shows it (and sends back in its hidden shown_ twin)."""
        if value is None:
            return ""
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def _typed(self, data, name):
        """Whether the person typed in this exact field: it is filled and differs from what the page showed."""
        value = (data.get(name) or "").strip()
        shown = (data.get(self.SHOWN[name]) or "").strip()
        if not value:
            return False
        field = self.fields[name]
        try:
            return field.to_python(value) != field.to_python(shown)
        except ValidationError:
            return value != shown

    def _typed_wins(self, data):
        """The data with the quick choice a typed value contradicts replaced by "other" or "exact",
        so the page shown again after a refusal selects what will be saved."""
        data = data.copy()
        if data.get("when") != "other" and (self._typed(data, "start_date") or self._typed(data, "start_time")):
            data["when"] = "other"
        if data.get("duration_choice") != "exact" and self._typed(data, "duration_minutes"):
            if data.get("duration_choice") == "ongoing":
                self.still_going_with_minutes = data.get("duration_minutes").strip()
            else:
                data["duration_choice"] = "exact"
        return data

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
        if choice == "ongoing" and self.still_going_with_minutes and "duration_minutes" not in self.errors:
            minutes = cleaned.get("duration_minutes")
            self.add_error(
                "duration_minutes",
                ValidationError(
                    f"Is it still going, or did it last {minutes} minute{'s' if minutes != 1 else ''}? "
                    f'To save {minutes} minute{"s" if minutes != 1 else ""}, choose "Exact length". '
                    "If it is still going, clear the minutes.",
                    code="still_going_with_minutes",
                ),
            )
        elif choice == "ongoing":
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

    def any_feature_chosen(self):
        return any(field.value() for field in self.feature_fields())


def _not_after_today(date, today, what):
    if date < timeutil.MIN_DATE:
        raise ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early")
    if date > today:
        raise ValidationError(f"{what} cannot be after today.", code="future")


NOTES_MESSAGES = {"max_length": "Notes can be at most %(limit_value)d characters; these have %(show_value)d."}
SESSION_MESSAGES = {
    "date": {
        "required": "Give the date of the session.",
        "invalid": "Give the date of the session as day, month and year.",
    },
    "units": {
        "required": "Give the total units of Botox: usually 155.",
        "invalid": "Give the units as a whole number, such as 155.",
        "min_value": "Units must be at least 1.",
        "max_value": f"Units can be at most {MAX_UNITS}: {DEFAULT_UNITS} plus up to {MAX_EXTRA_UNITS} follow-the-pain.",
    },
    "sites": {
        "required": "Give the number of injection sites: usually 31.",
        "invalid": "Give the injection sites as a whole number, such as 31.",
        "min_value": "Injection sites must be at least 1.",
        "max_value": f"Injection sites can be at most {MAX_SITES}: {DEFAULT_SITES} plus up to 8 follow-the-pain.",
    },
    "given_by": {"max_length": "“Given by” can be at most %(limit_value)d characters."},
    "notes": NOTES_MESSAGES,
}


class TreatmentSessionForm(PlainErrorsMixin, forms.ModelForm):
    duplicate_message = "You already have a treatment session on this date."

    class Meta:
        model = TreatmentSession
        fields = ["date", "units", "sites", "given_by", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = SESSION_MESSAGES

    # Sessions are about 12 weeks apart: one within this many days of another is probably a slip
    # (a form saved with today's date already filled in), so it needs a tick to be saved.
    CLOSE_DAYS = 28

    def __init__(self, *args, patient, today, **kwargs):
        self.patient = patient
        self.today = today
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["date"].initial = today
        # Shown only once a date close to another session is refused (clean_date).
        self.fields["date_is_right"] = forms.BooleanField(
            label="Yes, the date is right", required=False, widget=forms.HiddenInput
        )
        self.order_fields(["date", "date_is_right"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        _not_after_today(date, self.today, "A treatment session")
        others = TreatmentSession.objects.filter(patient=self.patient).exclude(pk=self.instance.pk)
        if others.filter(date=date).exists():
            raise ValidationError(self.duplicate_message, code="duplicate")
        window = (date - dt.timedelta(days=self.CLOSE_DAYS), date + dt.timedelta(days=self.CLOSE_DAYS))
        near = others.filter(date__range=window).order_by("date").first()
        if near is not None and not self.fields["date_is_right"].clean(self.data.get(self.add_prefix("date_is_right"))):
            self.fields["date_is_right"].widget = forms.CheckboxInput()
            apart = abs((date - near.date).days)
            raise ValidationError(
                f"This is only {apart} day{'s' if apart != 1 else ''} from the session of "
                f"{near.date.day} {near.date:%B %Y}; sessions are usually 12 weeks apart. Check the date, "
                "or tick \u201cYes, the date is right\u201d and save again.",
                code="close_to_another",
            )
        return date

    def save(self, commit=True):
        self.instance.patient = self.patient
        return super().save(commit)


class SideEffectReportForm(PlainErrorsMixin, forms.ModelForm):
    """A side effect after a session; its choices are large toggle buttons, as when logging a headache."""

    class Meta:
        model = SideEffectReport
        fields = ["effect", "severity", "started_on", "notes"]
        widgets = {
            "effect": forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            "severity": forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"effect": "What did you notice?", "severity": "How bad is it?", "notes": "Notes (optional)"}
        error_messages = {
            "effect": {
                "required": "Choose what you noticed, or “Something else”.",
                "invalid_choice": "Choose one of the side effects listed.",
            },
            "severity": {
                "required": "Choose how bad it is: mild, moderate or severe.",
                "invalid_choice": "Choose mild, moderate or severe.",
            },
            "started_on": {
                "required": "Give the date it started.",
                "invalid": "Give the date it started as day, month and year.",
            },
            "notes": NOTES_MESSAGES,
        }

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
                f"This session was on {self.session.date.day} {self.session.date:%B %Y}: give a date on or after it.",
                code="before_session",
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


# How a message names each question: the questions themselves are too long to repeat.
MIDAS_SHORT_NAMES = {
    "missed_work": "the days you missed work or school",
    "reduced_work": "the days your work or school was halved",
    "missed_household": "the days you did no household work",
    "reduced_household": "the days your household work was halved",
    "missed_social": "the days you missed family, social or leisure activities",
    "headache_days": "the days you had a headache",
}


def _midas_messages():
    messages = {
        name: {
            "required": f"Give {short}: 0 if none.",
            "invalid": f"Give {short} as a whole number: 0 if none.",
            "min_value": f"Give {short} as 0 or more.",
            "max_value": f"Give {short} as at most {MIDAS_MAX_DAYS}, the days in 3 months.",
        }
        for name, short in MIDAS_SHORT_NAMES.items()
    }
    messages["average_pain"] = {
        "required": "Give your average pain, from 0 (none) to 10 (the worst).",
        "invalid": "Give your average pain as a whole number from 0 to 10.",
        "min_value": "Give your average pain from 0 to 10.",
        "max_value": "Give your average pain from 0 to 10: 10 is the worst pain you can imagine.",
    }
    return messages


class MidasForm(PlainErrorsMixin, forms.ModelForm):
    """MIDAS: 5 scored questions about days lost to headache in 3 months, and 2 recorded ones."""

    class Meta:
        model = MidasAnswer
        fields = list(MIDAS_QUESTIONS)
        error_messages = _midas_messages()

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        for name, question in MIDAS_QUESTIONS.items():
            field = self.fields[name]
            field.label = question
            field.min_value = 0
            field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
            field.help_text = "0 to 10" if name == "average_pain" else "Days, 0 to 92"


def _extra_units_messages(muscle):
    return {
        "invalid": f"Give the {muscle} units as a whole number, or leave it empty.",
        "min_value": f"The {muscle} units cannot be below 0.",
        "max_value": f"Follow-the-pain adds at most {MAX_EXTRA_UNITS} units, so {muscle} can have at most "
        f"{MAX_EXTRA_UNITS}.",
    }


class ClinicSessionForm(TreatmentSessionForm):
    """A treatment session recorded by a clinician, with follow-the-pain units by muscle."""

    duplicate_message = "This patient already has a treatment session on this date."

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
        error_messages = {
            **SESSION_MESSAGES,
            "temporalis_extra_units": _extra_units_messages("temporalis"),
            "occipitalis_extra_units": _extra_units_messages("occipitalis"),
            "trapezius_extra_units": _extra_units_messages("trapezius"),
        }

    def clean(self):
        cleaned = super().clean()
        extras = [cleaned.get(name) or 0 for name in EXTRA_UNIT_FIELDS]
        if sum(extras) > MAX_EXTRA_UNITS:
            # On the first muscle given, so the summary links to the units to change; a field in
            # error also keeps the model's own check of the same rule from saying it again.
            first = next(name for name in EXTRA_UNIT_FIELDS if cleaned.get(name))
            self.add_error(
                first,
                ValidationError(
                    f"Follow-the-pain adds at most {MAX_EXTRA_UNITS} units in all; these add {sum(extras)}.",
                    code="too_many_extra_units",
                ),
            )
            return cleaned
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
