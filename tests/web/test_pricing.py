"""The price constructor pages (SPEC §2, §4; issue #3 item 8).

Each section saves what it should, refuses bad input with a form error and writes nothing;
another organization's property is a 404 for every URL and post; reset erases prices and
settings but never an existing booking; CSRF is enforced.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staydesk.bookings.models import Booking
from staydesk.catalog.models import RatePlan, RatePrice, RatePriceOverride, RoomType
from staydesk.core.errors import DomainError
from staydesk.inventory.models import StockNight
from staydesk.inventory.resources import room_resource
from staydesk.pricing.models import CancellationTier, PriceConstructor
from staydesk.pricing.services import price_cell
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PropertyFactory,
    RatePlanFactory,
    RoomTypeFactory,
    UserFactory,
    book_room,
    room_offer,
)

FROZEN = (
    "total",
    "min_prepayment",
    "prepayment_percent",
    "cancellation_tiers",
    "payment_limit_hours",
    "payment_days_before_arrival",
    "provider_may_cancel",
    "nightly_prices",
    "rate_plan_name",
    "currency",
    "status",
)


@pytest.fixture
def org(db):
    return OrganizationFactory()


def _signed_in(org, **client_kwargs) -> Client:
    user = UserFactory()
    MembershipFactory(user=user, organization=org)
    client = Client(**client_kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def desk(org):
    """A signed-in member of ``org``."""
    return _signed_in(org)


@pytest.fixture
def offer(org, clock):
    """A priced room of ``org``: 3 units, 100.00 PLN a night, 50 % prepayment, two tiers."""
    return room_offer(organization=org, units=3, price="100.00", tiers=((30, "100"), (7, "80")))


def page(prop) -> str:
    return reverse("web:pricing_property", args=[prop.pk])


def edit(prop, part: str) -> str:
    return reverse("web:pricing_edit", args=[prop.pk, part])


def confirm(prop) -> str:
    return reverse("web:pricing_reset", args=[prop.pk])


def errors_of(response) -> str:
    """The text of the error lists on a re-rendered page."""
    html = response.content.decode()
    return " ".join(
        part.split("</ul>")[0] for part in html.split('class="errorlist')[1:]
    ) + " ".join(part.split("</p>")[0] for part in html.split('class="message error"')[1:])


def state(prop) -> dict:
    """Everything the constructor pages can write for a property, to show nothing changed."""
    return {
        "room_types": list(
            RoomType.objects.filter(property=prop)
            .order_by("pk")
            .values_list("name", "units", "max_adults", "max_children")
        ),
        "plans": list(
            RatePlan.objects.filter(property=prop)
            .order_by("pk")
            .values_list(
                "name", "is_active", "included_adults", "extra_adult_price", "extra_child_price"
            )
        ),
        "prices": sorted(
            RatePrice.objects.filter(rate_plan__property=prop).values_list(
                "rate_plan_id", "room_type_id", "price"
            )
        ),
        "overrides": sorted(
            RatePriceOverride.objects.filter(rate_plan__property=prop).values_list(
                "rate_plan_id", "room_type_id", "start", "end", "price"
            )
        ),
        "constructor": list(
            PriceConstructor.objects.filter(property=prop).values_list(
                "prepayment_percent",
                "payment_limit_hours",
                "payment_days_before_arrival",
                "provider_may_cancel",
            )
        ),
        "tiers": sorted(
            CancellationTier.objects.filter(constructor__property=prop).values_list(
                "rate_plan_id", "days_before", "refund_percent"
            ),
            key=str,
        ),
        "stock": sorted(
            StockNight.objects.filter(
                resource__in=[
                    room_resource(pk)
                    for pk in RoomType.objects.filter(property=prop).values_list("pk", flat=True)
                ]
            ).values_list("resource", "date", "capacity", "held")
        ),
    }


def frozen(booking) -> dict:
    return Booking.objects.filter(pk=booking.pk).values(*FROZEN).get()


def settings_data(**overrides) -> dict:
    data = {
        "prepayment_percent": "30",
        "payment_limit_hours": "24",
        "payment_days_before_arrival": "3",
        "provider_may_cancel": "",
    }
    return {**data, **overrides}


def room_type_data(room=None, **overrides) -> dict:
    data = {
        "room_type": room.pk if room else "",
        "name": room.name if room else "Suite",
        "units": room.units if room else 2,
        "max_adults": room.max_adults if room else 3,
        "max_children": room.max_children if room else 1,
    }
    return {**data, **overrides}


def rate_plan_data(plan=None, **overrides) -> dict:
    data = {
        "rate_plan": plan.pk if plan else "",
        "name": plan.name if plan else "Breakfast included",
        "is_active": "on",
        "included_adults": 2,
        "extra_adult_price": "35.50",
        "extra_child_price": "10",
    }
    return {**data, **overrides}


def tiers_data(rows, plan=None) -> dict:
    data = {"rate_plan": plan.pk if plan else "", "rows": len(rows)}
    for i, (days, percent) in enumerate(rows):
        data[f"days_{i}"] = days
        data[f"percent_{i}"] = percent
    return data


# --- the pages --------------------------------------------------------------------------------


def test_index_lists_only_the_organizations_own_properties(desk, org):
    mine = PropertyFactory(organization=org, name="Villa Mine")
    PropertyFactory(name="Villa Theirs")  # another organization's
    response = desk.get(reverse("web:pricing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Villa Mine" in html and page(mine) in html
    assert "Villa Theirs" not in html


def test_the_page_shows_every_section_and_writes_nothing(desk, org):
    prop = PropertyFactory(organization=org)
    room = RoomTypeFactory(property=prop, name="Double")
    plan = RatePlanFactory(property=prop, name="Standard")
    RatePrice.objects.create(rate_plan=plan, room_type=room, price=Decimal("120.5"))

    response = desk.get(page(prop))

    assert response.status_code == 200
    html = response.content.decode()
    for part in ("settings", "room-types", "rate-plans", "prices", "overrides", "tiers"):
        assert f'action="{edit(prop, part)}#{part}"' in html
    assert f'action="{confirm(prop)}"' in html
    assert 'value="120.50"' in html  # in the currency's minor unit
    assert f'name="{price_cell(plan.pk, room.pk)}"' in html
    assert not PriceConstructor.objects.filter(property=prop).exists()  # a read is a read


def test_signed_out_visitors_are_sent_to_sign_in(db, offer):
    response = Client().get(page(offer.property))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


# --- prepayment and payment -------------------------------------------------------------------


def test_settings_are_saved(desk, offer):
    response = desk.post(edit(offer.property, "settings"), settings_data())
    assert response.status_code == 302
    assert response["Location"] == page(offer.property) + "#settings"
    c = PriceConstructor.objects.get(property=offer.property)
    assert (c.prepayment_percent, c.payment_limit_hours) == (Decimal(30), 24)
    assert (c.payment_days_before_arrival, c.provider_may_cancel) == (3, False)
    followed = desk.get(response["Location"])
    assert "Prepayment and payment settings saved." in followed.content.decode()


def test_settings_without_the_days_limit_clear_it(desk, offer):
    desk.post(edit(offer.property, "settings"), settings_data())
    desk.post(
        edit(offer.property, "settings"),
        settings_data(payment_days_before_arrival="", provider_may_cancel="on"),
    )
    c = PriceConstructor.objects.get(property=offer.property)
    assert (c.payment_days_before_arrival, c.provider_may_cancel) == (None, True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("prepayment_percent", "100.5", "less than or equal to 100"),
        ("prepayment_percent", "-1", "greater than or equal to 0"),
        ("prepayment_percent", "12.345", "decimal places"),
        ("payment_limit_hours", "0", "greater than or equal to 1"),
        ("payment_days_before_arrival", "-2", "greater than or equal to 0"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(desk, offer, field, value, message):
    before = state(offer.property)
    response = desk.post(edit(offer.property, "settings"), settings_data(**{field: value}))
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(offer.property) == before


# --- room types -------------------------------------------------------------------------------


def test_a_room_type_is_added_and_edited(desk, offer):
    prop = offer.property
    response = desk.post(edit(prop, "room-types"), room_type_data())
    assert response.status_code == 302
    suite = RoomType.objects.get(property=prop, name="Suite")
    assert (suite.units, suite.max_adults, suite.max_children) == (2, 3, 1)

    response = desk.post(
        edit(prop, "room-types"), room_type_data(suite, name="Junior suite", units=5)
    )
    assert response.status_code == 302
    suite.refresh_from_db()
    assert (suite.name, suite.units) == ("Junior suite", 5)


def test_units_reach_the_stock_counters(desk, offer, clock):
    book_room(offer, arrival_in_days=10, nights=2)
    response = desk.post(
        edit(offer.property, "room-types"), room_type_data(offer.room_type, units=7)
    )
    assert response.status_code == 302
    capacities = set(
        StockNight.objects.filter(resource=room_resource(offer.room_type.pk)).values_list(
            "capacity", flat=True
        )
    )
    assert capacities == {7}


def test_units_below_what_is_booked_are_refused_with_the_reason(desk, offer, clock):
    first = book_room(offer, arrival_in_days=10, nights=2)
    book_room(offer, arrival_in_days=10, nights=2)
    before = state(offer.property)

    response = desk.post(
        edit(offer.property, "room-types"), room_type_data(offer.room_type, units=1)
    )

    assert response.status_code == 409
    assert f"2 are already booked on {first.arrival.isoformat()}" in errors_of(response)
    assert state(offer.property) == before

    # Down to exactly what is booked is fine.
    response = desk.post(
        edit(offer.property, "room-types"), room_type_data(offer.room_type, units=2)
    )
    assert response.status_code == 302
    assert RoomType.objects.get(pk=offer.room_type.pk).units == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"units": "-1"}, "greater than or equal to 0"),
        ({"max_adults": "0"}, "greater than or equal to 1"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_room_types_are_refused(desk, offer, overrides, message):
    before = state(offer.property)
    response = desk.post(edit(offer.property, "room-types"), room_type_data(**overrides))
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(offer.property) == before


def test_a_second_room_type_of_the_same_name_is_refused(desk, offer):
    before = state(offer.property)
    response = desk.post(
        edit(offer.property, "room-types"), room_type_data(name=offer.room_type.name.upper())
    )
    assert response.status_code == 422
    assert "already has a room type of that name" in errors_of(response)
    assert state(offer.property) == before


# --- rate plans -------------------------------------------------------------------------------


def test_a_rate_plan_is_added_and_edited(desk, offer):
    prop = offer.property
    assert desk.post(edit(prop, "rate-plans"), rate_plan_data()).status_code == 302
    plan = RatePlan.objects.get(property=prop, name="Breakfast included")
    assert (plan.is_active, plan.included_adults) == (True, 2)
    assert (plan.extra_adult_price, plan.extra_child_price) == (Decimal("35.5"), Decimal(10))

    data = rate_plan_data(plan, is_active="", included_adults=1, extra_child_price="0,50")
    assert desk.post(edit(prop, "rate-plans"), data).status_code == 302
    plan.refresh_from_db()
    assert (plan.is_active, plan.included_adults, plan.extra_child_price) == (
        False,
        1,
        Decimal("0.5"),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"extra_adult_price": "-5"}, "A price cannot be negative."),
        ({"extra_child_price": "1.005"}, "PLN amounts have at most 2 decimals."),
        ({"extra_adult_price": "ten"}, "Not a number."),
        ({"included_adults": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_rate_plans_are_refused(desk, offer, overrides, message):
    before = state(offer.property)
    response = desk.post(
        edit(offer.property, "rate-plans"), rate_plan_data(offer.rate_plan, **overrides)
    )
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(offer.property) == before


def test_a_second_rate_plan_of_the_same_name_is_refused(desk, offer):
    before = state(offer.property)
    response = desk.post(
        edit(offer.property, "rate-plans"), rate_plan_data(name=offer.rate_plan.name)
    )
    assert response.status_code == 422
    assert "already has a rate plan of that name" in errors_of(response)
    assert state(offer.property) == before


# --- nightly prices ---------------------------------------------------------------------------


def test_the_price_matrix_sets_and_clears_prices(desk, offer):
    prop, plan, room = offer.property, offer.rate_plan, offer.room_type
    suite = RoomTypeFactory(property=prop, name="Suite")
    response = desk.post(
        edit(prop, "prices"),
        {price_cell(plan.pk, room.pk): "110.25", price_cell(plan.pk, suite.pk): "300"},
    )
    assert response.status_code == 302
    assert dict(RatePrice.objects.filter(rate_plan=plan).values_list("room_type_id", "price")) == {
        room.pk: Decimal("110.25"),
        suite.pk: Decimal(300),
    }

    # Blank: that room type is not sold in the plan any more.
    response = desk.post(
        edit(prop, "prices"),
        {price_cell(plan.pk, room.pk): "", price_cell(plan.pk, suite.pk): "300.00"},
    )
    assert response.status_code == 302
    assert list(RatePrice.objects.filter(rate_plan=plan).values_list("room_type_id", "price")) == [
        (suite.pk, Decimal(300))
    ]

    # A cell not in the post (say, a room type added since the page was loaded) is left alone.
    assert desk.post(edit(prop, "prices"), {price_cell(plan.pk, room.pk): "99"}).status_code == 302
    assert dict(RatePrice.objects.filter(rate_plan=plan).values_list("room_type_id", "price")) == {
        room.pk: Decimal(99),
        suite.pk: Decimal(300),
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "A price cannot be negative."),
        ("99.999", "PLN amounts have at most 2 decimals."),
        ("1e12", "The amount is too large."),
        ("abc", "Not a number."),
    ],
)
def test_bad_nightly_prices_are_refused_and_no_cell_is_written(desk, offer, value, message):
    prop, plan, room = offer.property, offer.rate_plan, offer.room_type
    suite = RoomTypeFactory(property=prop, name="Suite")
    before = state(prop)
    response = desk.post(
        edit(prop, "prices"),
        {price_cell(plan.pk, room.pk): "150", price_cell(plan.pk, suite.pk): value},
    )
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(prop) == before  # the valid cell was not written either


def test_prices_follow_the_currency_of_the_property(desk, org, clock):
    yen = room_offer(organization=org, currency="JPY", price="12000")
    cell = price_cell(yen.rate_plan.pk, yen.room_type.pk)
    response = desk.post(edit(yen.property, "prices"), {cell: "12500.5"})
    assert response.status_code == 422
    assert "JPY amounts have at most 0 decimals." in errors_of(response)
    assert desk.post(edit(yen.property, "prices"), {cell: "12500"}).status_code == 302
    assert RatePrice.objects.get(rate_plan=yen.rate_plan).price == Decimal(12500)


# --- date-range overrides ---------------------------------------------------------------------


def override_data(offer, **overrides) -> dict:
    data = {
        "rate_plan": offer.rate_plan.pk,
        "room_type": offer.room_type.pk,
        "start": "2026-12-20",
        "end": "2026-12-31",
        "price": "180",
    }
    return {**data, **overrides}


def test_an_override_is_added_listed_and_deleted(desk, offer):
    prop = offer.property
    response = desk.post(edit(prop, "overrides"), override_data(offer))
    assert response.status_code == 302
    override = RatePriceOverride.objects.get(rate_plan=offer.rate_plan)
    assert (override.start, override.end, override.price) == (
        dt.date(2026, 12, 20),
        dt.date(2026, 12, 31),
        Decimal(180),
    )
    html = desk.get(page(prop)).content.decode()
    assert "2026-12-20" in html and "180.00" in html

    response = desk.post(edit(prop, "overrides"), {"delete": override.pk})
    assert response.status_code == 302
    assert not RatePriceOverride.objects.filter(pk=override.pk).exists()


def test_a_one_night_override_is_fine(desk, offer):
    data = override_data(offer, start="2026-12-24", end="2026-12-24")
    assert desk.post(edit(offer.property, "overrides"), data).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "2026-12-31", "end": "2026-12-20"}, "cannot be before the first night"),
        ({"price": "-10"}, "A price cannot be negative."),
        ({"price": "10.123"}, "PLN amounts have at most 2 decimals."),
        ({"start": "31/12/2026"}, "Enter a valid date."),
    ],
)
def test_bad_overrides_are_refused(desk, offer, overrides, message):
    before = state(offer.property)
    response = desk.post(edit(offer.property, "overrides"), override_data(offer, **overrides))
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(offer.property) == before


def test_an_override_for_another_propertys_plan_is_refused(desk, org, offer, clock):
    other = room_offer(organization=org)  # the same organization, another property
    before = state(offer.property), state(other.property)
    response = desk.post(
        edit(offer.property, "overrides"), override_data(offer, rate_plan=other.rate_plan.pk)
    )
    assert response.status_code == 422
    assert (state(offer.property), state(other.property)) == before


def test_deleting_another_propertys_override_is_404(desk, org, offer, clock):
    other = room_offer(organization=org)
    theirs = RatePriceOverride.objects.create(
        rate_plan=other.rate_plan,
        room_type=other.room_type,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 2),
        price=Decimal(1),
    )
    response = desk.post(edit(offer.property, "overrides"), {"delete": theirs.pk})
    assert response.status_code == 404
    assert RatePriceOverride.objects.filter(pk=theirs.pk).exists()


# --- cancellation tiers -----------------------------------------------------------------------


def tiers_of(prop, plan=None) -> list[tuple[int, Decimal]]:
    return list(
        CancellationTier.objects.filter(constructor__property=prop, rate_plan=plan)
        .order_by("-days_before")
        .values_list("days_before", "refund_percent")
    )


def test_default_tiers_are_replaced_as_a_set(desk, offer):
    prop = offer.property
    data = tiers_data([(14, "90"), ("", ""), (60, "100"), (2, "12.5")])
    response = desk.post(edit(prop, "tiers"), data)
    assert response.status_code == 302
    assert tiers_of(prop) == [(60, Decimal(100)), (14, Decimal(90)), (2, Decimal("12.5"))]

    html = desk.get(page(prop)).content.decode()
    assert "60 days or more before arrival: the whole total is refundable." in html
    assert "14 to 59 days before arrival: 90 % of the total is refundable." in html
    assert "2 to 13 days before arrival: 12.5 % of the total is refundable." in html
    assert "Less than 2 days before arrival: nothing is refundable." in html


def test_a_rate_plan_gets_tiers_of_its_own_and_can_drop_them(desk, offer):
    prop, plan = offer.property, offer.rate_plan
    html = desk.get(page(prop)).content.decode()
    assert "No rules of its own: follows the property default." in html

    assert desk.post(edit(prop, "tiers"), tiers_data([(0, "0")], plan)).status_code == 302
    assert tiers_of(prop, plan) == [(0, Decimal(0))]
    assert tiers_of(prop) == [(30, Decimal(100)), (7, Decimal(80))]  # the default is untouched
    assert (
        "Whenever the guest cancels: nothing is refundable."
        in desk.get(page(prop)).content.decode()
    )

    assert desk.post(edit(prop, "tiers"), tiers_data([("", "")], plan)).status_code == 302
    assert tiers_of(prop, plan) == []


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(10, "50"), (10, "40")], "Two tiers start 10 days before arrival"),
        ([(10, "100.01")], "less than or equal to 100"),
        ([(10, "-1")], "greater than or equal to 0"),
        ([(-1, "50")], "greater than or equal to 0"),
        ([(10, "")], "Fill in both"),
        ([("", "50")], "Fill in both"),
    ],
)
def test_bad_tiers_are_refused_and_the_old_set_stays(desk, offer, rows, message):
    before = state(offer.property)
    response = desk.post(edit(offer.property, "tiers"), tiers_data(rows))
    assert response.status_code == 422
    assert message in errors_of(response)
    assert state(offer.property) == before


def test_tiers_of_another_propertys_plan_are_404(desk, org, offer, clock):
    other = room_offer(organization=org)
    before = state(other.property)
    response = desk.post(edit(offer.property, "tiers"), tiers_data([(5, "50")], other.rate_plan))
    assert response.status_code == 404
    assert state(other.property) == before


# --- tenant isolation -------------------------------------------------------------------------


def test_another_organizations_property_is_404_everywhere(desk, clock):
    theirs = room_offer(price="100.00")  # its own organization
    booking = book_room(theirs, arrival_in_days=10)
    override = RatePriceOverride.objects.create(
        rate_plan=theirs.rate_plan,
        room_type=theirs.room_type,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 2),
        price=Decimal(1),
    )
    prop = theirs.property
    before, booking_before = state(prop), frozen(booking)
    posts = {
        "settings": settings_data(),
        "room-types": room_type_data(theirs.room_type, units=1),
        "rate-plans": rate_plan_data(theirs.rate_plan),
        "prices": {price_cell(theirs.rate_plan.pk, theirs.room_type.pk): ""},
        "overrides": {"delete": override.pk},
        "tiers": tiers_data([(1, "1")]),
        "reset": {},
    }
    urls = [page(prop), confirm(prop)] + [edit(prop, part) for part in posts]
    for url in urls:
        assert desk.get(url).status_code == 404, url
    for part, data in posts.items():
        assert desk.post(edit(prop, part), data).status_code == 404, part
    assert desk.post(confirm(prop)).status_code == 404
    assert desk.post(page(prop)).status_code == 404
    assert state(prop) == before
    assert frozen(booking) == booking_before


def test_an_unknown_section_is_404(desk, offer):
    assert desk.post(edit(offer.property, "nonsense"), {}).status_code == 404


# --- reset ------------------------------------------------------------------------------------


def test_the_reset_confirmation_says_what_goes_and_changes_nothing(desk, offer, clock):
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan,
        room_type=offer.room_type,
        start=dt.date(2026, 12, 24),
        end=dt.date(2026, 12, 26),
        price=Decimal(200),
    )
    booking = book_room(offer, arrival_in_days=10)
    before, booking_before = state(offer.property), frozen(booking)

    response = desk.get(confirm(offer.property))

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 nightly price" in html
    assert "1 date-range price" in html
    assert "2 cancellation tiers" in html
    assert "minimum prepayment: 0 %" in html
    assert "payment time limit: 48 hours after confirmation" in html
    assert "Existing bookings keep their price and the rules they were sold under." in html
    assert f'method="post" action="{confirm(offer.property)}"' in html
    assert state(offer.property) == before
    assert frozen(booking) == booking_before


def test_the_reset_button_leads_to_the_confirmation_and_never_erases_by_itself(desk, offer):
    before = state(offer.property)
    for response in (
        desk.get(edit(offer.property, "reset")),
        desk.post(edit(offer.property, "reset")),
    ):
        assert response.status_code == 302
        assert response["Location"] == confirm(offer.property)
    assert state(offer.property) == before


def test_reset_erases_prices_but_not_bookings_and_new_bookings_wait_for_prices(desk, offer, clock):
    prop = offer.property
    offer.rate_plan.extra_adult_price = Decimal(20)
    offer.rate_plan.save()
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan,
        room_type=offer.room_type,
        start=dt.date(2026, 12, 24),
        end=dt.date(2026, 12, 26),
        price=Decimal(200),
    )
    desk.post(edit(prop, "tiers"), tiers_data([(3, "10")], offer.rate_plan))
    booking = book_room(offer, arrival_in_days=10, nights=2, adults=2)
    booking_before = frozen(booking)
    assert booking_before["total"] == Decimal("200.00")

    response = desk.post(confirm(prop))

    assert response.status_code == 302
    assert response["Location"] == page(prop)
    message = desk.get(page(prop)).content.decode()
    assert (
        "Erased: 1 nightly price, 1 date-range price, 3 cancellation tiers, "
        "0 package and promotion prices." in message
    )
    assert not RatePrice.objects.filter(rate_plan__property=prop).exists()
    assert not RatePriceOverride.objects.filter(rate_plan__property=prop).exists()
    assert not CancellationTier.objects.filter(constructor__property=prop).exists()
    c = PriceConstructor.objects.get(property=prop)
    assert (c.prepayment_percent, c.payment_limit_hours, c.payment_days_before_arrival) == (
        Decimal(0),
        48,
        None,
    )
    plan = RatePlan.objects.get(pk=offer.rate_plan.pk)
    assert (plan.name, plan.extra_adult_price) == (offer.rate_plan.name, Decimal(0))
    assert frozen(booking) == booking_before
    assert RoomType.objects.get(pk=offer.room_type.pk).units == 3

    with pytest.raises(DomainError) as refused:
        book_room(offer, arrival_in_days=12)
    assert refused.value.code == "not_priced"

    # Priced again through the page, rooms sell again at the new price.
    cell = price_cell(offer.rate_plan.pk, offer.room_type.pk)
    assert desk.post(edit(prop, "prices"), {cell: "90"}).status_code == 302
    again = book_room(offer, arrival_in_days=12, nights=2)
    assert again.total == Decimal("180.00")
    assert frozen(booking) == booking_before


# --- CSRF -------------------------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused(org, offer):
    strict = _signed_in(org, enforce_csrf_checks=True)
    before = state(offer.property)
    cell = price_cell(offer.rate_plan.pk, offer.room_type.pk)
    posts = [
        (edit(offer.property, "settings"), settings_data()),
        (edit(offer.property, "prices"), {cell: "1"}),
        (edit(offer.property, "tiers"), tiers_data([(1, "1")])),
        (confirm(offer.property), {}),
    ]
    for url, data in posts:
        assert strict.post(url, data).status_code == 403, url
    assert state(offer.property) == before

    # The page's own token makes the same post go through.
    strict.get(page(offer.property))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        edit(offer.property, "prices"), {cell: "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert RatePrice.objects.get(rate_plan=offer.rate_plan).price == Decimal(1)


def test_a_huge_or_missing_property_id_is_404(desk):
    assert desk.get(reverse("web:pricing_property", args=[10**20])).status_code == 404
    assert desk.get(reverse("web:pricing_reset", args=[2**62])).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries(desk, offer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(page(offer.property)).status_code == 200
        return len(captured)

    small = queries()
    for i in range(4):
        room = RoomTypeFactory(property=offer.property, name=f"Room {i}")
        plan = RatePlanFactory(property=offer.property, name=f"Plan {i}")
        RatePrice.objects.create(rate_plan=plan, room_type=room, price=Decimal(50))
        RatePriceOverride.objects.create(
            rate_plan=plan,
            room_type=room,
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 1, 2),
            price=Decimal(60),
        )
        CancellationTier.objects.create(
            constructor=offer.constructor, rate_plan=plan, days_before=3, refund_percent=10
        )
    assert queries() == small
