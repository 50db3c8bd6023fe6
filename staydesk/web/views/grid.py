"""The bookings grid (SPEC §5): filters in the URL, sorting, pages, tabs, CSV export and bulk
actions. Reads go through ``booking_list``, writes through ``bookings_bulk``: no rule here.

With htmx the filter form, the tabs, the sort headers and the page links fetch only the
results (and refresh the filter form out of band); without JavaScript they are plain links
and forms, and every state of the grid is a URL.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url

from staydesk.bookings.exporters import csv_stream
from staydesk.bookings.filters import BookingFilters
from staydesk.bookings.models import Booking
from staydesk.bookings.selectors import booking_list
from staydesk.bookings.services.bulk import MAX_CODES, bookings_bulk
from staydesk.bookings.states import Status
from staydesk.core.errors import InvalidInput
from staydesk.core.money import Money
from staydesk.messaging.selectors import unread_by_booking
from staydesk.web.access import provider_view
from staydesk.web.dates import organization_today
from staydesk.web.forms.grid import BulkActionForm, GridFilterForm

GRID = "web/grid/grid.html"
BULK = "web/grid/bulk_result.html"

TABS = (
    ("", gettext_lazy("All bookings"), "bookings"),
    ("rooms", gettext_lazy("Room requests"), "rooms"),
    ("packages", gettext_lazy("Package requests"), "packages"),
)

# Columns after the checkbox: (header, [(ordering key, link label)], css class). A column
# with two keys (paid / total) gets a sort link for each.
COLUMNS = (
    (gettext_lazy("Code"), [("code", gettext_lazy("Code"))], ""),
    (gettext_lazy("Booked"), [("booked_at", gettext_lazy("Booked"))], ""),
    (gettext_lazy("Guest"), [("guest", gettext_lazy("Guest"))], ""),
    (
        gettext_lazy("Adults / children"),
        [("adults", gettext_lazy("Adults")), ("children", gettext_lazy("Children"))],
        "num",
    ),
    (gettext_lazy("Arrival"), [("arrival", gettext_lazy("Arrival"))], ""),
    (gettext_lazy("Departure"), [("departure", gettext_lazy("Departure"))], ""),
    (
        gettext_lazy("Accommodation / offer"),
        [("offer", gettext_lazy("Accommodation / offer")), ("property", gettext_lazy("Property"))],
        "",
    ),
    (gettext_lazy("Rate plan"), [("rate_plan", gettext_lazy("Rate plan"))], ""),
    (
        gettext_lazy("Paid / total"),
        [("paid", gettext_lazy("Paid")), ("total", gettext_lazy("Total"))],
        "num",
    ),
    (gettext_lazy("Status"), [("status", gettext_lazy("Status"))], ""),
    (gettext_lazy("Required action"), [("required_action", gettext_lazy("Required action"))], ""),
    (gettext_lazy("Unread messages"), [], "num"),
)


@dataclass(frozen=True)
class Row:
    booking: Booking
    paid: str
    total: str
    unread: int


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    direction: str  # "ascending" / "descending" when this is the current ordering, else ""


@dataclass(frozen=True)
class Header:
    label: str
    links: list[SortLink]
    css: str
    aria_sort: str


def _query(params) -> str:
    encoded = urlencode(params, doseq=True)
    return "?" + encoded if encoded else ""


def _grid_url(params) -> str:
    return reverse("web:grid") + _query(params)


def _state(filters: BookingFilters, size: int) -> dict:
    """The grid's query parameters (without the page): filters, then the page size."""
    params = filters.as_params()
    if size != settings.STAYDESK_GRID_PAGE_SIZES[0]:
        params["page_size"] = str(size)
    return params


def _headers(filters: BookingFilters, size: int) -> list[Header]:
    current = filters.ordering
    headers = []
    for label, keys, css in COLUMNS:
        links, aria_sort = [], ""
        for key, link_label in keys:
            direction = {key: "ascending", "-" + key: "descending"}.get(current, "")
            aria_sort = aria_sort or direction
            ordering = "-" + key if direction == "ascending" else key
            params = {**_state(filters, size), "ordering": ordering}
            links.append(SortLink(str(link_label), _grid_url(params), direction))
        headers.append(Header(str(label), links, css, aria_sort))
    return headers


def _tabs(request, kind: str) -> list[dict]:
    """Tab links keep the other filters (as typed, even when invalid) and start at page 1."""
    tabs = []
    for value, label, _nav in TABS:
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("kind", None)
        if value:
            params["kind"] = value
        tabs.append({"label": label, "url": _grid_url(params), "current": value == kind})
    return tabs


def _money(amount, currency: str, locale: str) -> str:
    return Money(amount or 0, currency).format(locale)


def _rows(request, bookings: list[Booking]) -> list[Row]:
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    unread = unread_by_booking(scope=request.scope, booking_ids=[b.pk for b in bookings])
    return [
        Row(
            booking=b,
            paid=_money(b.paid, b.currency, locale),
            total=_money(b.total, b.currency, locale),
            unread=unread.get(b.pk, 0),
        )
        for b in bookings
    ]


def _properties(request) -> list[tuple[int, str]]:
    return list(request.organization.properties.order_by("name").values_list("pk", "name"))


