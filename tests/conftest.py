import datetime as dt

import pytest
import time_machine
from django.db import connection

from staydesk.bookings.actors import Actor
from tests.factories import UserFactory

# A fixed "now" for tests that need the clock still: a Tuesday noon in Warsaw, in November.
NOW = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Freeze time at NOW; ``clock.shift(hours=…)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:

        class Clock:
            now = NOW

            def shift(self, **delta) -> None:
                traveller.shift(dt.timedelta(**delta))

        yield Clock()


@pytest.fixture
def provider(db):
    user = UserFactory()
    return Actor.provider(user)


@pytest.fixture
def postgres(transactional_db):
    """For concurrency tests: real row locks and one connection per thread need PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run the suite with DATABASE_URL set)")
