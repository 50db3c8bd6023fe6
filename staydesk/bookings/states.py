"""The booking state machine of SPEC §3: statuses, actions and the edges between them.

``TRANSITIONS[action][status]`` lists the statuses an action may lead to from ``status``;
a pair that is not in the table is refused. Some actions have more than one possible target
(confirming leads to ``awaiting_payment`` or ``confirmed`` depending on the frozen prepayment);
the service picks one of the listed targets, never anything else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("Awaiting confirmation")
    REJECTED_BY_PROVIDER = "rejected_by_provider", _("Rejected by provider")
    EXPIRED_UNCONFIRMED = "expired_unconfirmed", _("Expired (not confirmed)")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    EXPIRED_UNPAID = "expired_unpaid", _("Expired (not paid)")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    CANCELLED_BY_GUEST = "cancelled_by_guest", _("Cancelled by guest")
    CANCELLED_BY_PROVIDER = "cancelled_by_provider", _("Cancelled by provider")
    NO_SHOW = "no_show", _("No-show")


class Action(models.TextChoices):
    """Everything that can happen to a booking; each is one audit event."""

    CREATE = "create", _("Created")
    CONFIRM = "confirm", _("Confirmed by provider")
    REJECT = "reject", _("Rejected by provider")
    EXPIRE = "expire", _("Expired")
    PAY = "pay", _("Payment received")
    CANCEL_BY_GUEST = "cancel_by_guest", _("Cancelled by guest")
    CANCEL_BY_PROVIDER = "cancel_by_provider", _("Cancelled by provider")
    CHECK_IN = "check_in", _("Check-in confirmed")
    NO_SHOW = "no_show", _("Marked as no-show")
    REQUIRED_ACTION_DONE = "required_action_done", _("Required action done")
    RESEND_CONFIRMATION = "resend_confirmation", _("Confirmation email re-sent")
    REMINDER_HALF = "reminder_half", _("Reminder: half the confirmation window left")
    REMINDER_FINAL = "reminder_final", _("Reminder: two hours left to confirm")
    UPDATE_GUEST = "update_guest", _("Guest details corrected")


class ActorKind(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    GUEST = "guest", _("Guest")
    AGENCY = "agency", _("Travel agency")
    SYSTEM = "system", _("System")
    OPERATOR = "operator", _("Platform operator")


class CancellationType(models.TextChoices):
    """Why a provider cancels (SPEC §5: "cancellation type, e.g. wrong dates")."""

    WRONG_DATES = "wrong_dates", _("Wrong dates")
    GUEST_REQUEST = "guest_request", _("At the guest's request")
    OVERBOOKING = "overbooking", _("Overbooking")
    PROPERTY_UNAVAILABLE = "property_unavailable", _("Property unavailable")
    PAYMENT_ISSUE = "payment_issue", _("Payment issue")
    OTHER = "other", _("Other")


S = Status
A = Action

# Statuses in which a booking holds its units (SPEC §2): while it is alive, and once the guest
# has checked in (``completed``), whose room stays occupied until departure.
HOLDING = frozenset(
    {S.PENDING_CONFIRMATION, S.AWAITING_PAYMENT, S.PARTIALLY_PAID, S.PAID, S.CONFIRMED, S.COMPLETED}
)
# The guest has paid enough for contact details and a voucher (SPEC §6).
PAID_ENOUGH = frozenset({S.PARTIALLY_PAID, S.PAID, S.COMPLETED})
_STAY_ON = frozenset({S.CONFIRMED, S.PARTIALLY_PAID, S.PAID})

TRANSITIONS: dict[Action, dict[Status, tuple[Status, ...]]] = {
    A.CONFIRM: {S.PENDING_CONFIRMATION: (S.AWAITING_PAYMENT, S.CONFIRMED)},
    A.REJECT: {S.PENDING_CONFIRMATION: (S.REJECTED_BY_PROVIDER,)},
    A.EXPIRE: {
        S.PENDING_CONFIRMATION: (S.EXPIRED_UNCONFIRMED,),
        S.AWAITING_PAYMENT: (S.EXPIRED_UNPAID,),
    },
    A.PAY: {
        S.AWAITING_PAYMENT: (S.AWAITING_PAYMENT, S.PARTIALLY_PAID, S.PAID),
        S.CONFIRMED: (S.CONFIRMED, S.PARTIALLY_PAID, S.PAID),
        S.PARTIALLY_PAID: (S.PARTIALLY_PAID, S.PAID),
    },
    A.CANCEL_BY_GUEST: {
        s: (S.CANCELLED_BY_GUEST,) for s in (S.PENDING_CONFIRMATION, S.AWAITING_PAYMENT, *_STAY_ON)
    },
    A.CANCEL_BY_PROVIDER: {s: (S.CANCELLED_BY_PROVIDER,) for s in (S.AWAITING_PAYMENT, *_STAY_ON)},
    A.CHECK_IN: {s: (S.COMPLETED,) for s in _STAY_ON},
    A.NO_SHOW: {s: (S.NO_SHOW,) for s in _STAY_ON},
    # Actions that leave the status as it is, and where they are allowed.
    A.REQUIRED_ACTION_DONE: {s: (s,) for s in (*_STAY_ON, S.COMPLETED)},
    A.RESEND_CONFIRMATION: {s: (s,) for s in (S.AWAITING_PAYMENT, *_STAY_ON)},
    A.REMINDER_HALF: {S.PENDING_CONFIRMATION: (S.PENDING_CONFIRMATION,)},
    A.REMINDER_FINAL: {S.PENDING_CONFIRMATION: (S.PENDING_CONFIRMATION,)},
    # Correcting a misspelt name or address never changes what was sold; any status.
    A.UPDATE_GUEST: {s: (s,) for s in S},
}

# Who may ask for each action. The operator may do anything a provider or guest may.
ACTORS: dict[Action, frozenset[ActorKind]] = {
    A.CONFIRM: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.REJECT: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.EXPIRE: frozenset({ActorKind.SYSTEM}),
    A.PAY: frozenset(
        {
            ActorKind.GUEST,
            ActorKind.AGENCY,
            ActorKind.PROVIDER,
            ActorKind.OPERATOR,
            ActorKind.SYSTEM,
        }
    ),
    A.CANCEL_BY_GUEST: frozenset({ActorKind.GUEST, ActorKind.AGENCY, ActorKind.OPERATOR}),
    A.CANCEL_BY_PROVIDER: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.CHECK_IN: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.NO_SHOW: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.REQUIRED_ACTION_DONE: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.RESEND_CONFIRMATION: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
    A.REMINDER_HALF: frozenset({ActorKind.SYSTEM}),
    A.REMINDER_FINAL: frozenset({ActorKind.SYSTEM}),
    A.UPDATE_GUEST: frozenset({ActorKind.PROVIDER, ActorKind.OPERATOR}),
}


def targets(action: Action, status: Status) -> tuple[Status, ...]:
    return TRANSITIONS.get(action, {}).get(status, ())
