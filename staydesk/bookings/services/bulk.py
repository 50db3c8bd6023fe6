"""Bulk actions (SPEC §5): one action over many bookings, a result per booking.

The grid's bulk form and the API's ``POST /api/v1/bookings/bulk`` both call
``bookings_bulk``. Each booking goes through ``booking_perform`` in its own transaction, so a
refusal of one (or one missing) never stops or undoes the others.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from staydesk.bookings.actors import Actor
from staydesk.bookings.selectors import booking_scope
from staydesk.bookings.services.perform import CANCEL, CANCELLATION_TYPES, booking_perform
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.tenancy import Scope

# The actions offered in bulk: the answers to requests and the provider's cancellation.
BULK_ACTIONS = ("confirm", "reject", CANCEL)
MAX_CODES = 500
# Longer than any booking code: never looked up (and never sent to the database).
MAX_CODE_LENGTH = 32
MAX_REASON = 2000


@dataclass(frozen=True)
class BulkResult:
    code: str
    ok: bool
    status: str  # the status after the action, or the unchanged one when refused
    code_of_error: str = ""
    message: str = ""


def _clean_codes(codes) -> list[str]:
    cleaned = [str(code).strip() for code in codes or ()]
    return list(dict.fromkeys(code for code in cleaned if code))


def _check(*, name: str, codes: list[str], cancellation_type: str, reason: str) -> None:
    """Refuse the whole request, before touching anything, if it cannot be run as asked."""
    if name not in BULK_ACTIONS:
        raise InvalidInput("unknown_action", _("Choose confirm, reject or cancel."), field="action")
    if not codes:
        raise InvalidInput("no_codes", _("Select at least one booking."), field="codes")
    if len(codes) > MAX_CODES:
        raise InvalidInput(
            "too_many_codes",
            _("Select at most %(max)s bookings at a time.") % {"max": MAX_CODES},
            field="codes",
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            "reason_too_long",
            _("Keep the reason under %(max)s characters.") % {"max": MAX_REASON},
            field="reason",
        )
    if name == CANCEL:
        if cancellation_type not in CANCELLATION_TYPES:
            raise InvalidInput(
                "invalid_cancellation_type", _("Choose a cancellation type."), field="type"
            )
        if not reason:
            raise InvalidInput(
                "reason_required",
                _("Give the guest a reason for the cancellation."),
                field="reason",
            )


def bookings_bulk(
    *,
    scope: Scope,
    codes,
    name: str,
    actor: Actor,
    cancellation_type: str = "",
    reason: str = "",
) -> list[BulkResult]:
    """Run action ``name`` on each booking of ``codes`` (in that order), one result per code.

    Raises ``InvalidInput`` for a request that cannot run at all (unknown action, no codes,
    more than ``MAX_CODES``, a cancellation without type or reason). Codes the scope cannot
    see, including another organization's, are reported as ``not_found`` exactly like codes
    that do not exist.
    """
    codes = _clean_codes(codes)
    reason = (reason or "").strip()
    cancellation_type = (cancellation_type or "").strip()
    _check(name=name, codes=codes, cancellation_type=cancellation_type, reason=reason)

    # A NUL byte cannot be in any code (and PostgreSQL refuses it in a query): not found.
    lookup = [code for code in codes if len(code) <= MAX_CODE_LENGTH and "\x00" not in code]
    found = {
        b.code: b
        for b in booking_scope(scope=scope).select_related("property").filter(code__in=lookup)
    }
    results = []
    for code in codes:
        booking = found.get(code)
        if booking is None:
            results.append(BulkResult(code, False, "", "not_found", _("No such booking.")))
            continue
        try:
            with transaction.atomic():
                done = booking_perform(
                    booking=booking,
                    name=name,
                    actor=actor,
                    cancellation_type=cancellation_type,
                    reason=reason,
                )
        except DomainError as refused:
            results.append(
                BulkResult(code, False, booking.status, refused.code, str(refused.message))
            )
            continue
        results.append(BulkResult(code, True, done.status))
    return results
