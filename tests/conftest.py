"""Standing users for every test: a patient, a second patient (the stranger), a clinician,
an education editor and a superuser."""

import pytest
from django.contrib.auth import get_user_model

from diary.roles import assign_role

PASSWORD = "correct-horse-battery-staple"


def make_user(email, role="patient", **extra):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD, **extra)
    assign_role(user, role)
    return user


@pytest.fixture
def patient(db):
    return make_user("alice@example.com", first_name="Alice", last_name="Ashworth")


@pytest.fixture
def other_patient(db):
    return make_user("bob@example.com", first_name="Bob", last_name="Barnes")


@pytest.fixture
def clinician(db):
    return make_user("dr.carter@example.com", role="clinician", first_name="Chris", last_name="Carter")


@pytest.fixture
def editor(db):
    return make_user("editor@example.com", role="editor", first_name="Eve", last_name="Editor")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="root@example.com", email="root@example.com", password=PASSWORD
    )
