from functools import cache

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from diary import roles

NAV_NAMES = [
    "home",
    "education:guide",
    "diary:home",
    "diary:progress",
    "diary:calendar",
    "diary:sessions",
    "diary:sharing",
    "clinic:worklist",
    "profile",
    "admin:index",
    "logout",
    "signup",
    "login",
]


@cache
def _nav_urls():
    # reverse() costs about 0.1 ms; the layout needs a dozen on every page, always the same.
    return {name.replace(":", "_"): reverse(name) for name in NAV_NAMES}


def nav(request):
    return {"nav": _nav_urls()}


def role(request):
    """The signed-in user's role for the navigation, worked out only if a template asks."""
    user = request.user
    return {
        "is_patient": SimpleLazyObject(lambda: roles.is_patient(user)),
        "is_clinician": SimpleLazyObject(lambda: roles.is_clinician(user)),
    }
