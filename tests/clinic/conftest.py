import pytest

from clinic.models import Share
from tests.conftest import make_user
from tests.diary.conftest import NOW, TODAY, frozen  # noqa: F401 - fixtures shared with the diary tests

__all__ = ["NOW", "TODAY"]


@pytest.fixture
def other_clinician(db):
    return make_user("dr.other@example.com", role="clinician", first_name="Olive", last_name="Other")


@pytest.fixture
def shared(patient, clinician):
    """The patient shares their diary with the clinician."""
    return Share.objects.create(patient=patient, clinician=clinician)


@pytest.fixture
def clinician_client(client, clinician, frozen):  # noqa: F811
    client.force_login(clinician)
    return client
