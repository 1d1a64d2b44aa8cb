"""The browsers signed in to an account: listed on the profile, with "sign out everywhere else".

Each session keeps a short description of its browser ("Firefox on Android", never the whole
User-Agent) from sign-in, and the time of its last request to within SESSION_TOUCH_SECONDS
(accounts.security keeps `_last_touch` up to date).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.sessions import SessionStore, UserSession, end_sessions

DEVICE_KEY = "_device"

_BROWSERS = (  # order matters: Edge and Opera also say Chrome, Chrome also says Safari
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
)


def describe_device(user_agent):
    """'Firefox on Android', from a User-Agent header; 'A browser' when it says nothing we know."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "A browser")


def trim_sessions(user, keep):
    """At sign-in: an account keeps at most `keep` signed-in browsers, the new one included; the
    ones unused longest are signed out (sign-ins in a loop cannot fill the session table)."""
    stale = UserSession.objects.filter(user=user).order_by("-expire_date").values_list("pk", flat=True)[keep - 1 :]
    end_sessions(list(stale))


def remember_device(request):
    """At sign-in: note which browser this session is (for the list below)."""
    request.session[DEVICE_KEY] = describe_device(request.META.get("HTTP_USER_AGENT"))


def _signed_in_sessions(user):
    """(key, device, last seen) of the user's live sessions, newest first. A user has a handful."""
    rows = UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    )
    store = SessionStore()
    sessions = []
    for key, data in rows:
        decoded = store.decode(data)
        touched = decoded.get("_last_touch")
        last_seen = dt.datetime.fromtimestamp(touched, tz=dt.UTC) if touched else None
        sessions.append((key, decoded.get(DEVICE_KEY) or "A browser", last_seen))
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(sessions, key=lambda row: row[2] or oldest, reverse=True)


@login_required
def signed_in_browsers(request):
    current = request.session.session_key
    if request.method == "POST":
        others = list(
            UserSession.objects.filter(user=request.user).exclude(session_key=current).values_list("pk", flat=True)
        )
        end_sessions(others)
        removed = len(others)
        if removed:
            messages.success(request, f"Signed out of {removed} other browser{'s' if removed != 1 else ''}.")
        else:
            messages.info(request, "No other browser was signed in.")
        return redirect("signed_in_browsers")
    sessions = [
        {"device": device, "last_seen": last_seen, "current": key == current}
        for key, device, last_seen in _signed_in_sessions(request.user)
    ]
    others = sum(1 for session in sessions if not session["current"])
    return render(request, "registration/signed_in_browsers.html", {"sessions": sessions, "others": others})
