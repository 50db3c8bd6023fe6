"""Sign-in, throttling, sign-out, password change and reset (SPEC §1, issue 3 item 1)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return MembershipFactory().user


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_pages_need_a_signed_in_member(member):
    client = Client()
    for url in ("/", "/bookings/", "/profile/", "/pricing/", "/bookings/export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_a_user_of_no_organization_is_refused(db):
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/").status_code == 403


def test_sign_in_and_out(member):
    client = Client()
    response = _login(client, member.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@override_settings(STAYDESK_LOGIN_ATTEMPTS=3)
def test_failed_sign_ins_are_throttled_per_username_even_with_the_right_password(member):
    client = Client()
    for _ in range(3):
        assert _login(client, member.username, "wrong").status_code == 200
    response = _login(client, member.username, PASSWORD, ip="10.9.9.9")
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(STAYDESK_LOGIN_ATTEMPTS=3)
def test_failed_sign_ins_are_throttled_per_address(member):
    other = MembershipFactory().user
    client = Client()
    for name in ("a", "b", "c"):
        _login(client, name, "wrong", ip="10.1.1.1")
    response = _login(client, other.username, PASSWORD, ip="10.1.1.1")
    assert "Too many failed sign-ins" in response.content.decode()
    assert _login(Client(), other.username, PASSWORD, ip="10.2.2.2").status_code == 302


def test_password_change(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new secret 42",
            "new_password2": "a much longer new secret 42",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a much longer new secret 42")


def test_password_reset_by_email_works_once(member):
    client = Client()
    assert client.post("/password/reset/", {"email": member.email}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    new = "another long secret for staydesk"
    response = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)
    again = client.get(link, follow=True)
    assert "invalid" in again.content.decode().lower()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db):
    response = Client().post("/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
