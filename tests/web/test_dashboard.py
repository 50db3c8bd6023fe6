"""The dashboard: each count is a link into the grid, and the grid shows exactly that many."""

import re

import pytest
from django.test import Client

from staydesk.core.demo import demo_build
from staydesk.core.tenancy import Scope
from staydesk.messaging.selectors import unread_message_count


@pytest.fixture
def provider_client(db):
    demo_build()
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="provider"))
    return client


def _tiles(html: str) -> list[tuple[str, int]]:
    return [
        (href.replace("&amp;", "&"), int(count))
        for href, count in re.findall(
            r'<a class="tile" href="([^"]+)"><span class="count">(\d+)</span>', html
        )
    ]


def _grid_count(client: Client, href: str) -> int:
    html = client.get(href).content.decode()
    match = re.search(r'class="grid-count">\s*(\d+) booking', html)
    if match:
        return int(match.group(1))
    assert "No bookings match" in html or 'class="grid-count"' not in html
    return 0


def test_every_count_matches_the_grid_it_links_to(provider_client):
    tiles = _tiles(provider_client.get("/").content.decode())
    assert len(tiles) == 7
    assert any(count for _href, count in tiles), "the demo has something to do"
    for href, count in tiles:
        if "status" not in href and "required_action" not in href:
            continue  # unread messages: the chat is not there yet, so it links to all bookings
        assert href.startswith("/bookings/?")
        assert _grid_count(provider_client, href) == count, href


def test_unread_messages_are_zero_until_the_chat_exists(db):
    assert unread_message_count(scope=Scope(organization_id=1)) == 0


def test_the_dashboard_takes_a_fixed_number_of_queries(
    provider_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert provider_client.get("/").status_code == 200
