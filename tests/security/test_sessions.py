"""Sessions read with their user in one query (migraine_app.sessions): the same rules as Django's."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from diary.models import PatientProfile, UserSession
from diary.roles import assign_role
from migraine_app import prepared
from migraine_app.sessions import SessionStore

pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's")


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


def test_the_user_read_with_a_session_is_given_once_and_only_for_that_user(patient, other_patient):
    client = signed_in(patient)
    store = SessionStore(client.cookies["sessionid"].value)
    assert store.load()["_auth_user_id"] == str(patient.pk)
    assert store.take_loaded_user(other_patient.pk) is None  # not the session's user: not given
    store.load()
    user = store.take_loaded_user(patient.pk)
    assert user.pk == patient.pk and user.email == "alice@example.com"
    assert store.take_loaded_user(patient.pk) is None  # given once


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
    loaded = SessionStore(store.session_key)
    assert loaded.load() == {"cart": "anything"}
    assert loaded.take_loaded_user(1) is None


@pg_only
def test_the_session_query_is_a_prepared_statement(patient):
    signed_in(patient).get("/diary/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        names = {row[0] for row in cursor.fetchall()}
    assert "app_session_user" in names


@pg_only
@pytest.mark.django_db(transaction=True)
def test_statements_the_server_forgot_are_prepared_again():
    user = get_user_model().objects.create_user(username="p@example.com", password="x-long-passphrase-1")
    client = signed_in(user)
    assert client.get("/diary/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does
    assert client.get("/diary/").status_code == 200
    connection.close()  # a new connection knows no statements
    assert client.get("/diary/").status_code == 200


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_whose_columns_changed_is_prepared_again():
    prepared.fetch(connection, "app_test_columns", "SELECT id FROM auth_group WHERE id = %s", [1])
    with connection.cursor() as cursor:  # as a migration in another process could
        cursor.execute("ALTER TABLE auth_group ALTER COLUMN id TYPE bigint")
    try:
        assert prepared.fetch(connection, "app_test_columns", "SELECT id FROM auth_group WHERE id = %s", [1]) == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE auth_group ALTER COLUMN id TYPE integer")


def test_prepared_queries_number_their_placeholders():
    assert prepared._numbered("a = %s AND b > %s OR c = %s") == "a = $1 AND b > $2 OR c = $3"
