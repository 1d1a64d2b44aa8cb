"""Every URL pattern of the project, for every kind of user, against one table of expected outcomes.

The URLs come from the resolver, not from a list: a URL that is in the project but not in the
table below fails `test_every_url_is_in_the_table`, so a new view cannot ship untested.

Roles, in the order of each row: the anonymous, patient A, patient B, a clinician A shares with,
a clinician A does not share with, an education editor, a superuser. Objects in URLs are A's.

Outcomes: a status code, or L (sent to sign in), AL (sent to the admin's sign-in), R (any other
redirect). Admin URLs are matched by app (`admin:diary_*`): every model of an app has the same
rules, and a new app's admin needs its own row.
"""

import datetime as dt
import fnmatch
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import PatientProfile
from clinic.models import AccessLogEntry, Share
from clinic.services import clinician_profile
from diary.models import (
    Factor,
    FactorCheckIn,
    HeadacheFreeDay,
    Medicine,
    MenstruationDay,
    MidasAnswer,
    PreventiveCourse,
)
from education.models import Section
from tests.conftest import make_user
from tests.diary.factories import attack, session, side_effect

ROLES = ("anon", "a", "b", "clin", "clin_other", "editor", "super")

# What a patient's own page gives each role: A and B see their own; clinicians and editors
# have no diary; the superuser is, to the diary, a patient.
OWN_DIARY = "L 200 200 403 403 403 200"
A_OBJECT = "L 200 404 403 403 403 404"
A_OBJECT_POST = "L R 404 403 403 403 404"
OWN_POST = "L R R 403 403 403 R"
SHARED_PATIENT = "L 404 404 200 404 404 404"
EVERYONE = "200 200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200 200"

