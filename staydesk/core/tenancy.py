"""Who is looking: every read and write is scoped to what its caller may see (SPEC §1).

A provider sees its organization's bookings, an agency the bookings it made, a guest the
one booking its secret opens, the platform operator everything.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    organization_id: int | None = None
    agency_id: int | None = None
    booking_id: int | None = None
    everything: bool = False

    def __post_init__(self) -> None:
        given = [self.organization_id, self.agency_id, self.booking_id]
        if (
            self.everything == any(x is not None for x in given)
            or sum(x is not None for x in given) > 1
        ):
            raise ValueError("A scope is exactly one organization, agency, booking, or everything.")

    @classmethod
    def operator(cls) -> "Scope":
        return cls(everything=True)
