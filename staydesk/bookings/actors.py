"""Who asks for an action. Every service takes one, and every audit event records it."""

from dataclasses import dataclass
from typing import Any

from staydesk.bookings.states import ActorKind


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user: Any = None  # a django.contrib.auth user, for providers and operators
    agency: Any = None
    label: str = ""

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind=ActorKind.SYSTEM, label="Staydesk")

    @classmethod
    def provider(cls, user) -> "Actor":
        return cls(
            kind=ActorKind.PROVIDER, user=user, label=user.get_full_name() or user.get_username()
        )

    @classmethod
    def operator(cls, user) -> "Actor":
        return cls(kind=ActorKind.OPERATOR, user=user, label=user.get_username())

    @classmethod
    def guest(cls, name: str = "") -> "Actor":
        return cls(kind=ActorKind.GUEST, label=name)

    @classmethod
    def for_agency(cls, agency) -> "Actor":
        return cls(kind=ActorKind.AGENCY, agency=agency, label=agency.name)