# name -> (method, expected by role)
TABLE = {
    "home": ("get", EVERYONE),
    "healthz": ("get", EVERYONE),
    "start": ("get", "L R R R R R R"),
    "theme": ("post", "R R R R R R R"),  # saves the choice (the account's, or the browser's) and goes back
    "education:guide": ("get", EVERYONE),
    "education:search": ("get", EVERYONE),
    "education:section": ("get", EVERYONE),
    "diary:home": ("get", OWN_DIARY),
    "diary:headache_new": ("get", OWN_DIARY),
    "diary:headache_edit": ("get", A_OBJECT),
    "diary:headache_delete": ("get", A_OBJECT),
    "diary:headache_end": ("post", A_OBJECT_POST),
    "diary:headache_free_mark": ("post", OWN_POST),
    "diary:headache_free_unmark": ("post", OWN_POST),
    "diary:calendar": ("get", OWN_DIARY),
    "diary:day": ("get", OWN_DIARY),
    "diary:sessions": ("get", OWN_DIARY),
    "diary:session_new": ("get", OWN_DIARY),
    "diary:session_edit": ("get", A_OBJECT),
    "diary:session_delete": ("get", A_OBJECT),
    "diary:session_side_effects": ("get", A_OBJECT),
    "diary:side_effect_delete": ("get", A_OBJECT),
    "diary:progress": ("get", OWN_DIARY),
    "diary:progress_json": ("get", OWN_DIARY),
    "diary:report": ("get", OWN_DIARY),
    "diary:midas": ("get", OWN_DIARY),
    "diary:preventives": ("get", OWN_DIARY),
    "diary:preventive_new": ("get", OWN_DIARY),
    "diary:preventive_edit": ("get", A_OBJECT),
    "diary:preventive_stop": ("get", A_OBJECT),
    "diary:preventive_delete": ("get", A_OBJECT),
    # Periods, 2-hour answers, daily factors (issue #16)
    "diary:period_started": ("get", OWN_DIARY),
    "diary:period_day": ("post", OWN_POST),
    "diary:track_periods": ("post", OWN_POST),
    "diary:period_days_delete": ("post", OWN_POST),
    "diary:medicine_effect": ("get", A_OBJECT),
    "diary:checkin": ("get", OWN_DIARY),
    "diary:factors": ("get", OWN_DIARY),
    "diary:factor_add": ("post", OWN_POST),
    "diary:factor_delete": ("post", A_OBJECT_POST),
    "sharing:page": ("get", OWN_DIARY),
    "sharing:stop": ("post", A_OBJECT_POST),
    "diary:export": ("get", OWN_DIARY),
    "diary:import": ("get", OWN_DIARY),
    "clinic:worklist": ("get", "L 403 403 200 200 403 403"),
    "clinic:patient": ("get", SHARED_PATIENT),
    "clinic:patient_json": ("get", SHARED_PATIENT),
    "clinic:patient_report": ("get", SHARED_PATIENT),
    "clinic:patient_export": ("get", SHARED_PATIENT),
    "clinic:session_new": ("get", SHARED_PATIENT),
    "clinic:baseline": ("get", SHARED_PATIENT),
    "clinic:note_new": ("post", "L 404 404 R 404 404 404"),
    "clinic:preventive_new": ("get", SHARED_PATIENT),
    "clinic:preventive_edit": ("get", SHARED_PATIENT),
    "clinic:preventive_stop": ("get", SHARED_PATIENT),
    "clinic:preventive_delete": ("get", SHARED_PATIENT),
    "clinic:midas_new": ("get", SHARED_PATIENT),
    "login": ("get", EVERYONE),
    "signup": ("get", "200 R R R R R R"),
    "signup_sent": ("get", EVERYONE),
    "signup_confirm": ("get", EVERYONE),  # a link for no unconfirmed account: "This link does not work"
    "email_change_confirm": ("get", OWN_DIARY),  # likewise, for a patient with no change asked
    "profile": ("get", SIGNED_IN),
    "medicine_add": ("post", OWN_POST),
    "medicine_delete": ("post", A_OBJECT_POST),
    "two_factor": ("get", "L R R 200 R R R"),  # the clinician has recovery codes: asked for a code
    "two_factor_setup": ("get", SIGNED_IN),
    "two_factor_send_link": ("post", "L R R R R R R"),
    "two_factor_enrol": ("get", SIGNED_IN),  # a link for another account: "This link does not work"
    "data_download": ("get", OWN_DIARY),
    "signed_in_browsers": ("get", SIGNED_IN),
    "delete_account": ("get", OWN_DIARY),
    "logout": ("post", "R R R R R R R"),
    "password_change": ("get", SIGNED_IN),
    "password_change_done": ("get", SIGNED_IN),
    "password_reset": ("get", EVERYONE),
    "password_reset_done": ("get", EVERYONE),
    "password_reset_confirm": ("get", EVERYONE),
    "password_reset_complete": ("get", EVERYONE),
    # Django admin. Staff only; editors only the guide; patients' data read-only for superusers.
    "admin:index": ("get", "AL AL AL AL AL 200 200"),
    "admin:login": ("get", "200 200 200 200 200 R R"),
    "admin:logout": ("post", "R R R R R R R"),
    "admin:password_change": ("get", "AL AL AL AL AL 200 200"),
    "admin:password_change_done": ("get", "AL AL AL AL AL 200 200"),
    "admin:autocomplete": ("get", "AL AL AL AL AL 403 403"),
    "admin:jsi18n": ("get", "AL AL AL AL AL 200 200"),
    "admin:view_on_site": ("get", "AL AL AL AL AL R R"),
    "admin:app_list": ("get", "AL AL AL AL AL 404 200"),
    "admin:education_section_*": ("get", "AL AL AL AL AL 200 200"),
    "admin:auth_*": ("get", "AL AL AL AL AL 403 {super}"),
    "admin:otp_*": ("get", "AL AL AL AL AL 403 {super_no_add}"),
    "admin:axes_*": ("get", "AL AL AL AL AL 403 {super_no_add}"),
    "admin:diary_*": ("get", "AL AL AL AL AL 403 {super_readonly}"),
    "admin:accounts_*": ("get", "AL AL AL AL AL 403 {super_readonly}"),
    "admin:clinic_share_*": ("get", "AL AL AL AL AL 403 {super_no_change}"),
    "admin:clinic_*": ("get", "AL AL AL AL AL 403 {super_readonly}"),
    # Unnamed admin patterns: /admin/<app>/<model>/<id>/ redirects to the change page; the
    # catch-all gives 404 for staff.
    "admin/*/<path:object_id>/": ("get", "AL AL AL AL AL R R"),
    "admin/(?P<url>.*)$": ("get", "AL AL AL AL AL 404 404"),
}

