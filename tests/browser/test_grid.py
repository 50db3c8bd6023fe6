"""The bookings grid in a real browser: every filter kind, the CSV export, bulk confirm."""

import csv
import io
from pathlib import Path

from staydesk.bookings.filters import BookingFilters
from staydesk.bookings.models import Booking
from staydesk.bookings.selectors import booking_list
from staydesk.core.tenancy import Scope
from tests.browser.conftest import assert_accessible, screenshot


def _scope() -> Scope:
    org_id = Booking.objects.filter(property__name="Hotel Motława Gdańsk").first().organization_id
    return Scope(organization_id=org_id)


def _expected(**params) -> set[str]:
    return set(
        booking_list(scope=_scope(), filters=BookingFilters.from_params(params)).values_list(
            "code", flat=True
        )
    )


def _shown(page) -> set[str]:
    return set(page.locator("#grid-results a.code").all_inner_texts())


def _filter(page, live_server, fill) -> None:
    """Open a clean grid of 100 rows, set one filter, submit it (htmx), wait for the rows."""
    page.goto(f"{live_server.url}/bookings/?page_size=100")
    fill(page)
    with page.expect_response(lambda r: "/bookings/" in r.url and r.request.method == "GET"):
        page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")


def test_every_filter_kind_narrows_the_grid_as_the_selector_does(signed_in, live_server):
    page = signed_in
    scope_qs = booking_list(scope=_scope())
    ref = scope_qs.filter(promotion__isnull=False, required_action_done_at__isnull=False).first()
    assert ref is not None, "the demo has a promotion booking with its required action done"
    day = ref.booked_at.date().isoformat()
    cases = [
        (
            {"booked_from": day, "booked_to": day},
            lambda p: (
                p.get_by_label("Booked from").fill(day),
                p.get_by_label("Booked until").fill(day),
            ),
        ),
        (
            {"arrival_from": ref.arrival.isoformat(), "arrival_to": ref.arrival.isoformat()},
            lambda p: (
                p.get_by_label("Arrival from").fill(ref.arrival.isoformat()),
                p.get_by_label("Arrival until").fill(ref.arrival.isoformat()),
            ),
        ),
        (
            {
                "departure_from": ref.departure.isoformat(),
                "departure_to": ref.departure.isoformat(),
            },
            lambda p: (
                p.get_by_label("Departure from").fill(ref.departure.isoformat()),
                p.get_by_label("Departure until").fill(ref.departure.isoformat()),
            ),
        ),
        ({"code": ref.code}, lambda p: p.get_by_label("Booking code").fill(ref.code)),
        (
            {"guest_last_name": ref.guest_last_name},
            lambda p: p.get_by_label("Guest last name").fill(ref.guest_last_name),
        ),
        (
            {"guest_first_name": ref.guest_first_name},
            lambda p: p.get_by_label("Guest first name").fill(ref.guest_first_name),
        ),
        (
            {"rate_plan": "Non-refundable"},
            lambda p: p.get_by_label("Rate plan").fill("Non-refundable"),
        ),
        (
            {"property": str(ref.property_id)},
            lambda p: p.get_by_label("Property").select_option(str(ref.property_id)),
        ),
        (
            {"promotion": ref.promotion.public_id},
            lambda p: p.get_by_label("Promotion ID").fill(ref.promotion.public_id),
        ),
        (
            {"variant": ref.variant.name},
            lambda p: p.get_by_label("Promotion variant").fill(ref.variant.name),
        ),
        (
            {"status": ["paid", "completed"]},
            lambda p: (
                p.get_by_role("checkbox", name="Paid", exact=True).check(),
                p.get_by_role("checkbox", name="Completed", exact=True).check(),
            ),
        ),
        (
            {"required_action": "done"},
            lambda p: p.get_by_label("Required action").select_option("done"),
        ),
        (
            {"kind": "packages"},
            lambda p: p.get_by_label("Kind", exact=True).select_option("packages"),
        ),
    ]
    for params, fill in cases:
        _filter(page, live_server, fill)
        expected = _expected(**params)
        assert expected, f"the demo data has bookings for {params}"
        shown = _shown(page)
        assert shown == expected if len(expected) <= 100 else shown <= expected, params
        for name, value in params.items():  # the filter lives in the URL
            values = value if isinstance(value, list) else [value]
            assert all(f"{name}=" in page.url for _v in values), (params, page.url)
    assert_accessible(page)


def test_export_the_filtered_set_and_parse_the_csv(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/bookings/?kind=rooms&status=paid")
    assert_accessible(page)
    screenshot(page, "grid")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these to CSV").click()
    raw = Path(download_info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    codes = (
        {row[header.index("Code")] for row in body} if "Code" in header else {r[0] for r in body}
    )
    assert codes == _expected(kind="rooms", status="paid")


def test_bulk_confirm_three_requests(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/bookings/?status=pending_confirmation&page_size=100")
    boxes = page.locator('#grid-results input[name="code"]')
    assert boxes.count() >= 3
    chosen = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_label("Action", exact=True).select_option("confirm")
    page.get_by_role("button", name="Run").click()
    page.wait_for_load_state("networkidle")
    for code in chosen:
        assert page.get_by_text(code).first.is_visible()
    statuses = set(Booking.objects.filter(code__in=chosen).values_list("status", flat=True))
    assert statuses <= {"awaiting_payment", "confirmed"}
    assert Booking.objects.filter(code__in=chosen, events__action="confirm").count() == 3
