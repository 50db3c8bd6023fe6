"""The API list and the UI grid read through the same selector: for the same query they
return the same bookings, in the same order (SPEC §5, §8)."""

import datetime as dt
import re

import pytest

from staydesk.bookings.actors import Actor
from staydesk.bookings.services import booking_create
from staydesk.bookings.services.perform import booking_perform
from staydesk.core import clock as sd_clock
from staydesk.payments.services import payment_record
from tests.factories import (
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    UserFactory,
    book_room,
    guest,
    room_offer,
)
from tests.web.booking_fixtures import member, signed_in

CODE = re.compile(r'class="code">([^<]+)<')


@pytest.fixture
def varied(two_sides, clock):
    """Bookings of every kind and many states at two properties of organization A (and B's
    bookings, which neither list may show)."""
    a, _b = two_sides
    org = a.offer.property.organization
    second = room_offer(organization=org, price="80.00", name="Second house")
    provider = Actor.provider(UserFactory())
    names = ["Kowalski", "Nowak", "Smith", "Nowakowska", "Dvořák", "Ivanova"]
    made = []
    for i, last in enumerate(names):
        clock.shift(minutes=20)
        offer = a.offer if i % 2 else second
        made.append(
            book_room(
                offer,
                arrival_in_days=5 + 3 * i,
                nights=1 + i % 3,
                adults=1 + i % 2,
                guest=guest(last_name=last, first_name=["Anna", "Jan"][i % 2]),
                agency=a.agency if i == 3 else None,
            )
        )
    today = sd_clock.local_date(a.offer.property.timezone)
    package = PackageFactory(property=a.offer.property, name="Ski week")
    promo = PromotionFactory(property=second.property, public_id="PRMPARITY")
    variant = PromotionVariantFactory(promotion=promo, name="Two nights")
    for days in (12, 20):
        clock.shift(minutes=10)
        made.append(
            booking_create(
                property=a.offer.property,
                package=package,
                arrival=today + dt.timedelta(days=days),
                adults=2,
                guest=guest(last_name="Packer"),
                actor=Actor.guest(),
            )
        )
    clock.shift(minutes=5)
    made.append(
        booking_create(
            property=second.property,
            variant=variant,
            arrival=today + dt.timedelta(days=15),
            adults=2,
            guest=guest(last_name="Promo"),
            actor=Actor.guest(),
        )
    )
    booking_perform(booking=made[0], name="confirm", actor=provider)
    booking_perform(booking=made[1], name="confirm", actor=provider)
    booking_perform(booking=made[2], name="reject", actor=provider, reason="full")
    booking_perform(booking=made[3], name="confirm", actor=provider)
    booking_perform(booking=made[3], name="cancel", actor=Actor.for_agency(a.agency))
    booking_perform(booking=made[6], name="confirm", actor=provider)
    payment_record(booking=made[6], amount=made[6].total, actor=provider, reference="p")
    booking_perform(booking=made[6], name="required-action", actor=provider)
    return {
        "a": a,
        "second": second,
        "package": package,
        "promo": promo,
        "variant": variant,
        "today": today,
        "made": made,
    }


def queries(v) -> list[str]:
    a, today = v["a"], v["today"]
    d = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731
    booked = sd_clock.now().date()
    return [
        "",
        "ordering=-booked_at",
        "ordering=guest",
        "ordering=-arrival",
        "ordering=total",
        "ordering=-paid",
        "ordering=status",
        "ordering=offer",
        f"arrival_from={d(10)}",
        f"arrival_from={d(8)}&arrival_to={d(16)}",
        f"departure_to={d(14)}",
        f"departure_from={d(12)}&ordering=-departure",
        f"booked_from={(booked - dt.timedelta(days=1)).isoformat()}",
        f"booked_to={booked.isoformat()}",
        "guest_last_name=nowak",
        "guest_first_name=Jan",
        "guest_last_name=Nowak&guest_first_name=Anna",
        f"code={v['made'][0].code}",
        f"code={v['made'][0].code[:4]}",
        f"property={v['second'].property.pk}",
        f"property={a.offer.property.pk}&ordering=-code",
        f"rate_plan={a.offer.rate_plan.name}",
        "promotion=PRMPARITY",
        f"variant={v['variant'].name}",
        "status=pending_confirmation",
        "status=awaiting_payment&status=rejected_by_provider",
        "status=cancelled_by_guest",
        "status=confirmed&status=paid",
        "required_action=done",
        "required_action=pending",
        "kind=rooms",
        "kind=packages",
        "kind=rooms&status=pending_confirmation&ordering=-adults",
        "deadline_within=24",
        "deadline_within=72&ordering=children",
    ]


def test_the_api_list_and_the_grid_return_the_same_bookings(varied):
    a = varied["a"]
    grid = signed_in(member(a.offer.property.organization))
    api = a.provider
    seen_some = 0
    for query in queries(varied):
        sep = "&" if query else ""
        from_api = api.get(f"/api/v1/bookings?{query}{sep}page_size=100")
        assert from_api.status_code == 200, (query, from_api.content)
        api_codes = [row["code"] for row in from_api.json()["results"]]
        from_grid = grid.get(f"/bookings/?{query}{sep}page_size=100")
        assert from_grid.status_code == 200, query
        grid_codes = CODE.findall(from_grid.content.decode())
        assert api_codes == grid_codes, query
        assert from_api.json()["count"] == len(api_codes)
        seen_some += bool(api_codes)
    # The queries do tell bookings apart: most match some, and not all match everything.
    assert seen_some >= len(queries(varied)) - 6
    assert len({b.code for b in varied["made"]}) == 9


def test_bad_filters_are_refused_by_both(varied):
    a = varied["a"]
    grid = signed_in(member(a.offer.property.organization))
    for query in ("arrival_from=tomorrow", "status=nope", "kind=cars", "ordering=secret"):
        assert a.provider.get(f"/api/v1/bookings?{query}").status_code == 422, query
        assert grid.get(f"/bookings/?{query}").status_code == 400, query
