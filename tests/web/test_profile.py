"""The profile: the organization's notification contacts (owners only) and one's language."""

import pytest
from django.test import Client
from django.urls import reverse

from staydesk.accounts.models import Membership, Organization, Profile
from tests.web.booking_fixtures import member, signed_in

URL = reverse("web:profile")


@pytest.fixture
def owner(db):
    return member(role=Membership.Role.OWNER)


@pytest.fixture
def organization(owner) -> Organization:
    return owner.memberships.get().organization


def contacts_of(organization: Organization) -> tuple[str, str]:
    organization.refresh_from_db()
    return organization.notification_email, organization.notification_phone


def post_contacts(client: Client, email: str, phone: str):
    return client.post(URL, {"form": "contacts", "email": email, "phone": phone})


def test_profile_shows_the_contacts_and_the_password_link(owner, organization):
    html = signed_in(owner).get(URL).content.decode()
    assert organization.notification_email in html
    assert organization.notification_phone in html
    assert reverse("web:password_change") in html
    assert 'data-form="contacts"' in html
    assert 'data-form="language"' in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+48 601 234 568", "+48601234568"),
        ("+48-601-234-568", "+48601234568"),
        ("+354 611 2345", "+3546112345"),
        ("+420 601 123 456", "+420601123456"),
        ("", ""),
    ],
)
def test_valid_phone_is_stored_in_e164(owner, organization, typed, stored):
    response = post_contacts(signed_in(owner), "alerts@zielony.example", typed)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert contacts_of(organization) == ("alerts@zielony.example", stored)


@pytest.mark.parametrize("phone", ["601 234", "+48 12", "call me", "+999 123 456 789", "0" * 40])
def test_invalid_phone_is_a_form_error_and_nothing_is_saved(owner, organization, phone):
    before = contacts_of(organization)
    response = post_contacts(signed_in(owner), "alerts@zielony.example", phone)
    assert response.status_code == 200
    assert response.context["contacts"].errors["phone"]
    html = response.content.decode()
    assert "Enter a valid phone number" in html or "Ensure this value" in html
    assert contacts_of(organization) == before


def test_invalid_email_is_a_form_error_and_nothing_is_saved(owner, organization):
    before = contacts_of(organization)
    response = post_contacts(signed_in(owner), "not-an-email", "+48601234568")
    assert response.status_code == 200
    assert "email" in response.context["contacts"].errors
    assert contacts_of(organization) == before


def test_staff_see_the_contacts_read_only_and_cannot_change_them(owner, organization):
    staff = member(organization, role=Membership.Role.STAFF)
    client = signed_in(staff)
    html = client.get(URL).content.decode()
    assert 'data-form="contacts-readonly"' in html
    assert 'data-form="contacts"' not in html
    assert organization.notification_email in html

    before = contacts_of(organization)
    response = post_contacts(client, "staff@zielony.example", "+48601234568")
    assert response.status_code == 403
    assert contacts_of(organization) == before


def test_contacts_of_the_own_organization_only(owner, organization):
    other = member()  # an owner of another organization
    other_org = other.memberships.get().organization
    before = contacts_of(organization)
    post_contacts(signed_in(other), "other@example.com", "+48601234568")
    assert contacts_of(organization) == before
    assert contacts_of(other_org) == ("other@example.com", "+48601234568")


def test_language_switches_the_ui_on_the_next_request(owner):
    client = signed_in(owner)
    assert '<html lang="en">' in client.get(URL).content.decode()

    response = client.post(URL, {"form": "language", "language": "pl"})
    assert response.status_code == 302
    assert Profile.objects.get(user=owner).language == "pl"

    response = client.get(URL)
    assert '<html lang="pl">' in response.content.decode()
    assert response.wsgi_request.LANGUAGE_CODE == "pl"
    assert response.context["language"].initial["language"] == "pl"


def test_unsupported_language_is_a_form_error(owner):
    client = signed_in(owner)
    response = client.post(URL, {"form": "language", "language": "xx"})
    assert response.status_code == 200
    assert response.context["language"].errors["language"]
    assert not Profile.objects.filter(user=owner, language="xx").exists()


def test_staff_may_change_their_own_language(organization):
    staff = member(organization, role=Membership.Role.STAFF)
    client = signed_in(staff)
    assert client.post(URL, {"form": "language", "language": "is"}).status_code == 302
    assert '<html lang="is">' in client.get(URL).content.decode()


def test_post_without_a_form_name_is_a_bad_request(owner, organization):
    before = contacts_of(organization)
    response = signed_in(owner).post(URL, {"email": "x@example.com", "phone": ""})
    assert response.status_code == 400
    assert contacts_of(organization) == before


def test_csrf_is_enforced(owner, organization):
    client = signed_in(owner, enforce_csrf=True)
    before = contacts_of(organization)
    assert post_contacts(client, "alerts@zielony.example", "+48601234568").status_code == 403
    assert contacts_of(organization) == before


def test_signed_out_visitor_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
