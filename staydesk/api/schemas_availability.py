"""The shapes of ``GET /api/v1/properties/{id}/availability``. Amounts are decimal strings."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class AvailabilityParams(Schema):
    arrival: dt.date = Field(examples=["2027-03-01"])
    departure: dt.date = Field(examples=["2027-03-04"])
    adults: int = Field(le=99, description="At least 1.", examples=[2])
    children: int = Field(0, le=99, examples=[0])


class RatePlanQuoteOut(Schema):
    id: int
    name: str
    total: Decimal = Field(description="The quoted total of the stay.", examples=["300.00"])
    included_adults: int
    extra_adult_price: Decimal
    extra_child_price: Decimal


class RoomTypeAvailabilityOut(Schema):
    id: int
    name: str
    free: int = Field(description="Units free on every night of the stay.")
    max_adults: int
    max_children: int
    rate_plans: list[RatePlanQuoteOut]


class OfferAvailabilityOut(Schema):
    kind: str = Field(description="`package` or `promotion`.", examples=["package"])
    package: int | None = Field(None, description="The package's id (book with `package`).")
    promotion: int | None = Field(None, description="The promotion's id (book with `promotion`).")
    promotion_id: str | None = Field(None, description="The public promotion ID.")
    variant: int | None = Field(None, description="The variant's id (book with `variant`).")
    name: str
    nights: int
    departure: dt.date = Field(description="Fixed by the offer's number of nights.")
    free: int = Field(description="How many can still start on the arrival date.")
    max_adults: int
    max_children: int
    total: Decimal


class AvailabilityOut(Schema):
    property: int
    arrival: dt.date
    departure: dt.date
    adults: int
    children: int
    currency: str
    room_types: list[RoomTypeAvailabilityOut]
    packages: list[OfferAvailabilityOut]
    promotions: list[OfferAvailabilityOut]
