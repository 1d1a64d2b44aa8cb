"""The forms of other preventive treatments: a course (added or changed) and "it has stopped".

Used by the patient (diary.preventive_views) and by a clinician the patient shares with
(clinic.preventive_views). CLINICAL.md "Other preventive treatments": a stop date on or after the
start, a reason exactly when there is a stop date, nothing dated after the patient's today.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from core import timeutil
from core.forms import PlainErrorsMixin
from diary import presentation
from diary.models import PreventiveClass, PreventiveCourse, StopReason

# The common preventives of CLINICAL.md by type, offered as the name is typed (a <datalist>, plain
# HTML) and listed beside each type, so that no one needs JavaScript to find them.
SUGGESTIONS = {
    PreventiveClass.CGRP_ANTIBODY: [
        "Erenumab (Aimovig)",
        "Fremanezumab (Ajovy)",
        "Galcanezumab (Emgality)",
        "Eptinezumab (Vyepti)",
    ],
    PreventiveClass.GEPANT_PREVENTIVE: ["Atogepant (Aquipta)", "Rimegepant (Vydura)"],
    PreventiveClass.BETA_BLOCKER: ["Propranolol", "Metoprolol"],
    PreventiveClass.ANTIEPILEPTIC: ["Topiramate", "Sodium valproate"],
    PreventiveClass.ANTIDEPRESSANT: ["Amitriptyline", "Nortriptyline", "Venlafaxine"],
    PreventiveClass.CANDESARTAN: ["Candesartan"],
    PreventiveClass.FLUNARIZINE: ["Flunarizine"],
}
# A word of the name (generic or brand, any letter case) that tells its type when none is chosen.
_TYPE_OF_WORD = {
    word: drug_class
    for drug_class, words in {
        PreventiveClass.CGRP_ANTIBODY: "erenumab aimovig fremanezumab ajovy galcanezumab emgality eptinezumab vyepti",
        PreventiveClass.GEPANT_PREVENTIVE: "atogepant aquipta qulipta rimegepant vydura nurtec",
        PreventiveClass.BETA_BLOCKER: "propranolol inderal metoprolol",
        PreventiveClass.ANTIEPILEPTIC: "topiramate topamax valproate epilim depakote",
        PreventiveClass.ANTIDEPRESSANT: "amitriptyline nortriptyline venlafaxine efexor",
        PreventiveClass.CANDESARTAN: "candesartan amias",
        PreventiveClass.FLUNARIZINE: "flunarizine sibelium",
    }.items()
    for word in words.split()
}


def type_of_name(name):
    """The type of a medicine named as the suggestions name it ("Topiramate 50 mg"), or None."""
    found = {_TYPE_OF_WORD[word] for word in re.findall(r"[a-z]+", name.casefold()) if word in _TYPE_OF_WORD}
    return found.pop() if len(found) == 1 else None


def suggestion_names():
    return [name for names in SUGGESTIONS.values() for name in names]


# "Still taking it?" holds the reason, so that a tap chosen by mistake can be undone without
# JavaScript (a radio button cannot be cleared): the first answer is "no reason, still taking it".
STILL_TAKING = [
    ("", "Still taking it"),
    (StopReason.NOT_EFFECTIVE, "Stopped: it did not help enough"),
    (StopReason.SIDE_EFFECTS, "Stopped: side effects"),
    (StopReason.OTHER, "Stopped for another reason"),
]
STOP_REASONS = [
    (StopReason.NOT_EFFECTIVE, "It did not help enough"),
    (StopReason.SIDE_EFFECTS, "Side effects"),
    (StopReason.OTHER, "Another reason"),
]


def _date_widget(today):
    return forms.DateInput(attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d")


def _check_date(date, today, future_message):
    if date < timeutil.MIN_DATE:
        raise ValidationError(timeutil.MIN_DATE_MESSAGE, code="too_early")
    if date > today:
        raise ValidationError(future_message, code="future")
    return date


START_FUTURE = "The start cannot be after today: give the day it was started."
STOP_FUTURE = "The stop cannot be after today: give the day it was stopped, or leave it empty if it is still taken."
STOPPED_FUTURE = "That is after today: give the day it was stopped."


def stop_before_start(start):
    return f"It cannot have stopped before it started ({presentation.long_date(start)}): check both dates."


class PreventiveCourseForm(PlainErrorsMixin, forms.ModelForm):
    """A course of a preventive medicine other than Botox, added or changed."""

    stop_reason = forms.ChoiceField(
        label="Still taking it?",
        choices=STILL_TAKING,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
        error_messages={"invalid_choice": "Choose “Still taking it” or one of the reasons it was stopped."},
    )

    class Meta:
        model = PreventiveCourse
        fields = ["name", "drug_class", "start", "stop_reason", "stop", "notes"]
        labels = {
            "name": "Medicine",
            "drug_class": "Type of medicine",
            "start": "Started on",
            "stop": "Stopped on",
            "notes": "Notes (optional)",
        }
        help_texts = {
            "name": "Start typing for suggestions, or write it as on the box.",
            "drug_class": "Not sure? For a medicine suggested above, leave it: we fill it in.",
            "start": "Not sure of the day? Give the 1st of the month.",
            "stop": "Only if it was stopped. Medicines stopped before your first Botox session, because they "
            "did not help or had side effects, are the ones clinics count when deciding on Botox.",
            "notes": "For example the dose.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"list": "preventive-names", "autocomplete": "off"}),
            "drug_class": forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "name": {
                "required": "Give the medicine's name, for example Topiramate.",
                "max_length": "A medicine's name can be at most %(limit_value)d characters; this has %(show_value)d.",
            },
            "drug_class": {
                "required": "Choose the type of medicine, or “Other” if it is not listed.",
                "invalid_choice": "Choose one of the types listed, or “Other”.",
            },
            "start": {
                "required": "Give the day it was started.",
                "invalid": "Give the day it was started as day, month and year.",
            },
            "stop": {"invalid": "Give the day it was stopped as day, month and year."},
            "notes": {"max_length": "Notes can be at most %(limit_value)d characters; these have %(show_value)d."},
        }

    def __init__(self, *args, patient, today, **kwargs):
        self.patient = patient
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["drug_class"].required = False  # filled in from the name when it tells (clean_drug_class)
        self.fields["drug_class"].choices = [c for c in self.fields["drug_class"].choices if c[0] != ""]
        for name in ("start", "stop"):
            self.fields[name].widget = _date_widget(today)
        if self.instance.pk is None:
            self.fields["start"].initial = today

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_drug_class(self):
        chosen = self.cleaned_data.get("drug_class")
        if chosen:
            return chosen
        guessed = type_of_name(self.cleaned_data.get("name") or "")
        if guessed is None:
            raise ValidationError(self.fields["drug_class"].error_messages["required"], code="required")
        return guessed

    def clean_start(self):
        return _check_date(self.cleaned_data["start"], self.today, START_FUTURE)

    def clean_stop(self):
        stop = self.cleaned_data.get("stop")
        return None if stop is None else _check_date(stop, self.today, STOP_FUTURE)

    def clean(self):
        cleaned = super().clean()
        if "stop" not in self.errors and "stop_reason" not in self.errors:
            self._check_stop(cleaned.get("start"), cleaned.get("stop"), cleaned.get("stop_reason"))
        name, start = cleaned.get("name"), cleaned.get("start")
        if name and start is not None and "name" not in self.errors:
            # The same course twice is a double tap, or one entered by the patient and the clinician.
            others = PreventiveCourse.objects.filter(patient=self.patient, start=start).exclude(pk=self.instance.pk)
            if any(other.name.strip().casefold() == name.casefold() for other in others):
                message = f"{name} started on {presentation.long_date(start)} is already in the list."
                self.add_error("name", ValidationError(message, code="duplicate"))
        return cleaned

    def _check_stop(self, start, stop, reason):
        if stop is not None and start is not None and stop < start:
            self.add_error("stop", ValidationError(stop_before_start(start), code="before_start"))
        elif reason and stop is None:
            message = "Give the day it was stopped, or choose “Still taking it”."
            self.add_error("stop", ValidationError(message, code="no_stop"))
        elif stop is not None and not reason:
            message = "Choose why it was stopped, or clear “Stopped on” if it is still taken."
            self.add_error("stop_reason", ValidationError(message, code="no_reason"))

    def save(self, commit=True):
        self.instance.patient = self.patient
        self.instance.stop_reason = self.cleaned_data.get("stop_reason") or ""
        return super().save(commit)


class StopCourseForm(PlainErrorsMixin, forms.Form):
    """A course has stopped: the day and why."""

    stop = forms.DateField(
        label="Stopped on",
        error_messages={
            "required": "Give the day it was stopped.",
            "invalid": "Give the day it was stopped as day, month and year.",
        },
    )
    stop_reason = forms.ChoiceField(
        label="Why was it stopped?",
        choices=STOP_REASONS,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
        error_messages={
            "required": "Choose why it was stopped: it did not help enough, side effects, or another reason.",
            "invalid_choice": "Choose one of the reasons listed.",
        },
    )

    def __init__(self, *args, course, today, **kwargs):
        self.course = course
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["stop"].widget = _date_widget(today)
        self.fields["stop"].initial = today

    def clean_stop(self):
        stop = _check_date(self.cleaned_data["stop"], self.today, STOPPED_FUTURE)
        if stop < self.course.start:
            raise ValidationError(stop_before_start(self.course.start), code="before_start")
        return stop
