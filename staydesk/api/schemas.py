"""The shapes of the API v1 (SPEC §8 names). Amounts are decimal strings, never floats."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

# A wall-clock time at the property, without an offset (JSON Schema's "time" requires one).
LocalTime = Annotated[
    dt.time,
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "14:00:00"}),
]


class ErrorOut(Schema):
    detail: str = Field(examples=["No unit is free for these dates any more."])
    code: str = Field(examples=["sold_out"])
    field: str | None = None


class GuestIn(Schema):
    first_name: str = Field(max_length=100, examples=["Anna"])
    last_name: str = Field(max_length=100, examples=["Nowak"])
    email: str = Field(max_length=254, examples=["anna.nowak@example.com"])
    phone: str = Field("", max_length=32, examples=["+48601234567"])
    language: str = Field("en", max_length=8, examples=["pl"])


class GuestOut(Schema):
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str


class BookingIn(Schema):
    property: int = Field(examples=[1])
    room_type: int | None = Field(None, examples=[1])
    rate_plan: int | None = Field(None, examples=[1])
    package: int | None = None
    promotion: int | None = None
    variant: int | None = None
    arrival: dt.date = Field(examples=["2027-03-01"])
    departure: dt.date | None = Field(None, examples=["2027-03-04"])
    adults: int = Field(ge=1, le=99, examples=[2])
    children: int = Field(0, ge=0, le=99)
    currency: str | None = Field(None, max_length=3, description="Refused if not the property's.")
    guest: GuestIn


class RequiredActionOut(Schema):
    text: str
    done: bool
    done_at: dt.datetime | None


class NamedRef(Schema):
    id: int
    name: str


class BookingOut(Schema):
    code: str
    kind: Literal["room", "package", "promotion"]
    status: str
    property: NamedRef
    room_type: NamedRef | None
    offer: str = Field(description="The accommodation or offer, as sold.")
    package: NamedRef | None
    promotion: str | None = Field(description="The promotion ID.")
    variant: NamedRef | None
    rate_plan: str | None
    arrival: dt.date
    departure: dt.date
    adults: int
    children: int
    guest: GuestOut
    agency: NamedRef | None
    booked_at: dt.datetime
    total: Decimal
    paid: Decimal
    currency: str
    min_prepayment: Decimal
    confirm_by: dt.datetime | None
    pay_by: dt.datetime | None
    required_action: RequiredActionOut | None
    allowed_actions: list[str]
    voucher_url: str | None
    cancellation_type: str | None = None
    cancellation_reason: str | None = None


class BookingPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[BookingOut]


class CancelIn(Schema):
    type: str = Field("", max_length=40, description="Cancellation type (providers).")
    reason: str = Field("", max_length=2000)


class RejectIn(Schema):
    reason: str = Field("", max_length=2000)


class BulkIn(Schema):
    action: Literal["confirm", "reject", "cancel"]
    codes: list[str] = Field(min_length=1, max_length=500)
    type: str = Field("", max_length=40)
    reason: str = Field("", max_length=2000)


class BulkResultOut(Schema):
    code: str
    ok: bool
    status: str | None
    error: str | None = Field(None, description="The refusal's code.")
    detail: str | None = None


class RefundQuoteOut(Schema):
    currency: str
    total: Decimal
    paid: Decimal
    days_before_arrival: int
    refundable_percent: Decimal
    penalty: Decimal
    refund_before_fee: Decimal
    transfer_fee_percent: Decimal
    transfer_fee: Decimal
    refund: Decimal


class PaymentIn(Schema):
    amount: Decimal = Field(examples=["150.00"])
    reference: str = Field("", max_length=120, examples=["card-2027-0001"])


class PropertyOut(Schema):
    id: int
    name: str
    address: str
    country: str
    timezone: str
    currency: str
    languages: list[str]
    check_in_time: LocalTime
    check_out_time: LocalTime
    booking_mode: str
