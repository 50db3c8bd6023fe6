"""The one place the domain asks for the time, so tests can move it (time-machine)."""

import datetime as dt
import zoneinfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def local_date(tz_name: str, at: dt.datetime | None = None) -> dt.date:
    """Today's date at a property, in its own timezone."""
    return (at or now()).astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def local_datetime(tz_name: str, day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime for a wall-clock time on a day at a property."""
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(tz_name))
