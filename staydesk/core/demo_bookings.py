"""Demo data, part two: about 200 bookings in every status, made by the real services.

Each booking is created and moved at the moments it would have happened: ``clock.now`` (the
one place the domain reads the time) is patched for every step, and no step lies in the
future. Bookings that still hold units have their deadlines ahead, so the timers leave them
alone; the rest were expired, paid, cancelled or checked in by the services themselves.
"""

import datetime as dt
import random
from dataclasses import dataclass
from unittest import mock

from staydesk.accounts.models import Membership
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.services import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_check_in,
    booking_confirm,
    booking_create,
    booking_expire,
    booking_mark_no_show,
    booking_mark_required_action_done,
    booking_reject,
)
from staydesk.bookings.states import Status
from staydesk.catalog.models import Package, PromotionVariant, Property, RatePrice
from staydesk.core import clock
from staydesk.core.demo_catalog import Catalog
from staydesk.core.demo_guests import demo_guest
from staydesk.core.errors import DomainError
from staydesk.core.money import percent_of
from staydesk.payments.ledger import paid_amount
from staydesk.payments.services import payment_record

S = Status
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# How many bookings of each status (200 in all).
MIX = {
    S.PENDING_CONFIRMATION: 14,
    S.REJECTED_BY_PROVIDER: 12,
    S.EXPIRED_UNCONFIRMED: 10,
    S.AWAITING_PAYMENT: 14,
    S.EXPIRED_UNPAID: 12,
    S.PARTIALLY_PAID: 22,
    S.PAID: 32,
    S.CONFIRMED: 16,
    S.COMPLETED: 36,
    S.CANCELLED_BY_GUEST: 16,
    S.CANCELLED_BY_PROVIDER: 8,
    S.NO_SHOW: 8,
}
# Arrival, in days from today: (earliest, latest).
ARRIVAL = {
    S.PENDING_CONFIRMATION: (2, 120),
    S.AWAITING_PAYMENT: (35, 120),
    S.PARTIALLY_PAID: (0, 120),
    S.PAID: (0, 120),
    S.CONFIRMED: (0, 120),
    S.COMPLETED: (-60, -1),
    S.NO_SHOW: (-60, -2),
}
# Booked on a day at most ``last`` days ago and ``gap`` days before arrival, so that every
# later step fits before now; None: booked in the last hours (the deadline is still ahead).
BOOKED = {S.PENDING_CONFIRMATION: None, S.AWAITING_PAYMENT: None, S.EXPIRED_UNPAID: (-5, 1)}
BOOKED |= {s: (-3, 3) for s in (S.CANCELLED_BY_GUEST, S.CANCELLED_BY_PROVIDER, S.NO_SHOW)}
BOOKED |= {S.COMPLETED: (-2, 2)}
# Which statuses each way of selling reaches: request-to-book with prepayment, instant booking
# paid at the property, a prepaid promotion voucher.
FLOWS = {
    "request": frozenset(S) - {S.CONFIRMED},
    "instant": frozenset({S.CONFIRMED, S.PARTIALLY_PAID, S.PAID, S.COMPLETED, S.NO_SHOW})
    | {S.CANCELLED_BY_GUEST, S.CANCELLED_BY_PROVIDER},
    "voucher": frozenset({S.PAID, S.COMPLETED, S.NO_SHOW, S.EXPIRED_UNPAID})
    | {S.CANCELLED_BY_GUEST, S.CANCELLED_BY_PROVIDER},
}
# Payments made before the last step: (payments, weight) per flow.
PAYMENTS = {
    "request": ((("part",), 4), (("full",), 3), (("part", "rest"), 3), ((), 3)),
    "instant": (((), 4), (("part",), 2), (("full",), 3), (("part", "rest"), 1)),
    "voucher": ((("full",), 1),),
}
CANCEL_TYPES = (
    ("overbooking", "The room was sold twice by a partner site; we are very sorry."),
    ("property_unavailable", "Water damage: the room is closed for repairs."),
    ("other", "Severe weather warning: the trip cannot take place."),
)
GUEST_REASONS = ("Change of plans.", "Illness in the family.", "Flight cancelled.", "")
REJECT_REASONS = ("No rooms left for these dates.", "The group is too large for this offer.")


@dataclass(frozen=True)
class Sellable:
    prop: Property
    flow: str
    weight: float
    offer: dict  # the booking_create arguments naming it
    max_adults: int
    max_children: int
    fixed_nights: bool


