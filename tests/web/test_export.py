"""CSV export (SPEC §5): exactly the filtered set or the ticked rows, scoped, streamed, UTF-8
with BOM, one header row, ISO dates, amounts with a dot, formula injection neutralised."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staydesk.bookings.models import Booking
from tests.web.conftest import make_bookings

EXPORT = reverse("web:export")
GRID = reverse("web:grid")
HEADER = [
    "Booking code",
    "Booked at (UTC)",
    "Guest first name",
    "Guest last name",
    "Guest email",
    "Guest phone",
    "Adults",
    "Children",
    "Arrival",
    "Departure",
    "Property",
    "Accommodation / offer",
    "Rate plan",
    "Currency",
    "Paid",
    "Total",
    "Status",
    "Status (text)",
    "Required action (done/pending)",
    "Unread messages",
]


def body(response) -> bytes:
    assert response.status_code == 200, response
    assert response.streaming
    return b"".join(response.streaming_content)


def parse(response) -> list[dict[str, str]]:
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows)
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def codes(rows) -> list[str]:
    return [row["Booking code"] for row in rows]


def test_the_file_is_utf8_with_bom_a_header_and_a_dated_attachment(tenant_a, grid_data, clock):
    response = tenant_a.client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bookings-2026-11-29.csv"'
    raw = body(response)
    assert raw[:3] == b"\xef\xbb\xbf" and raw[3:4] == b"B"  # BOM once, then the header
    assert raw.count(b"\xef\xbb\xbf") == 1
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["Booking code", "Booked at (UTC)", "Guest first name"]
    assert len(lines) == 1 + 6


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "rooms"},
        {"kind": "packages", "ordering": "-arrival"},
        {"guest_last_name": "nowak"},
        {"status": ["pending_confirmation", "paid"], "ordering": "guest"},
        {"booked_from": "2026-11-25", "booked_to": "2026-11-28", "required_action": "pending"},
        {"promotion": "SPA2026"},
        {"guest_last_name": "nobody"},
    ],
)
def test_the_export_is_exactly_the_grids_filtered_set_in_its_order(tenant_a, grid_data, params):
    grid = tenant_a.client.get(GRID, {**params, "page_size": "100"})
    shown = [row.booking.code for row in grid.context["rows"]]
    assert codes(parse(tenant_a.client.get(EXPORT, params))) == shown
    assert grid_data.foreign.code not in shown


def test_the_grids_export_link_carries_its_filters(tenant_a, grid_data):
    grid = tenant_a.client.get(GRID, {"kind": "rooms", "guest_last_name": "nowak"})
    link = grid.context["export_url"]
    assert codes(parse(tenant_a.client.get(link))) == grid_data.codes("r1")


def test_the_values_dates_iso_amounts_with_a_dot(tenant_a, grid_data):
    rows = {row["Booking code"]: row for row in parse(tenant_a.client.get(EXPORT))}
    r2 = rows[grid_data.bookings["r2"].code]
    assert r2["Booked at (UTC)"] == "2026-11-25T11:00:00+00:00"
    assert (r2["Arrival"], r2["Departure"]) == ("2026-12-15", "2026-12-18")
    assert (r2["Paid"], r2["Total"], r2["Currency"]) == ("150.00", "300.00", "PLN")
    assert (r2["Adults"], r2["Children"]) == ("1", "1")
    assert (r2["Guest first name"], r2["Guest last name"]) == ("Piotr", "Kowalski")
    assert r2["Guest email"] == "piotr@example.com"
    assert r2["Guest phone"] == "'+48601234567"  # E.164 starts with "+": kept as text
    assert (r2["Status"], r2["Status (text)"]) == ("partially_paid", "Partially paid")
    assert r2["Property"] == "Hotel Amber" and r2["Rate plan"] == "Standard flex"
    assert r2["Required action (done/pending)"] == "" and r2["Unread messages"] == "0"
    pr1 = rows[grid_data.bookings["pr1"].code]
    assert (pr1["Paid"], pr1["Total"], pr1["Currency"]) == ("499.00", "499.00", "EUR")
    assert pr1["Required action (done/pending)"] == "done"
    assert rows[grid_data.bookings["pk1"].code]["Required action (done/pending)"] == "pending"
    assert rows[grid_data.bookings["pk1"].code]["Paid"] == "0.00"


@pytest.mark.parametrize(
    ("first", "last", "expected_first", "expected_last"),
    [
        ("=cmd|' /C calc'!A0", "+SUM(1+1)", "'=cmd|' /C calc'!A0", "'+SUM(1+1)"),
        ("-2+3", "@SUM(A1:A9)", "'-2+3", "'@SUM(A1:A9)"),
        ("\t=1+1", "\r=1+1", "'\t=1+1", "'\r=1+1"),
        ("Zoë", "Łukasiewicz-Ñ", "Zoë", "Łukasiewicz-Ñ"),  # ordinary text is left alone
    ],
)
def test_formula_injection_is_neutralised(
    tenant_a, grid_data, first, last, expected_first, expected_last
):
    r1 = grid_data.bookings["r1"]
    Booking.objects.filter(pk=r1.pk).update(guest_first_name=first, guest_last_name=last)
    (row,) = parse(tenant_a.client.get(EXPORT, {"code": r1.code}))
    assert (row["Guest first name"], row["Guest last name"]) == (expected_first, expected_last)


def test_ticked_rows_only_posted_from_the_grid(tenant_a, grid_data):
    ticked = grid_data.codes("pr2", "r1")
    client = tenant_a.csrf_client()
    html = client.get(GRID).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(EXPORT, {"code": ticked, "csrfmiddlewaretoken": token})
    # In the grid's order (booking date), whatever order they were ticked in.
    assert codes(parse(response)) == grid_data.codes("r1", "pr2")


def test_ticked_rows_as_repeated_code_parameters(tenant_a, grid_data):
    ticked = grid_data.codes("r3", "pk1")
    assert codes(parse(tenant_a.client.get(EXPORT, {"code": ticked}))) == ticked
    # Other filters still apply to the ticked rows.
    assert codes(parse(tenant_a.client.get(EXPORT, {"code": ticked, "kind": "rooms"}))) == [
        ticked[0]
    ]


def test_posting_the_export_needs_the_csrf_token(tenant_a, grid_data):
    client = tenant_a.csrf_client()
    assert client.post(EXPORT, {"code": grid_data.codes("r1")}).status_code == 403


def test_exporting_nothing_ticked_goes_back_to_the_grid_with_a_message(tenant_a, grid_data):
    back = "kind=rooms&status=paid&status=confirmed"
    response = tenant_a.client.post(EXPORT, {"return_query": back}, follow=True)
    assert response.redirect_chain[0][0] == GRID + "?" + back
    assert "Tick at least one booking to export." in response.content.decode()


def test_another_organizations_codes_export_nothing_of_theirs(tenant_a, tenant_b, grid_data):
    theirs = grid_data.foreign
    mine = grid_data.bookings["r1"]
    assert parse(tenant_a.client.get(EXPORT, {"code": theirs.code})) == []
    rows = parse(tenant_a.client.get(EXPORT, {"code": [theirs.code, mine.code]}))
    assert codes(rows) == [mine.code]
    rows = parse(tenant_a.client.post(EXPORT, {"code": [theirs.code, mine.code]}))
    assert codes(rows) == [mine.code]
    assert parse(tenant_a.client.get(EXPORT, {"property": str(theirs.property_id)})) == []
    everything = body(tenant_a.client.get(EXPORT)).decode("utf-8-sig")
    assert theirs.code not in everything and "Hotel Beryl" not in everything
    # B's export has B's booking only.
    assert codes(parse(tenant_b.client.get(EXPORT))) == [theirs.code]


@pytest.mark.parametrize(
    "params",
    [{"arrival_from": "31.12.2026"}, {"status": "lost"}, {"ordering": "guest_email"}],
)
def test_bad_filters_are_a_400_never_a_500(tenant_a, grid_data, params):
    response = tenant_a.client.get(EXPORT, params)
    assert response.status_code == 400
    assert not response.streaming


def test_too_many_ticked_rows_are_refused(tenant_a, grid_data):
    response = tenant_a.client.get(EXPORT, {"code": [f"SD{i:08d}" for i in range(501)]})
    assert response.status_code == 400


def test_anonymous_visitors_get_no_export(db):
    from django.test import Client

    response = Client().get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_the_export_takes_the_same_queries_for_5_or_300_rows(tenant_a, clock):
    def run() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = parse(tenant_a.client.get(EXPORT))
        return len(captured.captured_queries), len(rows)

    make_bookings(tenant_a.offer, 5)
    few = run()
    make_bookings(tenant_a.offer, 295)
    many = run()
    assert (few[1], many[1]) == (5, 300)
    assert few[0] == many[0]
