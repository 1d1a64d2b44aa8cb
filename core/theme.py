"""The page colours of a request: light, dim (dark), or the same as the device.

A signed-in person's choice is their account's (accounts.DisplayPreference), copied into the
session at sign-in and when changed, so a page costs no query for it. The browser also keeps the
last choice made on it in a cookie, for pages seen while signed out. Pages carry the theme in
<html data-bs-theme> (Bootstrap 5.3's colour modes); "system" follows prefers-color-scheme with
CSS alone (static/css/theme-auto.css), so nothing here needs JavaScript.
"""

from django.db import models

SESSION_KEY = "theme"
COOKIE_NAME = "theme"
COOKIE_AGE = 365 * 24 * 3600


class Theme(models.TextChoices):
    SYSTEM = "system", "Same as my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dim (dark)"


def current(request):
    """The theme of this request's page: the account's, else this browser's, else the device's."""
    session = getattr(request, "session", None)
    for value in (session.get(SESSION_KEY) if session is not None else None, request.COOKIES.get(COOKIE_NAME)):
        if value in Theme.values:
            return value
    return Theme.SYSTEM
