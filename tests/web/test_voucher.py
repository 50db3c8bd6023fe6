"""The guest's voucher: opened by the secret link alone, in the guest's language."""

import pytest
from django.test import Client
from django.urls import reverse

from staydesk.accounts.services import profile_set_language
from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.services import booking_mark_required_action_done
from staydesk.bookings.states import Status
from staydesk.payments.services import payment_record
from tests.factories import book_promotion, room_offer
from tests.web.booking_fixtures import amount, booking_of, member, section

S = Status
CONTACT = {
    "contact_email": "desk@hotel-zielony.example",
    "contact_phone": "+48221234567",
    "website": "https://hotel-zielony.example/",
}


@pytest.fixture
def owner(db):
    return member()


def voucher_url(booking) -> str:
    return reverse("web:voucher", args=[guest_token(booking)])


def open_voucher(booking, client: Client | None = None):
    response = (client or Client()).get(voucher_url(booking))
    assert response.status_code == 200
    return response


def contact_shown(html: str) -> bool:
    return any(value in html for value in CONTACT.values())


@pytest.fixture
def promotion(owner, clock):
    """A promotion voucher bought and paid in full (it carries a required action)."""
    offer = room_offer(organization=owner.memberships.get().organization, **CONTACT)
    booking = book_promotion(offer)
    return payment_record(
        booking=booking, amount=booking.total, actor=Actor.guest(), reference="card-1"
    )


def test_red_box_with_the_instructions_then_a_confirmation(promotion, owner, clock):
    html = open_voucher(promotion).content.decode()
    box = section(html, "required-action")
    assert 'data-done="no"' in box[:50]
    assert '<section class="required-action"' in html
    assert "Send the names and contact details of all travellers." in box

    booking_mark_required_action_done(booking=promotion, actor=Actor.provider(owner))
    html = open_voucher(promotion).content.decode()
    box = section(html, "required-action")
    assert 'data-done="yes"' in box[:50]
    assert 'class="required-action done"' in html
    assert "Send the names and contact details of all travellers." not in html
    # The guest's language is Polish: the date is formatted for it.
    assert "24 listopada 2026" in box


def test_voucher_shows_property_stay_guest_code_and_amounts(promotion):
    html = open_voucher(promotion).content.decode()
    for text in (promotion.property.name, promotion.code, "Anna Nowak", promotion.offer_name):
        assert text in html
    assert amount(html, "total") == "499,00\xa0zł"  # the guest's language: Polish
    assert amount(html, "paid") == "499,00\xa0zł"


def test_voucher_is_in_the_guests_language_without_signing_in(promotion):
    response = open_voucher(promotion)
    assert '<html lang="pl">' in response.content.decode()
    assert response["Content-Language"] == "pl"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_voucher_language_does_not_follow_a_signed_in_providers_language(promotion, owner):

    profile_set_language(user=owner, language="cs")
    client = Client()
    client.force_login(owner)
    assert '<html lang="pl">' in open_voucher(promotion, client).content.decode()


def test_contact_details_hidden_before_payment_shown_after(owner, clock):
    offer = room_offer(organization=owner.memberships.get().organization, **CONTACT)
    booking = book_promotion(offer)  # bought, not yet paid
    html = open_voucher(booking).content.decode()
    assert 'data-section="not-issued"' in html
    # In the guest's language (the factories' guests write Polish).
    assert "Voucher zostanie wystawiony po otrzymaniu płatności" in html
    assert not contact_shown(html)
    assert offer.property.address not in html
    assert 'data-section="required-action"' not in html

    paid = payment_record(booking=booking, amount=booking.total, actor=Actor.guest())
    html = open_voucher(paid).content.decode()
    assert 'data-section="not-issued"' not in html
    assert contact_shown(html)
    assert all(value in html for value in CONTACT.values())


def test_contact_details_hidden_once_the_booking_is_cancelled(owner, clock):
    booking = booking_of(owner, S.CANCELLED_BY_PROVIDER, frozen=clock, **CONTACT)
    assert booking.voucher_issued_at is not None  # it was paid, then cancelled
    html = open_voucher(booking).content.decode()
    assert "Anulowana przez obiekt" in html  # "Cancelled by provider", in the guest's Polish
    assert not contact_shown(html)


def test_voucher_of_an_ended_booking_says_so_and_shows_no_instructions(owner, clock):
    booking = booking_of(owner, S.CANCELLED_BY_GUEST, frozen=clock, kind="package", **CONTACT)
    html = open_voucher(booking).content.decode()
    assert 'data-section="voucher-invalid"' in html
    assert 'data-section="required-action"' not in html
    assert booking.required_action_text not in html
    assert not contact_shown(html)


def test_room_booking_voucher_issued_after_the_minimum_prepayment(owner, clock):
    booking = booking_of(owner, S.AWAITING_PAYMENT, frozen=clock, **CONTACT)
    assert 'data-section="not-issued"' in open_voucher(booking).content.decode()
    booking = booking_of(owner, S.PARTIALLY_PAID, frozen=clock, **CONTACT)
    html = open_voucher(booking).content.decode()
    assert 'data-section="not-issued"' not in html
    assert contact_shown(html)
    assert 'data-section="required-action"' not in html  # a room has none


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),  # one character off
        lambda token: token.split(".")[0],  # no signature
        lambda token: token.split(".")[0] + ".",
        lambda token: "." + token.split(".")[1],  # no code
        lambda token: token.upper(),
        lambda token: "SDNOTACODE." + token.split(".")[1],
        lambda token: "x" * 300,
    ],
)
def test_forged_or_mangled_token_is_404(promotion, mangle):
    token = mangle(guest_token(promotion))
    assert Client().get(reverse("web:voucher", args=[token])).status_code == 404


def test_another_bookings_signature_does_not_open_this_one(promotion, owner, clock):
    other = booking_of(owner, S.PAID, frozen=clock)
    forged = f"{promotion.code}.{guest_token(other).split('.')[1]}"
    assert Client().get(reverse("web:voucher", args=[forged])).status_code == 404


def test_voucher_refuses_post(promotion):
    assert Client().post(voucher_url(promotion)).status_code == 405
