"""The operator's console: every page opens, read-only data stays read-only, writes go through
the services (API keys shown once, booking status only by actions)."""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from staydesk.accounts.models import AgencyMembership, ApiKey, Organization
from staydesk.accounts.services import api_key_authenticate, api_key_create, hash_secret
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.one_click import one_click_parse, one_click_token, one_click_use
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.states import ActorKind, Status
from staydesk.catalog.models import RatePriceOverride
from staydesk.core.models import PlatformSettings
from staydesk.inventory.models import StockNight
from staydesk.inventory.resources import room_resource
from staydesk.notifications.fanout import notifications_for_event
from staydesk.payments.models import LedgerEntry
from staydesk.payments.services import payment_record
from staydesk.webhooks.services import endpoint_create, endpoint_ping
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PackageFactory,
    PromotionVariantFactory,
    UserFactory,
    book_room,
    room_offer,
)

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)
READ_ONLY = (BookingEvent, LedgerEntry, StockNight)
TOKEN = re.compile(r"sd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class FormFields(HTMLParser):
    """What a browser would post back from a page's form, unchanged."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(client, page: str) -> dict:
    response = client.get(page)
    assert response.status_code == 200
    return FormFields(response.content.decode()).data


@pytest.fixture
def world(db):
    """One or more rows of every model the admin shows."""
    offer = room_offer(units=2)
    org = offer.property.organization
    provider = MembershipFactory(organization=org).user
    agency = AgencyFactory()
    AgencyMembership.objects.create(user=UserFactory(), agency=agency)
    api_key_create(name="Channel manager", organization=org)
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan,
        room_type=offer.room_type,
        start=dt.date(2030, 12, 23),
        end=dt.date(2030, 12, 27),
        price=Decimal("150.00"),
    )
    PackageFactory(property=offer.property)
    PromotionVariantFactory(promotion__property=offer.property)
    paid = booking_confirm(booking=book_room(offer), actor=Actor.provider(provider))
    paid = payment_record(booking=paid, amount=paid.min_prepayment, actor=Actor.guest())
    pending = book_room(offer)  # the same nights: both units held
    PlatformSettings.load()
    Group.objects.create(name="Support")
    for event in BookingEvent.objects.all():  # what the worker would do after commit
        notifications_for_event(event)
    endpoint = endpoint_create(
        organization=org, url="https://pms.example.com/hooks", events=["booking.created"]
    )
    endpoint_ping(endpoint=endpoint)
    answered = book_room(room_offer())  # a request answered by its email link
    link = one_click_parse(one_click_token(booking=answered, action="reject"))
    one_click_use(link=link, booking=answered)
    return type("World", (), {"offer": offer, "paid": paid, "pending": pending, "agency": agency})


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_page_opens(admin_client, admin_user, world, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user

    changelist = admin_client.get(url(model, "changelist"))
    assert changelist.status_code == 200
    if model_admin.search_fields:
        assert admin_client.get(url(model, "changelist"), {"q": "a"}).status_code == 200

    add = admin_client.get(url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)

    obj = model_admin.get_queryset(request).first()
    assert obj is not None, f"no {model._meta.label} to open"
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_audit_trail_ledger_and_stock_are_read_only(admin_client, world, model):
    obj = model.objects.first()
    changelist = admin_client.get(url(model, "changelist")).content.decode()
    assert url(model, "add") not in changelist  # no "Add" button, nor in the sidebar
    assert 'name="action"' not in changelist  # not even "delete selected"
    page = admin_client.get(url(model, "change", obj.pk)).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_booking_page_shows_history_and_payments_read_only(admin_client, world):
    page = admin_client.get(url(Booking, "change", world.paid.pk)).content.decode()
    assert "Payment from guest" in page and "Confirmed by provider" in page
    assert 'name="events-0-DELETE"' not in page and 'name="ledger_entries-0-amount"' not in page
    assert 'name="status"' not in page and 'name="total"' not in page


def test_booking_cannot_be_added_or_deleted(admin_client, world):
    assert admin_client.get(url(Booking, "add")).status_code == 403
    assert admin_client.get(url(Booking, "delete", world.paid.pk)).status_code == 403
    assert Booking.objects.filter(pk=world.paid.pk).exists()


def test_booking_form_changes_guest_details_but_never_status_or_price(admin_client, world):
    booking = world.paid
    data = form_data(admin_client, url(Booking, "change", booking.pk))
    data.update(guest_last_name=["Kowalski"], guest_phone=["601 234 568"])
    data.update(status=["completed"], total=["1.00"], arrival=["2020-01-01"])
    response = admin_client.post(url(Booking, "change", booking.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking.refresh_from_db()
    assert booking.guest_last_name == "Kowalski"
    assert booking.guest_phone == "+48601234568"
    assert booking.status == Status.PARTIALLY_PAID
    assert booking.total == world.paid.total and booking.arrival == world.paid.arrival


def test_booking_search_by_code_and_guest(admin_client, world):
    page = admin_client.get(url(Booking, "changelist"), {"q": world.pending.code})
    assert world.pending.code in page.content.decode()
    page = admin_client.get(url(Booking, "changelist"), {"q": "Nowak", "status__exact": "paid"})
    assert page.status_code == 200 and world.pending.code not in page.content.decode()


def test_booking_actions_run_the_services_as_operator(admin_client, admin_user, world):
    response = admin_client.post(
        url(Booking, "changelist"),
        {"action": "confirm", "_selected_action": [world.pending.pk, world.paid.pk]},
        follow=True,
    )
    text = response.content.decode()
    world.pending.refresh_from_db()
    assert world.pending.status == Status.AWAITING_PAYMENT
    event = world.pending.events.get(action="confirm")
    assert event.actor_kind == ActorKind.OPERATOR and event.actor_user == admin_user
    assert world.paid.code in text and "refused" in text  # already confirmed: refused, unchanged
    world.paid.refresh_from_db()
    assert world.paid.status == Status.PARTIALLY_PAID


def test_expire_overdue_action_refuses_a_booking_still_in_time(admin_client, world):
    admin_client.post(
        url(Booking, "changelist"),
        {"action": "expire_overdue", "_selected_action": [world.pending.pk]},
    )
    world.pending.refresh_from_db()
    assert world.pending.status == Status.PENDING_CONFIRMATION


def test_api_key_created_in_admin_is_hashed_and_shown_once(admin_client, world):
    response = admin_client.post(
        url(ApiKey, "add"),
        {"name": "Agency channel", "agency": world.agency.pk, "organization": ""},
        follow=True,
    )
    assert response.status_code == 200
    tokens = TOKEN.findall(response.content.decode())
    assert len(tokens) == 1
    token = tokens[0]
    key = ApiKey.objects.get(name="Agency channel")
    assert key.agency == world.agency and key.prefix in token
    assert key.hashed_secret == hash_secret(token)
    assert token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert api_key_authenticate(token=token) == key
    # Shown once: neither the list nor the key's page shows it again.
    assert token not in admin_client.get(url(ApiKey, "changelist")).content.decode()
    assert token not in admin_client.get(url(ApiKey, "change", key.pk)).content.decode()


def test_api_key_needs_exactly_one_owner(admin_client, world):
    org = world.offer.property.organization
    response = admin_client.post(
        url(ApiKey, "add"), {"name": "Both", "agency": world.agency.pk, "organization": org.pk}
    )
    assert response.status_code == 200 and "not both" in response.content.decode()
    assert not ApiKey.objects.filter(name="Both").exists()


def test_api_key_revoke_action(admin_client, world):
    key, token = api_key_create(name="Old", agency=world.agency)
    admin_client.post(url(ApiKey, "changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api_key_authenticate(token=token) is None


def test_platform_settings_is_a_singleton(admin_client, world):
    row = PlatformSettings.load()
    assert admin_client.get(url(PlatformSettings, "add")).status_code == 403
    assert admin_client.get(url(PlatformSettings, "delete", row.pk)).status_code == 403
    data = form_data(admin_client, url(PlatformSettings, "change", row.pk))
    data["transfer_fee_percent"] = ["3.5"]
    assert admin_client.post(url(PlatformSettings, "change", row.pk), data).status_code == 302
    assert PlatformSettings.load().transfer_fee_percent == Decimal("3.5")


def test_platform_settings_row_appears_on_first_visit(admin_client, db):
    PlatformSettings.objects.all().delete()
    assert admin_client.get(url(PlatformSettings, "changelist")).status_code == 200
    assert PlatformSettings.objects.filter(pk=1).exists()


def test_organization_page_lists_members(admin_client, world):
    org = world.offer.property.organization
    member = org.memberships.get().user
    page = admin_client.get(url(type(org), "change", org.pk)).content.decode()
    assert "memberships-TOTAL_FORMS" in page and member.username in page


def test_room_units_change_moves_stock_capacity_and_never_below_booked(admin_client, world):
    room_type = world.offer.room_type
    stock = StockNight.objects.filter(resource=room_resource(room_type.pk))
    assert set(stock.values_list("held", "capacity")) == {(2, 2)}
    page = url(type(room_type), "change", room_type.pk)
    data = form_data(admin_client, page)

    data["units"] = ["1"]
    response = admin_client.post(page, data)
    assert response.status_code == 200 and "already booked" in response.content.decode()
    data["units"] = ["5"]
    assert admin_client.post(page, data).status_code == 302
    assert set(stock.values_list("held", "capacity")) == {(2, 5)}


def test_units_changed_in_the_property_page_move_stock_capacity(admin_client, world):
    prop, room_type = world.offer.property, world.offer.room_type
    page = url(type(prop), "change", prop.pk)
    data = form_data(admin_client, page)
    assert data["room_types-0-id"] == [str(room_type.pk)]
    data["room_types-0-units"] = ["4"]
    response = admin_client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stock = StockNight.objects.filter(resource=room_resource(room_type.pk))
    assert set(stock.values_list("capacity", flat=True)) == {4}


@pytest.mark.parametrize(
    ("typed", "stored"), [("+48 601 234 567", "+48601234567"), ("601 234 567", None)]
)
def test_organization_phone_is_stored_in_e164(admin_client, db, typed, stored):
    data = form_data(admin_client, url(Organization, "add"))
    data.update(
        name=["Tatra Huts"],
        slug=["tatra-huts"],
        notification_email=["desk@tatra.example"],
        notification_phone=[typed],
        language=["pl"],
    )
    response = admin_client.post(url(Organization, "add"), data)
    org = Organization.objects.filter(slug="tatra-huts").first()
    if stored is None:
        assert response.status_code == 200 and org is None
        assert "international format" in response.content.decode()
    else:
        assert response.status_code == 302 and org.notification_phone == stored
