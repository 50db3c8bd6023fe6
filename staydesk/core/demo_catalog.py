"""Demo data, part one: people, organizations and what they sell. Every row is keyed on a
natural key (username, slug, name, promotion ID), so building it again finds it and changes
nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from staydesk.accounts.models import Agency, AgencyMembership, Membership, Organization
from staydesk.catalog.models import (
    Package,
    Promotion,
    PromotionVariant,
    Property,
    RatePlan,
    RatePrice,
    RatePriceOverride,
    RoomType,
)
from staydesk.core import clock
from staydesk.pricing.models import CancellationTier, PriceConstructor

# For the local demo only: every demo login uses it, and the command prints it.
DEMO_PASSWORD = "staydesk-demo"  # noqa: S105
ORG_SLUGS = ("baltic-stays", "nordic-trails")
AGENCY_SLUG = "amber-route-travel"

Role = Membership.Role


@dataclass
class Catalog:
    users: dict[str, object] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    props: dict[str, Property] = field(default_factory=dict)
    agency: Agency | None = None
    created: int = 0  # rows created by this run


class _Builder:
    def __init__(self) -> None:
        self.cat = Catalog()
        self._hash = ""

    def get(self, model, defaults=None, **keys):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **keys)
        self.cat.created += created
        return obj

    def user(self, username: str, first: str, last: str, **flags):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            # One hash for all demo users: hashing is slow on purpose, and they share a password.
            self._hash = self._hash or make_password(DEMO_PASSWORD)
            user = get_user_model().objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@staydesk.example",
                password=self._hash,
                **flags,
            )
            self.cat.created += 1
        self.cat.users[username] = user
        return user

    def org(self, slug: str, owner: str, staff: str, **defaults) -> Organization:
        org = self.get(Organization, slug=slug, defaults=defaults)
        self.get(
            Membership, user=self.cat.users[owner], organization=org, defaults={"role": Role.OWNER}
        )
        self.get(
            Membership, user=self.cat.users[staff], organization=org, defaults={"role": Role.STAFF}
        )
        self.cat.orgs[slug] = org
        return org

    def prop(self, key: str, org: Organization, name: str, **defaults) -> Property:
        prop = self.get(Property, organization=org, name=name, defaults=defaults)
        self.cat.props[key] = prop
        return prop

    def constructor(self, prop: Property, tiers, plan_tiers=None, **defaults) -> None:
        constructor = self.get(PriceConstructor, property=prop, defaults=defaults)
        for plan, rows in [(None, tiers), *(plan_tiers or {}).items()]:
            for days, percent in rows:
                self.get(
                    CancellationTier,
                    constructor=constructor,
                    rate_plan=plan,
                    days_before=days,
                    defaults={"refund_percent": Decimal(percent)},
                )

    def rooms(self, prop: Property, rooms, plans, override) -> None:
        """``rooms``: (name, units, adults, children, base price); ``plans``: (name, factor,
        extra adult, extra child); ``override``: (first night, last night, factor)."""
        types = [
            (
                self.get(
                    RoomType,
                    property=prop,
                    name=name,
                    defaults={"units": units, "max_adults": adults, "max_children": children},
                ),
                Decimal(price),
            )
            for name, units, adults, children, price in rooms
        ]
        start, end, factor = override
        for name, plan_factor, extra_adult, extra_child in plans:
            plan = self.get(
                RatePlan,
                property=prop,
                name=name,
                defaults={
                    "extra_adult_price": Decimal(extra_adult),
                    "extra_child_price": Decimal(extra_child),
                },
            )
            for room_type, base in types:
                price = (base * Decimal(plan_factor)).quantize(Decimal(1))
                self.get(RatePrice, rate_plan=plan, room_type=room_type, defaults={"price": price})
                self.get(
                    RatePriceOverride,
                    rate_plan=plan,
                    room_type=room_type,
                    defaults={
                        "start": start,
                        "end": end,
                        "price": (price * factor).quantize(Decimal(1)),
                    },
                )


def _christmas(today: dt.date) -> tuple[dt.date, dt.date, Decimal]:
    year = today.year if today <= dt.date(today.year, 12, 27) else today.year + 1
    return dt.date(year, 12, 23), dt.date(year + 1, 1, 1), Decimal("1.5")


def build_catalog() -> Catalog:
    b = _Builder()
    b.user("admin", "Platform", "Operator", is_staff=True, is_superuser=True)
    for username, first, last in (
        ("provider", "Magdalena", "Kowalczyk"),
        ("baltic-staff", "Tomasz", "Wiśniewski"),
        ("nordic", "Guðrún", "Sigurðardóttir"),
        ("nordic-staff", "Jón", "Einarsson"),
        ("agent", "Kateřina", "Nováková"),
    ):
        b.user(username, first, last)
    christmas = _christmas(clock.local_date("Europe/Warsaw"))
    plans = (
        ("Standard", "1", "90", "45"),
        ("Non-refundable", "0.85", "80", "40"),
        ("Breakfast included", "1.2", "130", "65"),
    )

    baltic = b.org(
        ORG_SLUGS[0],
        "provider",
        "baltic-staff",
        name="Baltic Stays",
        notification_email="desk@baltic-stays.example",
        notification_phone="+48601234567",
        language="pl",
    )
    pl = {"country": "PL", "timezone": "Europe/Warsaw", "currency": "PLN"}
    gdansk = b.prop(
        "gdansk",
        baltic,
        "Hotel Motława Gdańsk",
        address="ul. Długie Pobrzeże 22, 80-888 Gdańsk",
        languages=["pl", "en", "ru"],
        booking_mode=Property.BookingMode.REQUEST,
        contact_email="recepcja@motlawa.example",
        contact_phone="+48583012345",
        **pl,
    )
    b.rooms(
        gdansk,
        (
            ("Double room", 6, 2, 1, "420"),
            ("Twin room", 4, 2, 1, "390"),
            ("Family suite", 2, 4, 2, "780"),
        ),
        plans,
        christmas,
    )
    non_refundable = RatePlan.objects.get(property=gdansk, name="Non-refundable")
    b.constructor(
        gdansk,
        ((30, "100"), (7, "80"), (0, "0")),
        {non_refundable: ((0, "0"),)},
        prepayment_percent=Decimal(30),
        payment_limit_hours=48,
        payment_days_before_arrival=3,
    )
    zakopane = b.prop(
        "zakopane",
        baltic,
        "Willa Pod Giewontem Zakopane",
        address="ul. Kościeliska 18, 34-500 Zakopane",
        languages=["pl", "en", "cs"],
        booking_mode=Property.BookingMode.INSTANT,
        contact_email="willa@giewont.example",
        contact_phone="+48182012345",
        **pl,
    )
    b.rooms(
        zakopane,
        (("Double room with mountain view", 3, 2, 2, "310"), ("Apartment", 2, 4, 2, "560")),
        plans[::2],
        christmas,
    )
    b.constructor(zakopane, ((14, "100"), (3, "50"), (0, "0")), prepayment_percent=Decimal(0))
    promo = b.get(
        Promotion,
        public_id="ZAK-SPA-01",
        defaults={
            "property": zakopane,
            "name": "Spa weekend in the Tatras",
            "required_action_text": "Send the names and contact details of all travellers "
            "to the guesthouse.",
        },
    )
    for name, price, nights, capacity in (
        ("2 nights for 2 with breakfast", "899", 2, 3),
        ("3 nights for 2 with half board", "1490", 3, 2),
    ):
        b.get(
            PromotionVariant,
            promotion=promo,
            name=name,
            defaults={"price": Decimal(price), "nights": nights, "capacity_per_date": capacity},
        )

    nordic = b.org(
        ORG_SLUGS[1],
        "nordic",
        "nordic-staff",
        name="Nordic Trails",
        notification_email="bookings@nordic-trails.example",
        notification_phone="+3546111234",
        language="is",
    )
    reykjavik = b.prop(
        "reykjavik",
        nordic,
        "Nordic Trails Reykjavík",
        address="Laugavegur 24, 101 Reykjavík",
        country="IS",
        timezone="Atlantic/Reykjavik",
        currency="ISK",
        languages=["is", "en", "ru"],
        booking_mode=Property.BookingMode.REQUEST,
        contact_email="tours@nordic-trails.example",
        contact_phone="+3545512345",
    )
    for name, price, nights, capacity, action in (
        ("Golden Circle and Northern Lights", "189000", 3, 4, "Sign the travel contract."),
        ("Snæfellsnes Peninsula", "129900", 2, 6, "Sign the travel contract."),
        (
            "Ring Road Adventure",
            "459000",
            7,
            2,
            "Send the names, dates of birth and passport numbers of all travellers.",
        ),
    ):
        b.get(
            Package,
            property=reykjavik,
            name=name,
            defaults={
                "price": Decimal(price),
                "nights": nights,
                "capacity_per_date": capacity,
                "max_adults": 4,
                "max_children": 2,
                "required_action_text": action,
            },
        )
    b.constructor(
        reykjavik,
        ((60, "100"), (30, "50"), (0, "0")),
        prepayment_percent=Decimal(20),
        payment_limit_hours=72,
        payment_days_before_arrival=21,
    )

    agency = b.get(
        Agency,
        slug=AGENCY_SLUG,
        defaults={"name": "Amber Route Travel", "email": "bookings@amber-route.example"},
    )
    b.get(AgencyMembership, user=b.cat.users["agent"], agency=agency)
    b.cat.agency = agency
    return b.cat
