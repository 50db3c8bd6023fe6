"""The bookings grid (SPEC §5): every filter, combined filters, ordering by every column both
ways, pages, tabs, bad input, tenant isolation, htmx partials and a pinned query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staydesk.bookings.filters import ORDERINGS
from staydesk.bookings.models import Booking
from staydesk.bookings.states import Status
from staydesk.payments.ledger import paid_amount
from tests.web.conftest import make_bookings

GRID = reverse("web:grid")
S = Status


def codes_of(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return [row.booking.code for row in response.context["rows"]]


ALL = ["r1", "r2", "r3", "pk1", "pr1", "pr2"]

# (query parameters, or a function of the data giving them) -> the bookings expected.
FILTER_CASES = [
    ({"booked_from": "2026-11-26"}, ["r3", "pk1", "pr1", "pr2"]),
    ({"booked_to": "2026-11-25"}, ["r1", "r2"]),
    ({"booked_from": "2026-11-25", "booked_to": "2026-11-27"}, ["r2", "r3", "pk1"]),
    ({"arrival_from": "2026-12-15"}, ["r2", "r3", "pr1", "pr2"]),
    ({"arrival_to": "2026-12-12"}, ["r1", "pk1"]),
    ({"arrival_from": "2026-12-12", "arrival_to": "2026-12-23"}, ["r2", "pk1", "pr1"]),
    ({"departure_from": "2026-12-25"}, ["r3", "pr1", "pr2"]),
    ({"departure_to": "2026-12-15"}, ["r1", "pk1"]),
    ({"departure_from": "2026-12-18", "departure_to": "2027-01-01"}, ["r2", "pr1", "pr2"]),
    (lambda d: {"code": d.bookings["r2"].code.lower()}, ["r2"]),
    (lambda d: {"code": d.bookings["pk1"].code[:7]}, ["pk1"]),
    ({"guest_last_name": "nowak"}, ["r1", "pr2"]),
    ({"guest_first_name": "an"}, ["r1", "pk1"]),
    ({"rate_plan": "breakfast"}, ["r3"]),
    ({"rate_plan": "Standard"}, ["r1", "r2"]),
    (lambda d: {"property": str(d.birch.pk)}, ["r3", "pr1", "pr2"]),
    ({"property": "amber"}, ["r1", "r2", "pk1"]),
    ({"promotion": "spa2026"}, ["pr1", "pr2"]),
    (lambda d: {"variant": str(d.romantic.pk)}, ["pr2"]),
    ({"variant": "weekend"}, ["pr1"]),
    ({"status": "pending_confirmation"}, ["r1", "pk1"]),
    ({"status": ["pending_confirmation", "rejected_by_provider"]}, ["r1", "r3", "pk1"]),
    ({"required_action": "done"}, ["pr1"]),
    ({"required_action": "pending"}, ["pk1", "pr2"]),
    ({"kind": "rooms"}, ["r1", "r2", "r3"]),
    ({"kind": "packages"}, ["pk1", "pr1", "pr2"]),
    # Requests and payments whose deadline falls within an hour (all of them are overdue).
    ({"deadline_within": "1"}, ["r1", "pk1", "pr2"]),
    # Combined.
    ({"kind": "rooms", "guest_last_name": "Nowak"}, ["r1"]),
    ({"kind": "packages", "status": "pending_confirmation"}, ["pk1"]),
    (
        lambda d: {
            "property": str(d.amber.pk),
            "arrival_from": "2026-12-10",
            "required_action": "pending",
        },
        ["pk1"],
    ),
    (
        {"booked_from": "2026-11-25", "status": ["paid", "partially_paid"], "kind": "rooms"},
        ["r2"],
    ),
    ({"guest_last_name": "nowak", "promotion": "SPA2026", "variant": "romantic"}, ["pr2"]),
    ({"guest_last_name": "nobody"}, []),
]


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_each_filter_narrows_to_exactly_the_expected_bookings(
    tenant_a, grid_data, params, expected
):
    params = params(grid_data) if callable(params) else params
    got = codes_of(tenant_a.client.get(GRID, params))
    # Default order: booking date ascending, which is the order the names were booked in.
    assert got == grid_data.codes(*[n for n in ALL if n in expected])
    assert grid_data.foreign.code not in got


def test_no_filter_lists_all_of_the_organizations_bookings_by_booking_date(tenant_a, grid_data):
    response = tenant_a.client.get(GRID)
    assert codes_of(response) == grid_data.codes(*ALL)
    assert grid_data.foreign.code not in response.content.decode()


def _value(booking: Booking, key: str):
    if key == "paid":
        return paid_amount(booking=booking)
    column = ORDERINGS[key]
    if column == "property__name":
        return booking.property.name
    return getattr(booking, column)


def _expected_order(bookings: list[Booking], key: str, descending: bool) -> list[str]:
    """The order the grid promises: by the column, nulls first ascending and last
    descending, ties by id the same way."""

    def sort_key(b):
        value = _value(b, key)
        return (value is not None, value if value is not None else 0, b.pk)

    ordered = sorted(bookings, key=sort_key)
    return [b.code for b in (reversed(ordered) if descending else ordered)]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", sorted(ORDERINGS))
def test_ordering_by_each_column_both_ways(tenant_a, grid_data, key, descending):
    expected = _expected_order(list(grid_data.bookings.values()), key, descending)
    ordering = ("-" if descending else "") + key
    assert codes_of(tenant_a.client.get(GRID, {"ordering": ordering})) == expected


def test_the_orderings_really_differ(tenant_a, grid_data):
    """Guard for the test above: the data set orders differently by different columns."""
    orders = {
        tuple(_expected_order(list(grid_data.bookings.values()), key, False)) for key in ORDERINGS
    }
    assert len(orders) >= 8


def headers_of(html: str) -> dict[str, str]:
    """Sort link text -> its href, from the table's header row."""
    thead = html[html.index("<thead>") : html.index("</thead>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*class="sort[^"]*">([^<]+)<', thead)
    return {text.strip(): href.replace("&amp;", "&") for href, text in links}


def test_headers_toggle_the_direction_and_mark_the_active_column(tenant_a, grid_data):
    html = tenant_a.client.get(GRID, {"kind": "rooms"}).content.decode()
    links = headers_of(html)
    # Default: booking date ascending, so its link asks for descending; others ascending.
    assert "ordering=-booked_at" in links["Booked"]
    assert "ordering=arrival" in links["Arrival"]
    assert "kind=rooms" in links["Arrival"]  # the filters are kept
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a [^>]*>Booked', html)
    assert html.count("aria-sort=") == 1

    html = tenant_a.client.get(links["Arrival"]).content.decode()
    assert re.search(r'aria-sort="ascending">\s*<a [^>]*>Arrival', html)
    assert "ordering=-arrival" in headers_of(html)["Arrival"]
    html = tenant_a.client.get(headers_of(html)["Arrival"]).content.decode()
    assert re.search(r'aria-sort="descending">\s*<a [^>]*>Arrival', html)


def test_every_column_of_the_spec_is_shown(tenant_a, grid_data):
    html = tenant_a.client.get(GRID, {"kind": "rooms", "status": "partially_paid"}).content.decode()
    r2 = grid_data.bookings["r2"]
    row = html[html.index(f'value="{r2.code}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="{reverse("web:booking", args=[r2.code])}"' in row  # code links to the page
    assert "Piotr Kowalski" in row
    assert "1 / 1" in row  # adults / children
    assert "2026-12-15" in row and "2026-12-18" in row  # arrival, departure (datetime attrs)
    assert "2026-11-25" in row  # booking date
    assert r2.offer_name in row and "Hotel Amber" in row
    assert "Standard flex" in row
    assert "150.00" in row and "300.00" in row and "PLN" in row  # paid / total, currency
    assert 'class="badge partially_paid"' in row and "Partially paid" in row
    assert "—" in row  # a room has no required action
    assert '<span class="muted">0</span>' in row  # unread messages
    for header in ("Code", "Booked", "Guest", "Adults", "Children", "Arrival", "Departure"):
        assert f">{header}<" in html
    for header in ("Accommodation / offer", "Rate plan", "Paid", "Total", "Status"):
        assert f">{header}<" in html
    assert "Required action" in html and "Unread messages" in html


def test_required_action_column_says_done_pending_or_nothing(tenant_a, grid_data):
    html = tenant_a.client.get(GRID, {"kind": "packages"}).content.decode()

    def cell(name):
        code = grid_data.bookings[name].code
        row = html[html.index(f'value="{code}"') :]
        return row[: row.index("</tr>")]

    assert 'class="ra done"' in cell("pr1")
    assert 'class="ra pending"' in cell("pk1")
    assert 'class="ra pending"' in cell("pr2")


def test_unread_counts_come_from_the_messaging_selector(tenant_a, grid_data, monkeypatch):
    r1 = grid_data.bookings["r1"]
    monkeypatch.setattr(
        "staydesk.web.views.grid.unread_by_booking",
        lambda *, scope, booking_ids: {r1.pk: 7} if r1.pk in booking_ids else {},
    )
    response = tenant_a.client.get(GRID)
    assert [row.unread for row in response.context["rows"] if row.booking.pk == r1.pk] == [7]
    assert "<strong>7</strong>" in response.content.decode()


# --- Tabs and navigation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "title", "nav"),
    [
        ("", "All bookings", "bookings"),
        ("rooms", "Room requests", "rooms"),
        ("packages", "Package requests", "packages"),
    ],
)
def test_tabs(tenant_a, grid_data, kind, title, nav):
    params = {"guest_last_name": "nowak", **({"kind": kind} if kind else {})}
    response = tenant_a.client.get(GRID, params)
    html = response.content.decode()
    assert response.context["nav"] == nav
    assert f"<h1>{title}</h1>" in html
    current = re.findall(r'<a href="([^"]+)"[^>]*aria-current="page">([^<]+)</a>', html)
    assert (title) in [text for _href, text in current]
    start = html.index('class="tabs"')
    nav_html = html[start : html.index("</nav>", start)]
    tabs = {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav_html)
    }
    assert "guest_last_name=nowak" in tabs["Room requests"]  # filters are kept
    assert codes_of(tenant_a.client.get(tabs["Room requests"])) == grid_data.codes("r1")
    assert codes_of(tenant_a.client.get(tabs["Package requests"])) == grid_data.codes("pr2")
    assert codes_of(tenant_a.client.get(tabs["All bookings"])) == grid_data.codes("r1", "pr2")


# --- Pages ---------------------------------------------------------------------------------


def test_pages_of_25_50_and_100(tenant_a, clock):
    made = make_bookings(tenant_a.offer, 130)
    codes = [b.code for b in made]  # booked an hour apart: already in grid order
    first = tenant_a.client.get(GRID)
    assert codes_of(first) == codes[:25]
    assert "Page 1 of 6" in first.content.decode()
    assert "130 bookings" in first.content.decode()
    third = tenant_a.client.get(GRID, {"page": "3"})
    assert codes_of(third) == codes[50:75]
    assert "Page 3 of 6" in third.content.decode()
    assert codes_of(tenant_a.client.get(GRID, {"page_size": "50", "page": "3"})) == codes[100:]
    big = tenant_a.client.get(GRID, {"page_size": "100", "page": "2"})
    assert codes_of(big) == codes[100:]
    assert "Page 2 of 2" in big.content.decode()


@pytest.mark.parametrize(
    ("params", "rows", "label"),
    [
        ({"page_size": "5000"}, 100, "Page 1 of 2"),  # capped at the largest size
        ({"page_size": "30"}, 50, "Page 1 of 3"),  # the next allowed size up
        ({"page_size": "abc"}, 25, "Page 1 of 6"),
        ({"page_size": "-4"}, 25, "Page 1 of 6"),
        ({"page": "999"}, 5, "Page 6 of 6"),  # past the end: the last page
        ({"page": "x"}, 25, "Page 1 of 6"),
    ],
)
def test_odd_page_parameters_never_fail(tenant_a, clock, params, rows, label):
    make_bookings(tenant_a.offer, 130)
    response = tenant_a.client.get(GRID, params)
    assert len(codes_of(response)) == rows
    assert label in response.content.decode()


def test_page_links_keep_the_filters_and_the_page_size(tenant_a, clock):
    make_bookings(tenant_a.offer, 130)
    html = tenant_a.client.get(GRID, {"guest_first_name": "guest", "page_size": "50"}).content
    nav = html.decode().split('class="pagination"')[1]
    next_url = re.search(r'<a href="([^"]+)"[^>]*rel="next"', nav).group(1).replace("&amp;", "&")
    assert "guest_first_name=guest" in next_url and "page_size=50" in next_url
    assert "page=2" in next_url
    assert "Page 2 of 3" in tenant_a.client.get(next_url).content.decode()


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"booked_from": "2026-13-45"}, "booked_from", "Enter a date as YYYY-MM-DD."),
        ({"arrival_to": "tomorrow"}, "arrival_to", "Enter a date as YYYY-MM-DD."),
        ({"departure_from": "0"}, "departure_from", "Enter a date as YYYY-MM-DD."),
        ({"status": "lost"}, "status", "Unknown status: lost"),
        ({"kind": "boats"}, "kind", "Choose one of: rooms, packages"),
        ({"required_action": "maybe"}, "required_action", "Choose one of: done, pending"),
        ({"deadline_within": "0"}, "deadline_within", "Enter a number of hours"),
        ({"code": "X" * 101}, "code", "This filter is too long."),
        ({"ordering": "password"}, "ordering", "Unknown ordering."),
        ({"guest_last_name": "x" * 5000}, "guest_last_name", "This filter is too long."),
    ],
)
def test_bad_filters_show_an_error_next_to_the_field_never_a_500(
    tenant_a, grid_data, params, field, message
):
    response = tenant_a.client.get(GRID, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    form = response.context["form"]
    assert message in " ".join(str(e) for e in form.errors[field])
    assert "rows" not in response.context  # nothing listed with a filter that was not applied
    if field != "ordering":  # the hidden ordering field reports at the top of the form
        assert f'id="id_{field}_error"' in html or f'id="id_{field}_0"' in html


def test_every_bad_filter_is_reported_at_once(tenant_a, grid_data):
    response = tenant_a.client.get(
        GRID, {"booked_from": "nope", "kind": "boats", "status": "lost", "code": "SD"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"booked_from", "kind", "status"}


def test_a_bad_filter_over_htmx_is_a_200_fragment_with_the_error(tenant_a, grid_data):
    response = tenant_a.client.get(GRID, {"arrival_from": "32.12.2026"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html and "Enter a date as YYYY-MM-DD." in html


def test_anonymous_visitors_are_sent_to_sign_in(db):
    from django.test import Client

    response = Client().get(GRID)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_post_to_the_grid_is_refused(tenant_a):
    assert tenant_a.client.post(GRID).status_code == 405


# --- Tenant isolation ------------------------------------------------------------------------


def test_another_organizations_bookings_never_appear(tenant_a, tenant_b, grid_data):
    theirs = grid_data.foreign
    for params in (
        {},
        {"code": theirs.code},
        {"property": str(theirs.property_id)},
        {"property": "Beryl"},
        {"guest_last_name": "Nowak", "guest_first_name": "Anna"},
    ):
        response = tenant_a.client.get(GRID, params)
        assert theirs.code not in codes_of(response)
        html = response.content.decode()
        listed = html[html.index('id="grid-results"') :]  # the filter form echoes the query
        assert theirs.code not in listed
        assert "Hotel Beryl" not in html
    # B sees its own booking, and none of A's.
    assert codes_of(tenant_b.client.get(GRID)) == [theirs.code]


def test_the_property_select_lists_only_the_organizations_properties(tenant_a, tenant_b, grid_data):
    html = tenant_a.client.get(GRID).content.decode()
    select = html[
        html.index('name="property"') : html.index("</select>", html.index('name="property"'))
    ]
    assert "Hotel Amber" in select and "Villa Birch" in select
    assert "Hotel Beryl" not in select


# --- htmx ----------------------------------------------------------------------------------


def test_htmx_gets_the_results_and_the_controls_out_of_band(tenant_a, grid_data):
    response = tenant_a.client.get(
        GRID, {"kind": "rooms", "booked_to": "", "ordering": "booked_at"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert '<div id="grid-controls" hx-swap-oob="true">' in html
    assert "<title>Room requests · Staydesk</title>" in html
    assert codes_of(response) == grid_data.codes("r1", "r2", "r3")
    # The address bar gets the canonical URL: no empty fields, no default ordering.
    assert response["HX-Push-Url"] == GRID + "?kind=rooms"
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_full_page_has_plain_links_and_forms(tenant_a, grid_data):
    response = tenant_a.client.get(GRID)
    html = response.content.decode()
    assert "<html" in html and "hx-swap-oob" not in html
    assert re.search(r'<form method="get" action="/bookings/" id="grid-filters"', html)
    assert re.search(r'<form method="post" action="/bookings/bulk/" id="bulk-form"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    # Every htmx link is also a real link to the same place.
    for href, hx in re.findall(r'<a href="([^"]+)" hx-get="([^"]+)"', html):
        assert href == hx
    assert "HX-Request" in response["Vary"]


def test_a_plain_form_submission_is_redirected_to_the_short_address(tenant_a, grid_data):
    submitted = {name: "" for name in ("booked_from", "code", "property", "ordering")}
    response = tenant_a.client.get(GRID, {**submitted, "kind": "rooms", "page_size": "25"})
    assert response.status_code == 302
    assert response["Location"] == GRID + "?kind=rooms"
    assert tenant_a.client.get(GRID + "?").status_code == 200  # nothing to shorten: no loop


def test_history_restore_requests_get_the_whole_page(tenant_a, grid_data):
    response = tenant_a.client.get(
        GRID, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


# --- Query count -----------------------------------------------------------------------------

# Session, user, memberships, profile language (4: every provider page); the property select,
# the count and the page's rows (3), the unread messages of those rows (1).
PINNED_QUERIES = 8


def _count(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(GRID, params)
    rows = len(codes_of(response))
    return len(captured.captured_queries), rows


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": "100"},
        {"page_size": "100", "page": "2"},
        {
            "guest_last_name": "nowak",
            "status": ["pending_confirmation", "confirmed"],
            "kind": "rooms",
            "property": "amber",
            "arrival_from": "2026-12-01",
            "booked_to": "2027-12-31",
            "rate_plan": "Standard",
            "required_action": "pending",
            "ordering": "-paid",
        },
        {"ordering": "property", "page_size": "50", "code": "SD"},
    ],
)
def test_the_grid_takes_a_fixed_number_of_queries(tenant_a, clock, params):
    made = make_bookings(tenant_a.offer, 230)
    # Some rows need a required action for the "pending" filter to match anything.
    Booking.objects.filter(pk__in=[b.pk for b in made[::10]]).update(
        required_action_text="Sign the contract."
    )
    queries, rows = _count(tenant_a.client, params)
    assert queries == PINNED_QUERIES, params
    assert rows > 0


def test_page_size_does_not_change_the_query_count(tenant_a, clock):
    make_bookings(tenant_a.offer, 230)
    small = _count(tenant_a.client, {"page_size": "25"})
    large = _count(tenant_a.client, {"page_size": "100"})
    assert small[1] == 25 and large[1] == 100
    assert small[0] == large[0] == PINNED_QUERIES
