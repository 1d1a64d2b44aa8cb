"""Forms for periods, the 2-hour answers and daily factors. They read what was sent; the rules
(no date after today, the list's limits) are diary.tracking's, whose refusals the views put next
to the field at fault."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import PlainErrorsMixin
from diary.models import FACTOR_NAME_LENGTH, SUGGESTED_FACTORS, EffectAnswer
from diary.tracking import MAX_PERIOD_DAYS, answer_field

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrackPeriodsForm(forms.Form):
    answer = forms.ChoiceField(
        label="Do you want to track your periods?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no.", "invalid_choice": "Choose yes or no."},
    )


class PeriodStartedForm(PlainErrorsMixin, forms.Form):
    start = forms.DateField(
        label="The day it started",
        widget=DATE_WIDGET,
        error_messages={
            "required": "Give the day your period started.",
            "invalid": "Give the day your period started as day, month and year.",
        },
    )
    days = forms.IntegerField(
        label="For how many days? (optional)",
        required=False,
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        help_text="Only if you know: 5 marks the first day and the 4 after it. Empty marks the first day only.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_PERIOD_DAYS}),
        error_messages={
            "invalid": "Give the number of days as a whole number, such as 5, or leave it empty.",
            "min_value": "Give at least 1 day, or leave it empty.",
            "max_value": f"Give at most {MAX_PERIOD_DAYS} days, or leave it empty for the first day only.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = today
        self.fields["start"].widget.attrs["max"] = today.isoformat()


class PeriodDayForm(forms.Form):
    """One day marked as a period day, or its mark removed (a one-tap button)."""

    date = forms.DateField(error_messages={"required": "Choose a day.", "invalid": "That is not a date we understand."})
    action = forms.ChoiceField(
        choices=[("add", "add"), ("remove", "remove")],
        error_messages={"required": "Choose add or remove.", "invalid_choice": "Choose add or remove."},
    )


class MedicineEffectForm(PlainErrorsMixin, forms.Form):
    """ "2 hours after taking it, was the pain: gone / better / the same / worse", per medicine taken.

    One optional choice per medicine of the attack (field answer-<id>); an answer for any other
    medicine is refused as a whole, since the page it came from is not this attack's.
    """

    def __init__(self, *args, medicines, **kwargs):
        super().__init__(*args, **kwargs)
        self.medicines = list(medicines)
        for medicine in self.medicines:
            self.fields[answer_field(medicine.pk)] = forms.ChoiceField(
                label=str(medicine),
                choices=EffectAnswer.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=medicine.answer or None,
                error_messages={"invalid_choice": "Choose gone, better, the same or worse."},
            )

    def clean(self):
        cleaned = super().clean()
        known = set(self.fields)
        if any(key.startswith("answer-") and key not in known for key in self.data):
            raise ValidationError(
                "One of these answers is for a medicine you did not log for this headache (the page may be out "
                "of date): nothing was saved. Here are the medicines you logged.",
                code="not_taken",
            )
        return cleaned

    def sent_answers(self):
        """{medicine id: answer or ""} for each medicine whose choice the form carried.

        A medicine left without a choice keeps its answer: the home page's reminder asks only about
        those not answered yet.
        """
        answers = {}
        for medicine in self.medicines:
            name = answer_field(medicine.pk)
            if name in self.data:
                answers[medicine.pk] = self.cleaned_data.get(name) or ""
        return answers

    def effect_items(self):
        """(medicine, its bound field) in the order taken."""
        return [(medicine, self[answer_field(medicine.pk)]) for medicine in self.medicines]


class FactorAddForm(PlainErrorsMixin, forms.Form):
    suggested = forms.MultipleChoiceField(
        label="Suggestions",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from the suggestions shown.",
            "invalid_list": "Choose from the suggestions shown.",
        },
    )
    name = forms.CharField(
        label="Another factor (optional)",
        required=False,
        max_length=FACTOR_NAME_LENGTH,
        help_text=f"In your own words, at most {FACTOR_NAME_LENGTH} characters: for example “Long screen time”.",
        error_messages={
            "max_length": f"A factor's name can be at most {FACTOR_NAME_LENGTH} characters; this has %(show_value)d. "
            "Shorten it.",
            "null_characters_not_allowed": "The name has a character we cannot keep: type it again.",
        },
    )

    def __init__(self, *args, listed, **kwargs):
        # On the profile page beside the usual medicines' form, whose field is also "name".
        kwargs.setdefault("prefix", "factor")
        super().__init__(*args, **kwargs)
        on_list = {name.casefold() for name in listed}
        suggestions = [name for name in SUGGESTED_FACTORS if name.casefold() not in on_list]
        self.fields["suggested"].choices = [(name, name) for name in suggestions]

    def names(self):
        return [*self.cleaned_data["suggested"], self.cleaned_data["name"]]


class CheckInForm(PlainErrorsMixin, forms.Form):
    date = forms.DateField(
        label="Which day?",
        widget=DATE_WIDGET,
        error_messages={
            "required": "Give the day you are checking in for.",
            "invalid": "Give the day as day, month and year.",
        },
    )
    present = forms.MultipleChoiceField(
        label="Which of these were there that day?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose factors from your own list (it may have changed: here it is again).",
            "invalid_list": "Choose factors from your own list.",
        },
    )

    def __init__(self, *args, listed, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(name, name) for name in listed]
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()
