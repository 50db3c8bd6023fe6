"""The grid's filters (SPEC §5 and §8), parsed once for the UI, the CSV export and the API.

``BookingFilters.from_params`` takes a query dict (``request.GET`` or the API's parameters)
and raises ``InvalidInput`` naming the field for anything it cannot read.
"""

import datetime as dt
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from staydesk.bookings.states import Status
from staydesk.core.errors import InvalidInput

ORDERINGS = {
    "code": "code",
    "booked_at": "booked_at",
    "guest": "guest_last_name",
    "adults": "adults",
    "children": "children",
    "arrival": "arrival",
    "departure": "departure",
    "offer": "offer_name",
    "rate_plan": "rate_plan_name",
    "total": "total",
    "paid": "paid",
    "status": "status",
    "required_action": "required_action_done_at",
    "property": "property__name",
}
DEFAULT_ORDERING = "booked_at"
REQUIRED_ACTION_CHOICES = ("done", "pending")
KIND_CHOICES = ("rooms", "packages")
MAX_TEXT = 100
MAX_DEADLINE_HOURS = 24 * 30


@dataclass(frozen=True)
class BookingFilters:
    booked_from: dt.date | None = None
    booked_to: dt.date | None = None
    arrival_from: dt.date | None = None
    arrival_to: dt.date | None = None
    departure_from: dt.date | None = None
    departure_to: dt.date | None = None
    code: str = ""
    guest_last_name: str = ""
    guest_first_name: str = ""
    rate_plan: str = ""
    property: str = ""
    promotion: str = ""
    variant: str = ""
    status: tuple[str, ...] = field(default_factory=tuple)
    required_action: str = ""
    kind: str = ""
    # Requests to confirm / bookings to pay whose deadline falls within this many hours.
    deadline_within: int | None = None
    ordering: str = DEFAULT_ORDERING

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_params(cls, params) -> "BookingFilters":
        """Read filters from a QueryDict-like object (``getlist`` for ``status``) or a dict."""

        def get(name: str) -> str:
            value = params.get(name, "")
            return (value or "").strip() if isinstance(value, str) else str(value)

        values: dict = {}
        for name in (
            "booked_from",
            "booked_to",
            "arrival_from",
            "arrival_to",
            "departure_from",
            "departure_to",
        ):
            raw = get(name)
            if raw:
                try:
                    values[name] = dt.date.fromisoformat(raw)
                except ValueError as exc:
                    raise InvalidInput(
                        "invalid_filter", _("Enter a date as YYYY-MM-DD."), field=name
                    ) from exc
        for name in (
            "code",
            "guest_last_name",
            "guest_first_name",
            "rate_plan",
            "property",
            "promotion",
            "variant",
        ):
            raw = get(name)
            if len(raw) > MAX_TEXT:
                raise InvalidInput("invalid_filter", _("This filter is too long."), field=name)
            values[name] = raw
        statuses = (
            params.getlist("status") if hasattr(params, "getlist") else params.get("status") or []
        )
        if isinstance(statuses, str):
            statuses = [statuses]
        statuses = [s for raw in statuses for s in str(raw).split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Status.values]
        if unknown:
            raise InvalidInput(
                "invalid_filter",
                _("Unknown status: %(s)s") % {"s": ", ".join(unknown)},
                field="status",
            )
        values["status"] = tuple(dict.fromkeys(statuses))
        for name, choices in (("required_action", REQUIRED_ACTION_CHOICES), ("kind", KIND_CHOICES)):
            raw = get(name)
            if raw and raw not in choices:
                raise InvalidInput(
                    "invalid_filter",
                    _("Choose one of: %(c)s") % {"c": ", ".join(choices)},
                    field=name,
                )
            values[name] = raw
        raw = get("deadline_within")
        if raw:
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_DEADLINE_HOURS:
                raise InvalidInput(
                    "invalid_filter",
                    _("Enter a number of hours from 1 to %(max)s.") % {"max": MAX_DEADLINE_HOURS},
                    field="deadline_within",
                )
            values["deadline_within"] = int(raw)
        ordering = get("ordering") or DEFAULT_ORDERING
        if ordering.lstrip("-") not in ORDERINGS:
            raise InvalidInput("invalid_filter", _("Unknown ordering."), field="ordering")
        values["ordering"] = ordering
        return cls(**values)

    def as_params(self) -> dict[str, str | list[str]]:
        """The non-empty filters as query parameters (to keep them in links and the URL)."""
        params: dict[str, str | list[str]] = {}
        for name in self.field_names():
            value = getattr(self, name)
            if name == "ordering" and value == DEFAULT_ORDERING:
                continue
            if isinstance(value, tuple):
                if value:
                    params[name] = list(value)
            elif value:
                params[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return params
