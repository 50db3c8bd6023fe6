"""API keys from the provider UI: shown once, stored hashed, revocable; owners only."""

import re

import pytest
from django.test import Client

from staydesk.accounts.models import ApiKey, Membership
from staydesk.accounts.services import api_key_authenticate, api_key_create
from tests.factories import MembershipFactory


@pytest.fixture
def owner(db):
    return MembershipFactory(role=Membership.Role.OWNER)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_shows_the_token_once_and_stores_only_its_hash(owner):
    client = _client(owner.user)
    response = client.post("/api-keys/", {"name": "Channel manager"})
    assert response.status_code == 200
    token = re.search(r"<code data-new-token>(sd_[^<]+)</code>", response.content.decode()).group(1)
    key = ApiKey.objects.get(organization=owner.organization)
    assert token not in key.hashed_secret and key.name == "Channel manager"
    assert api_key_authenticate(token=token) == key
    assert token not in client.get("/api-keys/").content.decode()  # never shown again
    assert f"sd_{key.prefix}_" in client.get("/api-keys/").content.decode()


def test_revoke(owner):
    key, token = api_key_create(name="k", organization=owner.organization)
    response = _client(owner.user).post(f"/api-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    assert api_key_authenticate(token=token) is None


def test_staff_and_other_organizations_cannot_touch_keys(owner):
    key, token = api_key_create(name="k", organization=owner.organization)
    staff = MembershipFactory(organization=owner.organization, role=Membership.Role.STAFF)
    assert _client(staff.user).get("/api-keys/").status_code == 403
    assert _client(staff.user).post(f"/api-keys/{key.pk}/revoke/").status_code == 403
    stranger = MembershipFactory(role=Membership.Role.OWNER)
    assert _client(stranger.user).post(f"/api-keys/{key.pk}/revoke/").status_code == 404
    assert api_key_authenticate(token=token) == key


def test_a_blank_name_is_a_form_error(owner):
    response = _client(owner.user).post("/api-keys/", {"name": "  "})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()
    assert 'role="alert"' in response.content.decode()
