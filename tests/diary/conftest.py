import datetime as dt

import pytest
import time_machine

# A fixed "now" for diary tests: Thursday 15 October 2026, 13:00 in London (12:00 UTC, BST).
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def patient_client(client, patient, frozen):
    client.force_login(patient)
    return client
