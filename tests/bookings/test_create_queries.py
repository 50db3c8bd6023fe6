"""Creating a booking is a hot path: its query count is pinned, and does not grow with nights.

The numbers are exact, per database vendor (PostgreSQL and SQLite differ, e.g. in how
``bulk_create(ignore_conflicts=True)`` and savepoints are spelled). If a change moves them,
look at the captured SQL, and update the pin only if the new queries are worth it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staydesk.core.models import PlatformSettings
from tests.factories import PackageFactory, book_package, book_room, room_offer

# One room booking on request: room type, rate plan, base price, overrides, constructor,
# platform settings, cancellation tiers (7 reads); SAVEPOINT, INSERT booking, INSERT stock
# rows, SAVEPOINT, lock them, UPDATE held, RELEASE, INSERT event, INSERT its chat system
# message, the task that fans the event out to notifications and webhooks, three timer tasks
# (expiry and two reminders), RELEASE (14).
PINNED_ROOM = {"sqlite": 21, "postgresql": 21}
# A package: one read for the package instead of four for room type, rate plan, base price
# and overrides; the same fourteen statements after it.
PINNED_PACKAGE = {"sqlite": 18, "postgresql": 18}


def _queries(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def warm(db, clock):
    """The platform settings row, as every installation has it (migration core/0002)."""
    PlatformSettings.defaults().save()


@pytest.mark.parametrize("nights", [1, 14, 90])
def test_creating_a_room_booking_takes_a_fixed_number_of_queries(warm, nights):
    offer = room_offer()
    sql = _queries(lambda: book_room(offer, nights=nights))
    assert len(sql) == PINNED_ROOM[connection.vendor], "\n".join(sql)


def test_fourteen_nights_cost_the_same_queries_as_one(warm):
    offer = room_offer()
    one = _queries(lambda: book_room(offer, nights=1, arrival_in_days=10))
    fourteen = _queries(lambda: book_room(offer, nights=14, arrival_in_days=40))
    assert len(one) == len(fourteen)


def test_creating_a_package_booking_takes_a_fixed_number_of_queries(warm):
    offer = room_offer()
    package = PackageFactory(property=offer.property)
    sql = _queries(lambda: book_package(offer, package=package))
    assert len(sql) == PINNED_PACKAGE[connection.vendor], "\n".join(sql)


def test_creating_a_booking_never_writes_settings_rows(db, clock):
    # The platform settings row comes from a migration and the constructor is read, never
    # created on the way: a refused booking must leave nothing behind.
    from staydesk.pricing.models import PriceConstructor

    PlatformSettings.objects.all().delete()
    offer = room_offer()
    PriceConstructor.objects.filter(property=offer.property).delete()
    sql = _queries(lambda: book_room(offer, nights=1))
    assert not [q for q in sql if "core_platformsettings" in q and "INSERT" in q]
    assert not [q for q in sql if "pricing_priceconstructor" in q and "INSERT" in q]
    assert not PlatformSettings.objects.exists()