# Superuser outcome by admin view, for models that are fully editable, read-only, or add/delete only.
SUPER = {"changelist": "200", "add": "200", "change": "200", "delete": "200", "history": "200"}
SUPER_READONLY = {"changelist": "200", "add": "403", "change": "200", "delete": "403", "history": "200"}
SUPER_NO_ADD = {"changelist": "200", "add": "403", "change": "200", "delete": "200", "history": "200"}
SUPER_NO_CHANGE = {"changelist": "200", "add": "200", "change": "200", "delete": "200", "history": "200"}
SUPER_EXTRA = {"password_change": "200", "config": "200", "qrcode": "200", "simple_history": "200"}


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route


def project_urls():
    seen = {}
    for key, route in walk(get_resolver().url_patterns):
        seen.setdefault(key, route)
    return seen


def table_key(key):
    if key in TABLE:
        return key
    matches = [pattern for pattern in TABLE if "*" in pattern and fnmatch.fnmatchcase(key, pattern)]
    return max(matches, key=len) if matches else None  # the most specific pattern wins


def test_every_url_is_in_the_table():
    missing = [key for key in project_urls() if table_key(key) is None]
    assert missing == [], f"URLs with no expected outcomes in the access matrix: {missing}"


def test_the_table_has_no_stale_rows():
    keys = list(project_urls())
    stale = [row for row in TABLE if not any(table_key(key) == row for key in keys)]
    assert stale == []


# ---------------------------------------------------------------- the requests


@pytest.fixture
def world(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False)
    a = make_user("a@example.com", first_name="Ann")
    users = {
        "a": a,
        "b": make_user("b@example.com"),
        "clin": make_user("clin@example.com", role="clinician"),
        "clin_other": make_user("other@example.com", role="clinician"),
        "editor": make_user("ed@example.com", role="editor"),
        "super": make_user("root@example.com", is_staff=True, is_superuser=True),
    }
    PatientProfile.objects.create(user=a)
    treatment = session(a, "2026-10-01")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    objects = {
        "attack": attack(a, "2026-10-10"),
        "session": treatment,
        "side_effect": side_effect(a, treatment),
        "medicine": Medicine.objects.create(patient=a, name="Sumatriptan", medicine_class="triptan"),
        "factor": Factor.objects.create(patient=a, name="Stress"),
        "checkin": FactorCheckIn.objects.create(patient=a, date=dt.date(2026, 10, 12), listed=["Stress"], present=[]),
        "period_day": MenstruationDay.objects.create(patient=a, date=dt.date(2026, 10, 13)),
        "midas": MidasAnswer.objects.create(
            patient=a,
            answered_on=dt.date(2026, 10, 14),
            missed_work=0,
            reduced_work=0,
            missed_household=0,
            reduced_household=0,
            missed_social=0,
            headache_days=0,
            average_pain=0,
        ),
        "share": Share.objects.create(patient=a, clinician=users["clin"]),
        "mark": HeadacheFreeDay.objects.create(patient=a, date=dt.date(2026, 10, 11)),
        "section": Section.objects.get(slug="introduction"),
        "totp": TOTPDevice.objects.create(user=users["clin"], name="app", confirmed=False),
        "log": AccessLogEntry.objects.create(clinician=users["clin"], clinician_name="C", patient=a, what="page"),
        "static": StaticDevice.objects.create(user=users["clin"], name="Recovery codes"),
        "course": PreventiveCourse.objects.create(
            patient=a, name="Topiramate", drug_class="antiepileptic", start=dt.date(2026, 7, 1)
        ),
    }
    common = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "x", "http_accept": "*/*", "path_info": "/"}
    objects["axes_accessattempt"] = AccessAttempt.objects.create(
        get_data="", post_data="", failures_since_start=1, **common
    )
    objects["axes_accesslog"] = AccessLog.objects.create(**common)
    objects["axes_accessfailurelog"] = AccessFailureLog.objects.create(**common)
    return users, objects


