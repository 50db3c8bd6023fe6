"""Rate limits per API key and per IP (SPEC §8): 429, Retry-After, recovery."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from staydesk.accounts.services import api_key_create
from staydesk.api.ratelimit import parse_rate
from tests.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tokens(db, clock):
    organization = OrganizationFactory()
    return [api_key_create(name=f"k{i}", organization=organization)[1] for i in range(3)]


def get(token: str, ip: str = "10.0.0.1"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=ip).get("/api/v1/bookings")


@override_settings(STAYDESK_API_RATE_PER_KEY="3/min", STAYDESK_API_RATE_PER_IP="100/min")
def test_per_key_limit_answers_429_with_retry_after_and_recovers(tokens, clock):
    mine, other = tokens[0], tokens[1]
    clock.shift(seconds=15)  # 45 s left in this minute's window
    assert [get(mine, ip=f"10.0.0.{i}").status_code for i in range(3)] == [200, 200, 200]
    refused = get(mine, ip="10.9.9.9")  # from anywhere: the limit is the key's
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert set(refused.json()) == {"detail", "code"}
    assert refused["Retry-After"] == "45"
    assert get(other).status_code == 200  # another key has its own budget
    clock.shift(seconds=44)
    assert get(mine).status_code == 429
    clock.shift(seconds=1)
    assert get(mine).status_code == 200


@override_settings(STAYDESK_API_RATE_PER_KEY="100/min", STAYDESK_API_RATE_PER_IP="4/min")
def test_per_ip_limit_counts_every_key_from_the_address(tokens, clock):
    statuses = [get(tokens[i % 3]).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 200]
    refused = get(tokens[2])
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert refused["Retry-After"] == "60"
    assert get(tokens[2], ip="10.0.0.2").status_code == 200  # another address
    clock.shift(minutes=1)
    assert get(tokens[0]).status_code == 200


@override_settings(STAYDESK_API_RATE_PER_KEY="2/min", STAYDESK_API_RATE_PER_IP="100/min")
def test_posts_are_limited_too(tokens, clock):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[0]}")
    statuses = [client.post("/api/v1/bookings/NOPE/confirm").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def test_rates_parse():
    assert parse_rate("120/min") == (120, 60)
    assert parse_rate("300/m") == (300, 60)
    assert parse_rate("10/5s") == (10, 5)
    assert parse_rate("1000/day") == (1000, 86400)
    assert parse_rate("") is None
    with pytest.raises(ValueError):
        parse_rate("5/fortnight")
