"""CSV export of bookings (SPEC §5): the grid's columns plus the guest's email and phone.

``csv_stream`` yields the file as text chunks: a UTF-8 byte order mark (so spreadsheet
programs read the accents right), one header row, then the rows, fetched with
``QuerySet.iterator`` in chunks, so memory stays the same for a thousand rows or a million.

- Dates are ISO 8601; ``booked_at`` is a UTC datetime (the header says so).
- Amounts have a dot and exactly the currency's decimals; the currency has its own column.
- A cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) gets a leading single quote, so it stays text.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import batched
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from staydesk.bookings.states import Status
from staydesk.core.money import round_money
from staydesk.core.tenancy import Scope
from staydesk.messaging.selectors import unread_by_booking

BOM = "\ufeff"
CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# The columns the export reads: plain values, not model instances (three times faster, and
# the same queryset: ``booking_list``'s filters, scope and order).
FIELDS = (
    "id",
    "code",
    "booked_at",
    "guest_first_name",
    "guest_last_name",
    "guest_email",
    "guest_phone",
    "adults",
    "children",
    "arrival",
    "departure",
    "property__name",
    "offer_name",
    "rate_plan_name",
    "currency",
    "paid",
    "total",
    "status",
    "required_action_text",
    "required_action_done_at",
)

Row = dict[str, Any]
Column = tuple[str, Callable[[Row, int], str]]


def _amount(value, currency: str) -> str:
    return format(round_money(value or 0, currency), "f")


def _required_action(row: Row) -> str:
    if not row["required_action_text"]:
        return ""
    return "done" if row["required_action_done_at"] else "pending"


def columns() -> list[Column]:
    """(header, value) per column; headers in the active language, values language-neutral
    (but for the status text).

    ``value`` gets a row of ``FIELDS`` and the booking's unread message count.
    """
    status_text = {value: str(label) for value, label in Status.choices}
    return [
        (_("Booking code"), lambda r, n: r["code"]),
        (_("Booked at (UTC)"), lambda r, n: r["booked_at"].astimezone(dt.UTC).isoformat()),
        (_("Guest first name"), lambda r, n: r["guest_first_name"]),
        (_("Guest last name"), lambda r, n: r["guest_last_name"]),
        (_("Guest email"), lambda r, n: r["guest_email"]),
        (_("Guest phone"), lambda r, n: r["guest_phone"]),
        (_("Adults"), lambda r, n: str(r["adults"])),
        (_("Children"), lambda r, n: str(r["children"])),
        (_("Arrival"), lambda r, n: r["arrival"].isoformat()),
        (_("Departure"), lambda r, n: r["departure"].isoformat()),
        (_("Property"), lambda r, n: r["property__name"]),
        (_("Accommodation / offer"), lambda r, n: r["offer_name"]),
        (_("Rate plan"), lambda r, n: r["rate_plan_name"]),
        (_("Currency"), lambda r, n: r["currency"]),
        (_("Paid"), lambda r, n: _amount(r["paid"], r["currency"])),
        (_("Total"), lambda r, n: _amount(r["total"], r["currency"])),
        (_("Status"), lambda r, n: r["status"]),
        (_("Status (text)"), lambda r, n: status_text.get(r["status"], r["status"])),
        (_("Required action (done/pending)"), lambda r, n: _required_action(r)),
        (_("Unread messages"), lambda r, n: str(n)),
    ]


class _Line:
    """A file-like object for ``csv.writer`` that keeps what was written until taken."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def write(self, text: str) -> None:
        self.buffer.write(text)

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer = io.StringIO()
        return text


def csv_rows(
    rows: Iterable[Row], *, scope: Scope, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """The data rows (neutralised), one list of cells per row of ``FIELDS``, in order."""
    cols = columns()
    for chunk in batched(rows, chunk_size):
        unread = unread_by_booking(scope=scope, booking_ids=[r["id"] for r in chunk])
        for row in chunk:
            n = unread.get(row["id"], 0)
            yield [neutralise(value(row, n)) for _header, value in cols]


def csv_stream(
    queryset, *, scope: Scope, chunk_size: int = CHUNK_SIZE, language: str | None = None
) -> Iterator[str]:
    """The whole file as text chunks: BOM and header first, then one chunk per 500 rows.

    ``queryset`` is ``booking_list(...)`` (``paid`` annotated); it is read as ``FIELDS``
    with ``iterator(chunk_size)``, never loaded whole. The headers and status texts are
    in ``language`` (default: the one active now, when the response is made, not later when
    the server reads the stream).
    """
    return _stream(queryset, scope, chunk_size, language or translation.get_language())


def _stream(queryset, scope: Scope, chunk_size: int, language: str) -> Iterator[str]:
    with translation.override(language):
        line = _Line()
        writer = csv.writer(line)
        writer.writerow([neutralise(header) for header, _value in columns()])
        yield BOM + line.take()
        rows = queryset.values(*FIELDS).iterator(chunk_size=chunk_size)
        for chunk in batched(csv_rows(rows, scope=scope, chunk_size=chunk_size), 500):
            writer.writerows(chunk)
            yield line.take()