def sellables(cat: Catalog) -> list[Sellable]:
    found = []
    for prop in cat.props.values():
        flow = "instant" if prop.booking_mode == Property.BookingMode.INSTANT else "request"
        for price in RatePrice.objects.filter(rate_plan__property=prop).select_related(
            "room_type", "rate_plan"
        ):
            rt, plan = price.room_type, price.rate_plan
            offer = {"room_type": rt, "rate_plan": plan}
            found.append(Sellable(prop, flow, 1, offer, rt.max_adults, rt.max_children, False))
        for pkg in Package.objects.filter(property=prop):
            offer = {"package": pkg}
            found.append(Sellable(prop, flow, 2, offer, pkg.max_adults, pkg.max_children, True))
        for var in PromotionVariant.objects.filter(promotion__property=prop):
            offer = {"variant": var}
            found.append(
                Sellable(prop, "voucher", 3, offer, var.max_adults, var.max_children, True)
            )
    return found


class BookingMaker:
    def __init__(self, cat: Catalog) -> None:
        self.rng = random.Random(42)
        self.now = clock.now()
        self.agency = cat.agency
        self.sellables = sellables(cat)
        self.staff: dict[int, list[Actor]] = {}
        members = Membership.objects.filter(organization__in=cat.orgs.values())
        for m in members.select_related("user").order_by("pk"):
            self.staff.setdefault(m.organization_id, []).append(Actor.provider(m.user))
        self.count = 0

    # --- time ---------------------------------------------------------------------------

    def at(self, when: dt.datetime):
        """Run what follows as if it were ``when`` (never in the future)."""
        if when > self.now:  # a bug in the recipes below: the demo never invents the future
            raise RuntimeError(f"demo step in the future: {when}")
        return mock.patch.object(clock, "now", return_value=when)

    def local(self, prop: Property, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return clock.local_datetime(prop.timezone, day, dt.time(hour, minute))

    def later(self, t: dt.datetime, lo: float, hi: float, cap: dt.datetime) -> dt.datetime:
        """A moment ``lo``…``hi`` hours after ``t``, never after ``cap`` nor now."""
        end = min(t + hi * HOUR, cap, self.now - 5 * MINUTE)
        start = min(t + lo * HOUR, end)
        return max(start + (end - start) * self.rng.random(), t + MINUTE)

    # --- one booking --------------------------------------------------------------------

    def make(self, status: Status) -> Booking | None:
        rng = self.rng
        choices = [s for s in self.sellables if status in FLOWS[s.flow]]
        item = rng.choices(choices, weights=[s.weight for s in choices])[0]
        prop = item.prop
        today = clock.local_date(prop.timezone, self.now)
        for _attempt in range(20):
            lo, hi = ARRIVAL.get(status, (-57, 120))
            days = rng.randint(lo, hi)
            rule = BOOKED.get(status, (-2, 1))
            if rule is None:
                hours = rng.uniform(0.3 if status == S.PENDING_CONFIRMATION else 4, 20)
                t0 = self.now - hours * HOUR
            else:
                booked = today + dt.timedelta(
                    rng.randint(max(-90, days - 180), min(rule[0], days - rule[1]))
                )
                t0 = self.local(prop, booked, rng.randint(7, 22), rng.randint(0, 59))
            arrival = today + dt.timedelta(days)
            nights = rng.choice((1, 2, 2, 3, 3, 4, 5, 7))
            agency = self.agency if rng.random() < 0.15 else None
            self.count += 1
            guest = demo_guest(rng, prop.country, self.count)
            name = f"{guest.first_name} {guest.last_name}"
            try:
                with self.at(t0):
                    booking = booking_create(
                        property=prop,
                        arrival=arrival,
                        departure=None if item.fixed_nights else arrival + dt.timedelta(nights),
                        adults=rng.randint(1, min(item.max_adults, 3)),
                        children=rng.choice((0, 0, 0, 1, 2)) if item.max_children >= 2 else 0,
                        guest=guest,
                        actor=Actor.for_agency(agency) if agency else Actor.guest(name),
                        agency=agency,
                        **item.offer,
                    )
            except DomainError as exc:
                if exc.code != "sold_out":
                    raise
                continue  # that date is full: try another
            self.advance(booking, status, item.flow, t0)
            return booking
        return None

    def advance(self, b: Booking, status: Status, flow: str, t: dt.datetime) -> None:
        rng = self.rng
        provider = rng.choice(self.staff[b.organization_id])
        guest = Actor.for_agency(b.agency) if b.agency else Actor.guest(b.guest_full_name)
        arrival_morning = self.local(b.property, b.arrival, 8)

        def step(when, service, **kwargs) -> None:
            nonlocal b, t
            t = when
            with self.at(when):
                b = service(booking=b, **kwargs)

        if status == S.REJECTED_BY_PROVIDER:
            when = self.later(t, 0.5, 20, b.confirm_by - 10 * MINUTE)
            return step(when, booking_reject, actor=provider, reason=rng.choice(REJECT_REASONS))
        if status == S.EXPIRED_UNCONFIRMED:
            return step(b.confirm_by + rng.randint(1, 30) * MINUTE, booking_expire)
        cancel_pending = status == S.CANCELLED_BY_GUEST and flow == "request" and rng.random() < 0.2
        if flow == "request" and status != S.PENDING_CONFIRMATION and not cancel_pending:
            when = self.later(t, 0.5, 8, b.confirm_by - 10 * MINUTE)
            step(when, booking_confirm, actor=provider)
        if status in (S.PENDING_CONFIRMATION, S.AWAITING_PAYMENT):
            return None
        if status == S.EXPIRED_UNPAID:
            return step(b.pay_by + rng.randint(1, 30) * MINUTE, booking_expire)

        payments = self.payments(status, flow) if not cancel_pending else ()
        last = arrival_morning - (24 * HOUR if status.startswith("cancelled") else dt.timedelta(0))
        for n, kind in enumerate(payments, 1):
            due = b.total - paid_amount(booking=b)
            part = b.min_prepayment or percent_of(b.total, 30, b.currency)
            amount = part if kind == "part" else due
            cap = b.pay_by - 5 * MINUTE if b.status == S.AWAITING_PAYMENT else last
            when = self.later(t, 0.1, 0.3 if flow == "voucher" else 20 * n * n, cap)
            payer = provider if rng.random() < 0.2 and flow != "voucher" else guest
            step(when, payment_record, amount=amount, actor=payer, reference=f"DEMO-{b.code}-{n}")

        odds = {S.COMPLETED: 0.8, S.PAID: 0.5, S.PARTIALLY_PAID: 0.3}.get(status, 0)
        if b.required_action_text and rng.random() < odds:
            when = self.later(t, 2, 72, arrival_morning)
            step(when, booking_mark_required_action_done, actor=provider)

        if status == S.COMPLETED:
            evening = self.local(b.property, b.arrival, rng.randint(15, 19))
            step(evening, booking_check_in, actor=provider)
        elif status == S.NO_SHOW:
            morning = self.local(b.property, b.arrival + dt.timedelta(1), rng.randint(9, 11))
            step(morning, booking_mark_no_show, actor=provider)
        elif status in (S.CANCELLED_BY_GUEST, S.CANCELLED_BY_PROVIDER):
            cap = last
            if b.status == S.AWAITING_PAYMENT:
                cap = min(cap, b.pay_by - 5 * MINUTE)
            elif b.status == S.PENDING_CONFIRMATION:
                cap = min(cap, b.confirm_by - 5 * MINUTE)
            when = self.later(t, 1, 24 * 30, cap)
            if status == S.CANCELLED_BY_GUEST:
                step(when, booking_cancel_by_guest, actor=guest, reason=rng.choice(GUEST_REASONS))
            else:
                kind, reason = rng.choice(CANCEL_TYPES)
                step(
                    when,
                    booking_cancel_by_provider,
                    actor=provider,
                    cancellation_type=kind,
                    reason=reason,
                )
        return None

    def payments(self, status: Status, flow: str) -> tuple[str, ...]:
        """Which payments come before the booking's last step."""
        if status in (S.PARTIALLY_PAID, S.CONFIRMED):
            return ("part",) if status == S.PARTIALLY_PAID else ()
        options = PAYMENTS[flow]
        if status == S.PAID:
            options = [o for o in options if o[0] and o[0][-1] != "part"]
        elif status in (S.COMPLETED, S.NO_SHOW) and flow == "request":
            options = [o for o in options if o[0]]  # awaiting payment cannot check in
        return self.rng.choices([p for p, _w in options], [w for _p, w in options])[0]


def build_bookings(cat: Catalog) -> int:
    """Make the demo bookings; returns how many were made."""
    maker = BookingMaker(cat)
    # Every status once first, so each is there even if a later attempt finds no room.
    rest = [status for status, count in MIX.items() for _ in range(count - 1)]
    maker.rng.shuffle(rest)
    plan = [*MIX, *rest]
    return sum(maker.make(status) is not None for status in plan)
