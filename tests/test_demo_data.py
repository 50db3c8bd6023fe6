"""``manage.py demo_data``: idempotent, every status, real services, consistent inventory."""

import datetime as dt
import io
import re
import time
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from staydesk.accounts.models import ApiKey
from staydesk.accounts.services import api_key_authenticate
from staydesk.bookings.models import Booking, BookingEvent, Kind
from staydesk.bookings.services.holds import _resource_and_count
from staydesk.bookings.states import HOLDING, Status
from staydesk.bookings.timers import timers_sweep
from staydesk.core.demo import DEMO_PASSWORD
from staydesk.inventory.models import StockNight
from staydesk.payments.models import LedgerEntry

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"sd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "contenttypes", "admin")
    }


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_data", "--force", *args, stdout=out)  # tests run with DEBUG off
    return out.getvalue()


def test_the_demo_refuses_to_run_on_an_installation_with_debug_off(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--force"):
        call_command("demo_data", stdout=io.StringIO())
    assert not Booking.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built twice, once for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        first = run()
        seconds = time.monotonic() - started
        after_first = counts()
        second = run()
        yield type(
            "Demo",
            (),
            {
                "first": first,
                "second": second,
                "seconds": seconds,
                "after_first": after_first,
                "after_second": counts(),
            },
        )
        transaction.set_rollback(True)


def test_second_run_changes_nothing(demo):
    assert demo.after_first == demo.after_second
    assert demo.after_first["bookings.Booking"] >= 180
    assert "nothing changed" in demo.second


def test_fast_enough(demo):
    assert demo.seconds < 60  # about 5 s on SQLite, 8 s on PostgreSQL


def test_every_status_and_every_kind(demo):
    statuses = Counter(Booking.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    kinds = set(Booking.objects.values_list("kind", flat=True))
    assert kinds == {Kind.ROOM, Kind.PACKAGE, Kind.PROMOTION}
    assert Booking.objects.filter(agency__isnull=False).count() >= 10
    assert Booking.objects.filter(required_action_done_at__isnull=False).exists()


def test_dates_spread_over_past_and_future_and_nothing_happens_later_than_now(demo):
    now = timezone.now()
    today = now.date()
    booked = Booking.objects.values_list("booked_at", flat=True)
    assert min(booked) >= now - dt.timedelta(days=92) and max(booked) <= now
    arrivals = Booking.objects.values_list("arrival", flat=True)
    assert min(arrivals) >= today - dt.timedelta(days=61)
    assert max(arrivals) <= today + dt.timedelta(days=121)
    assert min(arrivals) < today < max(arrivals)
    assert not BookingEvent.objects.filter(created_at__gt=now).exists()
    assert not LedgerEntry.objects.filter(created_at__gt=now).exists()


def test_made_by_the_services(demo):
    # Every booking starts with its creation event and every status has its history.
    assert BookingEvent.objects.filter(action="create").count() == Booking.objects.count()
    for booking in Booking.objects.exclude(status=Status.PENDING_CONFIRMATION)[:50]:
        assert booking.events.last().to_status == booking.status
    assert LedgerEntry.objects.filter(kind="payment").exists()
    assert LedgerEntry.objects.filter(kind="refund").exists()


def test_stock_held_is_the_number_of_live_bookings_per_night(demo):
    expected: Counter = Counter()
    for booking in Booking.objects.filter(status__in=HOLDING):
        resource, count = _resource_and_count(booking)
        for i in range(count):
            expected[(resource, booking.arrival + dt.timedelta(days=i))] += 1
    held = {(row.resource, row.date): row.held for row in StockNight.objects.filter(held__gt=0)}
    assert held == dict(expected)
    assert sum(held.values()) > 0


def test_live_deadlines_are_ahead_so_the_timers_expire_nothing(demo):
    before = Counter(Booking.objects.values_list("status", flat=True))
    assert timers_sweep()["expired"] == 0
    assert Counter(Booking.objects.values_list("status", flat=True)) == before


def test_logins(demo):
    assert "admin / staydesk-demo" in demo.first and "provider" in demo.first
    assert "http://127.0.0.1:8000/" in demo.first
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser
    provider = authenticate(username="provider", password=DEMO_PASSWORD)
    assert provider.memberships.get().organization.slug == "baltic-stays"


def test_agency_api_key_is_printed_once_and_authenticates(demo):
    tokens = TOKEN.findall(demo.first)
    assert len(tokens) == 1
    key = api_key_authenticate(token=tokens[0])
    assert key is not None and key.agency.slug == "amber-route-travel"
    assert not TOKEN.search(demo.second)
    assert key.prefix in demo.second and "--new-api-key" in demo.second


def test_new_api_key_revokes_the_old_one(demo):
    old = TOKEN.findall(demo.first)[0]
    output = run("--new-api-key")
    new = TOKEN.findall(output)
    assert len(new) == 1 and new[0] != old
    assert api_key_authenticate(token=old) is None
    assert api_key_authenticate(token=new[0]).agency.slug == "amber-route-travel"
    assert ApiKey.objects.filter(agency__slug="amber-route-travel", revoked_at=None).count() == 1
