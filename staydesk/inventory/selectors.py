"""How many units are free: one query for any number of resources and dates."""

import datetime as dt

from django.db.models import Max

from staydesk.inventory.models import StockNight


def stock_free(*, capacities: dict[str, int], first: dt.date, count: int) -> dict[str, int]:
    """Free units per resource over ``count`` dates from ``first`` (the tightest date counts)."""
    if not capacities:
        return {}
    last = first + dt.timedelta(days=count - 1)
    held = dict(
        StockNight.objects.filter(resource__in=capacities, date__range=(first, last))
        .values("resource")
        .annotate(max_held=Max("held"))
        .values_list("resource", "max_held")
    )
    return {res: max(0, cap - (held.get(res) or 0)) for res, cap in capacities.items()}