def _pages(filters: BookingFilters, size: int, page) -> dict:
    def url(number: int) -> str:
        return _grid_url({**_state(filters, size), "page": str(number)})

    paginator = page.paginator
    return {
        "first": url(1) if page.number > 1 else "",
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "last": url(paginator.num_pages) if page.number < paginator.num_pages else "",
    }


def _results(request, filters: BookingFilters, size: int) -> dict:
    """The page of bookings and every link around it (sorting, pages, export)."""
    paginator = Paginator(booking_list(scope=request.scope, filters=filters), size)
    page = paginator.get_page(request.GET.get("page"))
    # get_page() has already counted; listing the page is the one other query.
    bookings = list(page.object_list)
    state = _state(filters, size)
    return {
        "filters": filters,
        "page": page,
        "rows": _rows(request, bookings),
        "headers": _headers(filters, size),
        "pages": _pages(filters, size, page),
        "state_query": urlencode(state, doseq=True),
        "export_url": reverse("web:export") + _query(filters.as_params()),
        "canonical": _grid_url({**state, **({"page": page.number} if page.number > 1 else {})}),
    }


@require_safe
@provider_view
def grid(request):
    form = GridFilterForm(request.GET, properties=_properties(request))
    size = form.selected_page_size()
    valid = form.is_valid()
    htmx = request.htmx and not request.htmx.history_restore_request
    if valid and not htmx and any("" in values for _name, values in request.GET.lists()):
        # A plain form submission sends every empty field: keep the address short to bookmark.
        number = request.GET.get("page")
        return redirect(
            _grid_url({**_state(form.filters, size), **({"page": number} if number else {})})
        )
    kind = form.filters.kind if valid else request.GET.get("kind", "")
    label, nav = next(((t[1], t[2]) for t in TABS if t[0] == kind), (TABS[0][1], TABS[0][2]))
    context = {
        "form": form,
        "title": label,
        "nav": nav,
        "tabs": _tabs(request, kind),
        "grid_url": reverse("web:grid"),
        "bulk_form": BulkActionForm(),
    }
    if valid:
        context.update(_results(request, form.filters, size))
    # Plain requests with bad filters get 400; htmx ones 200, as htmx swaps no error response.
    status = 200 if valid or htmx else 400
    if htmx:
        response = render(request, GRID + "#htmx", context, status=status)
        if valid:
            push_url(response, context["canonical"])
    else:
        response = render(request, GRID, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_to_grid(request) -> str:
    """The grid as the poster left it (``return_query``); re-encoded, so it stays a query."""
    query = QueryDict(request.POST.get("return_query", "")).urlencode()
    return reverse("web:grid") + ("?" + query if query else "")


def _selected_codes(request) -> tuple[list[str], QueryDict | dict]:
    """The ticked rows and the filters of an export request.

    The grid posts the ticked rows (``code`` repeated). A GET with several ``code`` values
    exports exactly those; one ``code`` is the booking-code filter (a code prefix, so a full
    code matches that one booking either way).
    """
    if request.method == "POST":
        return request.POST.getlist("code"), {}
    codes = request.GET.getlist("code")
    if len(codes) > 1:
        params = request.GET.copy()
        params.pop("code")
        return codes, params
    return [], request.GET


@require_http_methods(["GET", "HEAD", "POST"])
@provider_view
def export_csv(request):
    codes, params = _selected_codes(request)
    if request.method == "POST" and not codes:
        messages.error(request, _("Tick at least one booking to export."))
        return redirect(_back_to_grid(request))
    if len(codes) > MAX_CODES:
        return HttpResponseBadRequest(
            _("Select at most %(max)s bookings at a time.") % {"max": MAX_CODES},
            content_type="text/plain; charset=utf-8",
        )
    try:
        filters = BookingFilters.from_params(params)
    except InvalidInput as error:
        return HttpResponseBadRequest(
            f"{error.field}: {error.message}", content_type="text/plain; charset=utf-8"
        )
    bookings = booking_list(scope=request.scope, filters=filters)
    if codes:
        bookings = bookings.filter(code__in=codes)
    today = organization_today(request.organization)
    response = StreamingHttpResponse(
        csv_stream(bookings, scope=request.scope), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bookings-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@provider_view
def bulk(request):
    form = BulkActionForm(request.POST)
    results = None
    if form.is_valid():
        try:
            results = bookings_bulk(
                scope=request.scope,
                codes=request.POST.getlist("code"),
                name=form.cleaned_data["action"],
                actor=request.actor,
                cancellation_type=form.cleaned_data["type"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    htmx = bool(request.htmx)
    context = {
        "form": form,
        "results": [(r, Status(r.status).label if r.status else "") for r in results or ()],
        "done": sum(r.ok for r in results or ()),
        "refused": sum(not r.ok for r in results or ()),
        "ran": results is not None,
        "back_url": _back_to_grid(request),
        "return_query": QueryDict(request.POST.get("return_query", "")).urlencode(),
        "title": _("Bulk action"),
        "nav": "bookings",
        "htmx": htmx,
    }
    status = 200 if results is not None or htmx else 400
    template = BULK + "#result" if htmx else BULK
    response: HttpResponse = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