PARAMS = {
    "education:section": lambda o, u: {"slug": "introduction"},
    "diary:headache_edit": lambda o, u: {"pk": o["attack"].pk},
    "diary:headache_delete": lambda o, u: {"pk": o["attack"].pk},
    "diary:headache_end": lambda o, u: {"pk": o["attack"].pk},
    "diary:day": lambda o, u: {"date": "2026-10-10"},
    "diary:session_edit": lambda o, u: {"pk": o["session"].pk},
    "diary:session_delete": lambda o, u: {"pk": o["session"].pk},
    "diary:session_side_effects": lambda o, u: {"pk": o["session"].pk},
    "diary:side_effect_delete": lambda o, u: {"pk": o["side_effect"].pk},
    "sharing:stop": lambda o, u: {"pk": o["share"].pk},
    "medicine_delete": lambda o, u: {"pk": o["medicine"].pk},
    **{
        f"diary:{name}": (lambda o, u: {"pk": o["course"].pk})
        for name in ["preventive_edit", "preventive_stop", "preventive_delete"]
    },
    **{
        f"clinic:{name}": (lambda o, u: {"pk": u["a"].pk, "course": o["course"].pk})
        for name in ["preventive_edit", "preventive_stop", "preventive_delete"]
    },
    "diary:medicine_effect": lambda o, u: {"pk": o["attack"].pk},
    "diary:factor_delete": lambda o, u: {"pk": o["factor"].pk},
    **{
        f"clinic:{name}": (lambda o, u: {"pk": u["a"].pk})
        for name in [
            "patient",
            "patient_json",
            "patient_report",
            "patient_export",
            "session_new",
            "baseline",
            "note_new",
            "preventive_new",
            "midas_new",
        ]
    },
    "password_reset_confirm": lambda o, u: {"uidb64": "MQ", "token": "set-password"},
    "two_factor_enrol": lambda o, u: {"uidb64": "MQ", "token": "not-a-token"},
    "signup_confirm": lambda o, u: {"uidb64": "MQ", "token": "not-a-token"},
    "email_change_confirm": lambda o, u: {"uidb64": "MQ", "token": "not-a-token"},
    "admin:view_on_site": lambda o, u: {
        "content_type_id": ContentType.objects.get_for_model(Section).pk,
        "object_id": o["section"].pk,
    },
    "admin:app_list": lambda o, u: {"app_label": "diary"},
    "admin:auth_user_password_change": lambda o, u: {"id": u["a"].pk},
    "admin:otp_totp_totpdevice_config": lambda o, u: {"pk": o["totp"].pk},
    "admin:otp_totp_totpdevice_qrcode": lambda o, u: {"pk": o["totp"].pk},
}

POST_DATA = {
    "diary:headache_free_mark": {"dates": "2026-10-12"},
    "diary:headache_free_unmark": {"dates": "2026-10-11"},
    "medicine_add": {"name": "Naproxen", "medicine_class": "simple_analgesic"},
    "diary:period_day": {"date": "2026-10-12", "action": "add"},
    "diary:track_periods": {"answer": "yes"},
    "diary:factor_add": {"factor-name": "Bright light"},
    "clinic:note_new": {"text": "A note"},
}

