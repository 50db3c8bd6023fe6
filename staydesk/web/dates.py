"""Which day it is for an organization: its first property's timezone (else UTC)."""

import datetime as dt

from staydesk.accounts.models import Organization
from staydesk.catalog.models import Property
from staydesk.core import clock


def organization_timezone(organization: Organization) -> str:
    tz = (
        Property.objects.filter(organization=organization)
        .values_list("timezone", flat=True)
        .first()
    )
    return tz or "UTC"


def organization_today(organization: Organization) -> dt.date:
    return clock.local_date(organization_timezone(organization))
