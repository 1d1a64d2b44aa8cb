"""Django's sessions with the user beside them (accounts.sessions): the same rules as Django's."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import PatientProfile, UserSession
from accounts.roles import assign_role
from accounts.sessions import SessionStore, end_sessions


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_session_row_knows_its_user_and_signing_out_removes_it(patient):
    client = signed_in(patient)
    assert UserSession.objects.filter(user=patient).count() == 1
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=patient).exists()


def test_a_deactivated_account_is_signed_out_at_its_next_request(patient):
    client = signed_in(patient)
    assert client.get("/diary/").status_code == 200
    get_user_model().objects.filter(pk=patient.pk).update(is_active=False)
    assert client.get("/diary/").status_code == 302


def test_a_new_role_shows_at_the_next_request(patient, clinician):
    client = signed_in(patient)
    assert client.get("/clinic/").status_code == 403
    assign_role(patient, "clinician")
    assert client.get("/clinic/").status_code == 200


def test_the_profile_read_with_the_session_is_the_stored_one(patient):
    client = signed_in(patient)
    client.get("/diary/")  # made on first use
    PatientProfile.objects.filter(user=patient).update(time_zone="Pacific/Auckland")
    page = client.get("/accounts/profile/")
    assert page.status_code == 200
    assert 'value="Pacific/Auckland" selected' in page.text


def test_a_signed_in_request_reads_the_session_from_the_cache_and_the_user_with_role_and_profile_in_one_query(
    patient,
):
    client = signed_in(patient)
    client.get("/diary/")  # the profile is made on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/profile/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("accounts_usersession" in q for q in sql), sql
    user_queries = [q for q in sql if 'FROM "auth_user"' in q]
    assert len(user_queries) == 1
    assert "accounts_account" in user_queries[0] and "accounts_patientprofile" in user_queries[0]


def test_a_session_ended_elsewhere_is_gone_from_the_cache_too(patient):
    client = signed_in(patient)
    assert client.get("/diary/").status_code == 200
    key = client.cookies["sessionid"].value
    assert cache.get(SessionStore.cache_key_prefix + key) is not None  # read from the cache
    end_sessions([key])
    assert cache.get(SessionStore.cache_key_prefix + key) is None
    assert client.get("/diary/").status_code == 302  # signed out


def test_clearsessions_removes_expired_sign_ins_only(patient, other_patient):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    signed_in(patient)
    signed_in(other_patient)
    UserSession.objects.filter(user=patient).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    call_command("clearsessions")
    assert list(UserSession.objects.values_list("user", flat=True)) == [other_patient.pk]


def test_a_session_that_is_not_signed_in_has_no_user(db):
    store = SessionStore()
    store["cart"] = "anything"
    store.save()
    assert UserSession.objects.get(session_key=store.session_key).user_id is None
    assert SessionStore(store.session_key).load() == {"cart": "anything"}


def test_a_session_key_django_could_not_have_made_is_no_session(db):
    for key in ["short", "a" * 41, "abc\x00defghijk", "ABCDEFGHIJKLMNOP"]:
        assert SessionStore(key).load() == {}
