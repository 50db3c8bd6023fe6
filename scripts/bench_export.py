#!/usr/bin/env python
"""Benchmark of the CSV export: rows per second and peak memory, for growing numbers of rows.

    .venv/bin/python scripts/bench_export.py                  # 20 000 and 100 000 rows
    .venv/bin/python scripts/bench_export.py 20000 1000000    # any sizes, ascending

Builds a throwaway SQLite database in a temporary folder (removed at the end), writes the
bookings with ``bulk_create`` (a third of them with a payment, some guests named like
formulas), then streams ``csv_stream(booking_list(...))`` exactly as the export view does,
encoding each chunk to UTF-8 as the response would. Each size is run twice: once for speed,
once under ``tracemalloc`` for the peak of Python memory. SPEC §5 asks for constant memory:
the peak must not grow with the number of rows.
"""

import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

BATCH = 5000


def setup_django(data_dir: str) -> None:
    os.environ["STAYDESK_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite file
    os.environ["DJANGO_SETTINGS_MODULE"] = "staydesk.settings.test"  # DEBUG off: no query log
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_catalog():
    from staydesk.accounts.models import Organization
    from staydesk.catalog.models import Property, RatePlan, RoomType

    org = Organization.objects.create(
        name="Bench", slug="bench", notification_email="bench@example.com"
    )
    prop = Property.objects.create(
        organization=org,
        name="Hotel Bench",
        address="ul. Długa 1, Warszawa",
        country="PL",
        timezone="Europe/Warsaw",
        currency="PLN",
    )
    room = RoomType.objects.create(property=prop, name="Double", units=1000, max_adults=2)
    plan = RatePlan.objects.create(property=prop, name="Standard")
    return org, prop, room, plan


def add_bookings(start: int, stop: int, org, prop, room, plan) -> None:
    from staydesk.bookings.models import Booking, Kind
    from staydesk.bookings.states import Status
    from staydesk.payments.models import LedgerEntry

    base = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    for first in range(start, stop, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, stop)):
            arrival = base.date() + dt.timedelta(days=30 + i % 300)
            rows.append(
                Booking(
                    code=f"BN{i:08d}",
                    organization=org,
                    property=prop,
                    kind=Kind.ROOM,
                    status=Status.CONFIRMED if i % 3 else Status.PAID,
                    room_type=room,
                    rate_plan=plan,
                    arrival=arrival,
                    departure=arrival + dt.timedelta(days=2),
                    adults=2,
                    children=i % 3,
                    guest_first_name="=HYPERLINK(1)" if i % 97 == 0 else f"Zofia{i}",
                    guest_last_name=f"Wiśniewska-{i}",
                    guest_email=f"guest{i}@example.com",
                    guest_phone="+48601234567",
                    booked_at=base + dt.timedelta(minutes=i),
                    currency="PLN",
                    total=Decimal("480.00"),
                    prepayment_percent=Decimal(0),
                    min_prepayment=Decimal(0),
                    payment_limit_hours=48,
                    cancellation_tiers=[],
                    provider_may_cancel=True,
                    rate_plan_name="Standard",
                    offer_name="Double",
                )
            )
        made = Booking.objects.bulk_create(rows)
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                booking=b,
                kind=LedgerEntry.Kind.PAYMENT,
                amount=b.total,
                currency="PLN",
                created_at=b.booked_at,
            )
            for b in made
            if b.status == Status.PAID
        )


def export_once(scope, *, trace: bool) -> tuple[float, int, int]:
    """Stream the whole export; return (seconds, bytes, peak traced bytes)."""
    from staydesk.bookings.exporters import csv_stream
    from staydesk.bookings.selectors import booking_list

    gc.collect()
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    size = 0
    for chunk in csv_stream(booking_list(scope=scope), scope=scope, language="en"):
        size += len(chunk.encode("utf-8"))  # what StreamingHttpResponse sends
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, size, peak


def main() -> None:
    sizes = sorted(int(arg) for arg in sys.argv[1:]) or [20_000, 100_000]
    data_dir = tempfile.mkdtemp(prefix="staydesk-bench-")
    try:
        setup_django(data_dir)
        from django import db

        from staydesk.core.tenancy import Scope

        org, prop, room, plan = make_catalog()
        scope = Scope(organization_id=org.pk)
        print(f"SQLite in {data_dir}; Python {sys.version.split()[0]}")
        print(f"{'rows':>10} {'seconds':>8} {'rows/s':>9} {'CSV MB':>8} {'peak KiB':>9}")
        made = 0
        peaks = []
        for n in sizes:
            started = time.perf_counter()
            add_bookings(made, n, org, prop, room, plan)
            made = n
            built = time.perf_counter() - started
            db.reset_queries()
            seconds, size, _ = export_once(scope, trace=False)
            _, _, peak = export_once(scope, trace=True)
            peaks.append(peak)
            print(
                f"{n:>10,} {seconds:>8.2f} {n / seconds:>9,.0f} {size / 1e6:>8.1f} "
                f"{peak / 1024:>9,.0f}   (built in {built:.1f} s)"
            )
        if len(sizes) > 1:
            growth = peaks[-1] / peaks[0]
            print(
                f"peak memory x{growth:.2f} for x{sizes[-1] / sizes[0]:.0f} rows "
                f"({'constant' if growth < 1.5 else 'GROWS with the rows'})"
            )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
