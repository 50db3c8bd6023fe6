"""The CSV exporter on its own: neutralising, amounts per currency, chunks, laziness."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staydesk.bookings.actors import Actor
from staydesk.bookings.exporters import BOM, columns, csv_stream, neutralise
from staydesk.bookings.selectors import booking_list
from staydesk.core.tenancy import Scope
from staydesk.payments.services import payment_record
from tests.factories import book_room, guest, room_offer


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+48601234567", "'+48601234567"),
        ("-10", "'-10"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("Anna", "Anna"),
        ("a=b", "a=b"),  # only the first character counts
        ("", ""),
        ("'quoted", "'quoted"),
        (" =1", " =1"),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def export(scope: Scope, **kwargs) -> list[dict[str, str]]:
    text = "".join(csv_stream(booking_list(scope=scope), scope=scope, **kwargs))
    header, *rows = rows_of(text)
    assert header == [h for h, _v in columns()]
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("currency", "price", "paid", "expected_paid", "expected_total"),
    [
        ("PLN", "100.00", "50.5", "50.50", "200.00"),
        ("JPY", "10000", "3000", "3000", "20000"),  # no minor unit
        ("BHD", "10.125", "1.005", "1.005", "20.250"),  # three decimals
        ("EUR", "0.10", None, "0.00", "0.20"),
    ],
)
def test_amounts_have_a_dot_and_the_currencys_decimals(
    clock, provider, currency, price, paid, expected_paid, expected_total
):
    offer = room_offer(
        currency=currency, price=price, booking_mode="instant", prepayment_percent="0"
    )
    booking = book_room(offer)
    if paid:
        payment_record(booking=booking, amount=Decimal(paid), actor=Actor.guest())
    (row,) = export(Scope(organization_id=offer.property.organization_id))
    assert (row["Paid"], row["Total"], row["Currency"]) == (expected_paid, expected_total, currency)


def test_rows_come_in_chunks_with_unread_counts_per_chunk(db, clock, monkeypatch):
    offer = room_offer(units=10)
    made = [
        book_room(offer, arrival_in_days=10 + i, guest=guest(last_name=f"G{i}")) for i in range(5)
    ]
    clock.shift(hours=1)
    asked: list[list[int]] = []

    def unread(*, scope, booking_ids):
        asked.append(list(booking_ids))
        return {made[3].pk: 2}

    monkeypatch.setattr("staydesk.bookings.exporters.unread_by_booking", unread)
    rows = export(Scope(organization_id=offer.property.organization_id), chunk_size=2)
    assert [r["Booking code"] for r in rows] == [b.code for b in made]
    assert [len(ids) for ids in asked] == [2, 2, 1]
    assert [r["Unread messages"] for r in rows] == ["0", "0", "0", "2", "0"]


def test_the_stream_is_lazy_and_never_caches_the_queryset(db, clock):
    offer = room_offer()
    book_room(offer)
    scope = Scope(organization_id=offer.property.organization_id)
    queryset = booking_list(scope=scope)
    with CaptureQueriesContext(connection) as captured:
        stream = csv_stream(queryset, scope=scope)
    assert len(captured.captured_queries) == 0  # nothing read until the response is sent
    assert len(rows_of("".join(stream))) == 2
    assert queryset._result_cache is None  # read through iterator(), not loaded whole


def test_another_scope_exports_nothing(db, clock):
    offer = room_offer()
    book_room(offer)
    other = room_offer()
    assert export(Scope(organization_id=other.property.organization_id)) == []
