from django.utils.functional import SimpleLazyObject

from accounts import roles


def role(request):
    """The signed-in user's role for the navigation, worked out only if a template asks."""
    user = getattr(request, "user", None)  # none on an error page drawn before the auth middleware ran
    if user is None:
        return {"is_patient": False, "is_clinician": False}
    return {
        "is_patient": SimpleLazyObject(lambda: roles.is_patient(user)),
        "is_clinician": SimpleLazyObject(lambda: roles.is_clinician(user)),
    }
