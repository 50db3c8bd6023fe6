"""Bearer authentication for the three kinds of caller (SPEC §1, §8).

``Authorization: Bearer <token>`` with a provider API key, an agency API key (``sd_…``) or a
guest's booking secret (``<code>.<signature>``). The result is a ``Caller``: the scope it
may read, the actor its writes are recorded as, and the key its rate limit counts under.
"""

from dataclasses import dataclass

from ninja.security import HttpBearer

from staydesk.accounts.services import TOKEN_PREFIX, api_key_authenticate
from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import booking_for_guest_token
from staydesk.bookings.states import ActorKind
from staydesk.core.tenancy import Scope


@dataclass(frozen=True)
class Caller:
    kind: ActorKind  # PROVIDER (an organization's key), AGENCY, or GUEST
    scope: Scope
    actor: Actor
    key: str  # what rate limits and idempotency keys are scoped to
    organization_id: int | None = None
    agency_id: int | None = None
    booking_id: int | None = None


def caller_for_token(token: str) -> Caller | None:
    if token.startswith(f"{TOKEN_PREFIX}_"):
        api_key = api_key_authenticate(token=token)
        if api_key is None:
            return None
        if api_key.organization_id is not None:
            return Caller(
                kind=ActorKind.PROVIDER,
                scope=Scope(organization_id=api_key.organization_id),
                actor=Actor(kind=ActorKind.PROVIDER, label=f"API key {api_key.prefix}"),
                key=f"key:{api_key.pk}",
                organization_id=api_key.organization_id,
            )
        return Caller(
            kind=ActorKind.AGENCY,
            scope=Scope(agency_id=api_key.agency_id),
            actor=Actor.for_agency(api_key.agency),
            key=f"key:{api_key.pk}",
            agency_id=api_key.agency_id,
        )
    booking = booking_for_guest_token(token)
    if booking is None:
        return None
    return Caller(
        kind=ActorKind.GUEST,
        scope=Scope(booking_id=booking.pk),
        actor=Actor.guest(booking.guest_full_name),
        key=f"booking:{booking.pk}",
        booking_id=booking.pk,
    )


class BearerAuth(HttpBearer):
    openapi_description = (
        "A provider or agency API key (`sd_…`), or a guest's booking secret (`<code>.<sig>`)."
    )

    def authenticate(self, request, token: str) -> Caller | None:
        caller = caller_for_token(token.strip())
        if caller is not None:
            request.caller = caller
        return caller
