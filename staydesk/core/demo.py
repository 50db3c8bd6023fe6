"""The demo installation behind ``manage.py demo_data``: building it again changes nothing.

Catalog rows are keyed on natural keys (usernames, slugs, names, the promotion ID); the
bookings are made once, and their presence in the demo organizations is the marker that they
exist. The agency's API key is made once too: its token can be shown only then.
"""

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from staydesk.accounts.models import Agency, ApiKey
from staydesk.accounts.services import api_key_create, api_key_revoke
from staydesk.bookings.models import Booking
from staydesk.core.demo_bookings import build_bookings
from staydesk.core.demo_catalog import DEMO_PASSWORD, ORG_SLUGS, build_catalog
from staydesk.core.models import PlatformSettings

API_KEY_NAME = "Demo agency key"

__all__ = ["API_KEY_NAME", "DEMO_PASSWORD", "DemoResult", "demo_build"]


@dataclass(frozen=True)
class DemoResult:
    rows_created: int
    bookings_created: int
    bookings_by_status: dict[str, int]
    api_key: ApiKey
    api_token: str | None  # only when the key was made by this run
    seconds: float


def _agency_key(agency: Agency, *, renew: bool) -> tuple[ApiKey, str | None]:
    key = ApiKey.objects.filter(agency=agency, name=API_KEY_NAME, revoked_at__isnull=True).first()
    if key is not None and renew:
        api_key_revoke(key=key)
        key = None
    if key is None:
        return api_key_create(name=API_KEY_NAME, agency=agency)
    return key, None


def demo_build(*, new_api_key: bool = False) -> DemoResult:
    started = time.monotonic()
    with transaction.atomic():
        PlatformSettings.load()
        catalog = build_catalog()
        made = 0
        demo_bookings = Booking.objects.filter(organization__slug__in=ORG_SLUGS)
        if not demo_bookings.exists():
            made = build_bookings(catalog)
        key, token = _agency_key(catalog.agency, renew=new_api_key)
    by_status = dict(
        demo_bookings.order_by().values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    return DemoResult(
        rows_created=catalog.created,
        bookings_created=made,
        bookings_by_status=by_status,
        api_key=key,
        api_token=token,
        seconds=time.monotonic() - started,
    )