ADMIN_OBJECTS = {
    "auth_user": lambda o, u: u["a"].pk,
    "auth_group": lambda o, u: __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.first().pk,
    "otp_totp_totpdevice": lambda o, u: o["totp"].pk,
    "education_section": lambda o, u: o["section"].pk,
    "diary_attack": lambda o, u: o["attack"].pk,
    "diary_treatmentsession": lambda o, u: o["session"].pk,
    "diary_sideeffectreport": lambda o, u: o["side_effect"].pk,
    "diary_medicine": lambda o, u: o["medicine"].pk,
    "diary_headachefreeday": lambda o, u: o["mark"].pk,
    "diary_factor": lambda o, u: o["factor"].pk,
    "diary_factorcheckin": lambda o, u: o["checkin"].pk,
    "diary_menstruationday": lambda o, u: o["period_day"].pk,
    "diary_midasanswer": lambda o, u: o["midas"].pk,
    "diary_preventivecourse": lambda o, u: o["course"].pk,
    "accounts_patientprofile": lambda o, u: u["a"].patient_profile.pk,
    "clinic_share": lambda o, u: o["share"].pk,
    "clinic_clinicianprofile": lambda o, u: clinician_profile(u["clin"]).pk,
    "clinic_accesslogentry": lambda o, u: o["log"].pk,
    "otp_static_staticdevice": lambda o, u: o["static"].pk,
    "axes_accessattempt": lambda o, u: o["axes_accessattempt"].pk,
    "axes_accesslog": lambda o, u: o["axes_accesslog"].pk,
    "axes_accessfailurelog": lambda o, u: o["axes_accessfailurelog"].pk,
}


def _admin_model(name):
    """('diary_attack', 'change') from 'admin:diary_attack_change'."""
    body = name.split(":", 1)[1]
    for model in sorted(ADMIN_OBJECTS, key=len, reverse=True):
        if body.startswith(model + "_"):
            return model, body[len(model) + 1 :]
    return None, None


def build_url(key, route, objects, users):
    if key in PARAMS:
        return reverse(key, kwargs=PARAMS[key](objects, users))
    if key == "admin:education_section_simple_history":
        section = objects["section"]
        return reverse(key, args=[section.pk, section.history.earliest().history_id])
    if key.startswith("admin:"):
        model, view = _admin_model(key)
        if view in ("change", "delete", "history"):
            object_id = ADMIN_OBJECTS[model](objects, users) if model in ADMIN_OBJECTS else 999999
            return reverse(key, kwargs={"object_id": object_id})
        return reverse(key)
    if key.startswith("admin/") and "<path:object_id>" in route:
        return "/" + route.replace("<path:object_id>", str(objects["attack"].pk))
    if key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    return reverse(key)


def expected_for(key, row_key, role):
    method, spec = TABLE[row_key]
    outcome = spec.split()[ROLES.index(role)]
    if outcome.startswith("{"):
        _, view = _admin_model(key)
        table = {
            "{super}": SUPER,
            "{super_readonly}": SUPER_READONLY,
            "{super_no_change}": SUPER_NO_CHANGE,
            "{super_no_add}": SUPER_NO_ADD,
        }[outcome]
        outcome = table.get(view) or SUPER_EXTRA[view]
    return method, outcome


def outcome_of(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "AL"
        if location.startswith("/accounts/login/"):
            return "L"
        return "R"
    return str(response.status_code)


def _urls():
    return sorted(project_urls().items())


@pytest.mark.parametrize(("key", "route"), _urls(), ids=[key for key, _ in _urls()])
def test_access_matrix(world, key, route):
    users, objects = world
    row_key = table_key(key)
    assert row_key is not None, f"{key} is not in the access matrix"
    url = build_url(key, route, objects, users)
    got, want = {}, {}
    # Patient A last: their requests may change A's objects.
    for role in ("anon", "b", "clin", "clin_other", "editor", "super", "a"):
        client = Client()
        if role != "anon":
            client.force_login(users[role])
        method, expected = expected_for(key, row_key, role)
        if method == "post":
            response = client.post(url, POST_DATA.get(key, {}))
        else:
            response = client.get(url)
        got[role], want[role] = outcome_of(response), expected
    assert got == want, f"{key} ({url})"


def test_the_matrix_walks_more_than_a_hundred_urls():
    assert len(project_urls()) > 100
    assert all(re.match(r"^[\w:/<>()?.*^$\[\]|+\\-]+$", key) for key in project_urls())
