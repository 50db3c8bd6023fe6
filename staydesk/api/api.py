"""The NinjaAPI at ``/api/v1/``: one router per area, bearer auth, one error shape."""

from ninja import NinjaAPI

from staydesk.api.auth import BearerAuth
from staydesk.api.errors import install_error_handlers
from staydesk.api.idempotency import idempotent
from staydesk.api.parser import BodyParser
from staydesk.api.ratelimit import install_rate_limits, throttles
from staydesk.api.routers import bookings, messages, properties, webhooks

api = NinjaAPI(
    title="Staydesk API",
    version="1",
    description=(
        "Bookings for travel agents, providers' tools and guests. Authenticate with "
        '`Authorization: Bearer <token>`. Errors are `{"detail": ..., "code": ...}`.'
    ),
    auth=BearerAuth(),
    parser=BodyParser(),
    urls_namespace="api",
    throttle=throttles(),  # per API key and per IP: 429 with Retry-After
)
install_error_handlers(api)
install_rate_limits(api)
# Every POST accepts an Idempotency-Key (wraps each operation's whole run, so it sees the
# final response, errors included).
api.add_decorator(idempotent, mode="view")
api.add_router("/properties", properties.router)
api.add_router("/bookings", bookings.router)
api.add_router("/bookings", messages.router)
api.add_router("/webhooks", webhooks.router)
