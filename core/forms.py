"""Form messages in our own words, for every form of every app."""

from django import forms
from django.core.exceptions import FieldDoesNotExist

# Django's own messages ("This field is required.", "Ensure this value is less than or equal to
# 195.", "Select a valid choice.") name no answer and read like a program. Each form says in its
# own words what is wrong with which answer (Meta.error_messages, or a field's error_messages);
# whatever it leaves out falls back to these, made from the field's label. Errors raised by the
# model (its validators, on ModelForms) take the form field's message for the same code.
_DECIMAL_CODES = {"max_digits", "max_decimal_places", "max_whole_digits"}


def _fallback_message(field, code, label):
    if code == "required":
        if isinstance(field, (forms.ChoiceField, forms.BooleanField)):
            return f"Choose an answer for “{label}”."
        return f"Fill in “{label}”."
    if code == "invalid":
        if isinstance(field, forms.EmailField):
            return "Give an email address such as name@example.com."
        if isinstance(field, forms.IntegerField) and not isinstance(field, (forms.DecimalField, forms.FloatField)):
            return f"“{label}” must be a whole number, such as 12."
        if isinstance(field, (forms.DecimalField, forms.FloatField)):
            return f"“{label}” must be a number, such as 18.5."
        if isinstance(field, forms.DateField):
            return f"“{label}” must be a date: day, month and year."
        if isinstance(field, forms.TimeField):
            return f"“{label}” must be a time, such as 14:30."
        return f"We could not read “{label}”: check it and try again."
    messages = {
        "invalid_choice": f"Choose one of the answers listed for “{label}”.",
        "invalid_list": f"Choose one of the answers listed for “{label}”.",
        "max_value": f"“{label}” can be at most %(limit_value)s.",
        "min_value": f"“{label}” must be at least %(limit_value)s.",
        "step_size": f"“{label}” must be a multiple of %(limit_value)s.",
        "max_length": f"“{label}” can be at most %(limit_value)d characters; this has %(show_value)d.",
        "min_length": f"“{label}” needs at least %(limit_value)d characters; this has %(show_value)d.",
        "max_digits": f"“{label}” can have at most one decimal and %(max)s digits in all, such as 18.5."
        if getattr(field, "decimal_places", None) == 1
        else f"“{label}” can have at most %(max)s digits in all.",
        "max_whole_digits": f"“{label}” is too large.",
        "max_decimal_places": f"“{label}” can have at most one decimal, for example 18.5."
        if getattr(field, "decimal_places", None) == 1
        else f"“{label}” can have at most %(max)s decimals.",
        "null_characters_not_allowed": f"“{label}” holds a character we cannot keep: type it again.",
    }
    return messages.get(code)


def _django_default(field, code):
    """The message Django's own field classes give this code (ours, such as TimeZoneField's, are kept)."""
    for klass in type(field).__mro__:
        if klass.__module__.startswith("django."):
            message = klass.__dict__.get("default_error_messages", {}).get(code)
            if message is not None:
                return str(message)
    return None


def _validator_codes(validators):
    codes = set()
    for validator in validators:
        if hasattr(validator, "messages"):  # DecimalValidator: one code per message
            codes |= set(validator.messages)
        elif getattr(validator, "code", None):
            codes.add(validator.code)
    return codes


def plain_error_messages(form, names=None):
    """Give every field of the form a plain, field-specific message for each error it can raise.

    names maps a field to the words a message uses for it when its label is a long question.
    Messages the form gave itself are kept.
    """
    names = names or {}
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        label = names.get(name) or str(field.label or name.replace("_", " ").capitalize()).rstrip(" ?:")
        codes = set(field.error_messages) | _validator_codes(field.validators)
        if isinstance(field, forms.DecimalField):
            codes |= _DECIMAL_CODES
        if model is not None:
            try:
                codes |= _validator_codes(model._meta.get_field(name).validators)
            except FieldDoesNotExist:  # a form's own field, such as the profile's email
                pass
        for code in codes:
            current = field.error_messages.get(code)
            if current is None or str(current) == _django_default(field, code):
                message = _fallback_message(field, code, label)
                if message is not None:
                    field.error_messages[code] = message


class PlainErrorsMixin:
    """A form whose every message is in our words (see plain_error_messages).

    Applied when the form is checked, after the form's own __init__ has set its labels.
    """

    error_names = {}

    def full_clean(self):
        plain_error_messages(self, self.error_names)
        super().full_clean()
