from django.utils.functional import SimpleLazyObject

from diary import roles


def role(request):
    """The signed-in user's role for the navigation, worked out only if a template asks."""
    user = request.user
    return {
        "is_patient": SimpleLazyObject(lambda: roles.is_patient(user)),
        "is_clinician": SimpleLazyObject(lambda: roles.is_clinician(user)),
    }
