"""Actions by their public names (the API paths of SPEC §8 and the UI's URLs), dispatched to
the services. The booking page, bulk actions and the API all go through ``booking_perform``."""

from django.utils.translation import gettext as _

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.rules import allowed_actions
from staydesk.bookings.services import actions as svc
from staydesk.bookings.states import Action, ActorKind, CancellationType
from staydesk.core.errors import InvalidInput

CANCEL = "cancel"
ACTION_NAMES: dict[str, tuple[Action, ...]] = {
    "confirm": (Action.CONFIRM,),
    "reject": (Action.REJECT,),
    CANCEL: (Action.CANCEL_BY_PROVIDER, Action.CANCEL_BY_GUEST),
    "check-in": (Action.CHECK_IN,),
    "no-show": (Action.NO_SHOW,),
    "required-action": (Action.REQUIRED_ACTION_DONE,),
    "resend-confirmation": (Action.RESEND_CONFIRMATION,),
}
# Actions that cannot be undone: the UI asks for a confirmation before running them.
DESTRUCTIVE = frozenset({"reject", CANCEL, "no-show"})
# Cancellation types a provider chooses from (SPEC §5: "e.g. wrong dates").
CANCELLATION_TYPES = dict(CancellationType.choices)


def action_for(name: str, actor: Actor) -> Action:
    """The domain action a public name means for this actor ("cancel" depends on who asks)."""
    if name not in ACTION_NAMES:
        raise InvalidInput("unknown_action", _("Unknown action."), field="action")
    if name == CANCEL:
        guest_side = actor.kind in (ActorKind.GUEST, ActorKind.AGENCY)
        return Action.CANCEL_BY_GUEST if guest_side else Action.CANCEL_BY_PROVIDER
    return ACTION_NAMES[name][0]


def allowed_action_names(*, booking: Booking, actor: Actor) -> list[str]:
    """The public names of the actions this actor may take on the booking now."""
    allowed = set(allowed_actions(booking=booking, actor_kind=actor.kind))
    return [name for name in ACTION_NAMES if action_for(name, actor) in allowed]


def booking_perform(
    *, booking: Booking, name: str, actor: Actor, cancellation_type: str = "", reason: str = ""
) -> Booking:
    action = action_for(name, actor)
    if action == Action.CANCEL_BY_PROVIDER:
        return svc.booking_cancel_by_provider(
            booking=booking, actor=actor, cancellation_type=cancellation_type, reason=reason
        )
    if action == Action.CANCEL_BY_GUEST:
        return svc.booking_cancel_by_guest(booking=booking, actor=actor, reason=reason)
    if action == Action.REJECT:
        return svc.booking_reject(booking=booking, actor=actor, reason=reason)
    simple = {
        Action.CONFIRM: svc.booking_confirm,
        Action.CHECK_IN: svc.booking_check_in,
        Action.NO_SHOW: svc.booking_mark_no_show,
        Action.REQUIRED_ACTION_DONE: svc.booking_mark_required_action_done,
        Action.RESEND_CONFIRMATION: svc.booking_resend_confirmation,
    }
    return simple[action](booking=booking, actor=actor)
