"""Holding and releasing units: a constant number of queries whatever the number of nights.

``stock_hold`` makes sure a counter row exists for each date (one INSERT … ON CONFLICT DO
NOTHING), locks them in date order (one SELECT … FOR UPDATE, so two overlapping stays never
deadlock on PostgreSQL), then adds one to each (one UPDATE). If any date is full the CHECK
``held <= capacity`` fails, the savepoint rolls back and ``sold_out`` is raised: nothing held.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from staydesk.core.errors import DomainError
from staydesk.inventory.models import StockNight


def _dates(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(count)]


def stock_hold(*, resource: str, first: dt.date, count: int, capacity: int) -> None:
    """Hold one unit of ``resource`` on ``count`` dates from ``first``. Needs a transaction."""
    dates = _dates(first, count)
    StockNight.objects.bulk_create(
        [StockNight(resource=resource, date=d, capacity=capacity) for d in dates],
        ignore_conflicts=True,
    )
    rows = StockNight.objects.filter(resource=resource, date__in=dates)
    try:
        with transaction.atomic():
            list(rows.select_for_update().order_by("date").values_list("pk", flat=True))
            updated = rows.update(held=F("held") + 1)
    except IntegrityError as exc:
        raise DomainError("sold_out", _("No unit is free for these dates any more.")) from exc
    if updated != count:  # pragma: no cover - rows were created just above
        raise DomainError("sold_out", _("No unit is free for these dates any more."))


def stock_release(*, resource: str, first: dt.date, count: int) -> None:
    """Give back the unit held by ``stock_hold`` with the same arguments. Needs a transaction.

    The rows are locked in date order first, as ``stock_hold`` does: an UPDATE alone locks
    them in table order, which can differ, and then a release and a hold of overlapping
    nights deadlock on PostgreSQL (tests/concurrency/test_confirm_vs_book.py).
    """
    rows = StockNight.objects.filter(resource=resource, date__in=_dates(first, count))
    list(rows.select_for_update().order_by("date").values_list("pk", flat=True))
    rows.filter(held__gt=0).update(held=F("held") - 1)


@transaction.atomic
def stock_set_capacity(*, resource: str, capacity: int, from_date: dt.date) -> None:
    """Change the capacity on every counted date from ``from_date`` (e.g. a room type's units).

    Refused when more units are already held on a date than the new capacity allows.
    """
    rows = StockNight.objects.filter(resource=resource, date__gte=from_date)
    try:
        with transaction.atomic():
            # Date order, like stock_hold and stock_release, so they never deadlock.
            list(rows.select_for_update().order_by("date").values_list("pk", flat=True))
            rows.update(capacity=capacity)
    except IntegrityError as exc:
        raise DomainError(
            "units_in_use", _("More units are already booked on some dates than that.")
        ) from exc
