import pytest

from clinic.models import Share
from tests.conftest import make_user


@pytest.fixture
def other_clinician(db):
    return make_user("dr.other@example.com", role="clinician", first_name="Olive", last_name="Other")


@pytest.fixture
def shared(patient, clinician):
    """The patient shares their diary with the clinician."""
    return Share.objects.create(patient=patient, clinician=clinician)


@pytest.fixture
def clinician_client(client, clinician, frozen):
    client.force_login(clinician)
    return client
