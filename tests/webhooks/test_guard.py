"""The address guard: non-public receivers are refused at registration and at delivery."""

import socket

import pytest

from staydesk.core.errors import InvalidInput
from staydesk.webhooks.guard import AddressRefused, resolve_public, target_of, url_check
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery
from staydesk.webhooks.services import endpoint_create
from tests.factories import OrganizationFactory, book_room, room_offer
from tests.webhooks.conftest import run_deliveries

NON_PUBLIC_URLS = [
    "http://127.0.0.1/hooks",
    "http://127.0.0.1:8080/hooks",
    "http://[::1]/hooks",
    "http://0x7f000001/hooks",
    "http://2130706433/hooks",
    "http://0177.0.0.1/hooks",
    "http://127.1/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hooks",
    "http://172.16.0.1/hooks",
    "http://172.31.255.254/hooks",
    "http://192.168.1.10/hooks",
    "http://100.64.0.1/hooks",
    "http://0.0.0.0/hooks",
    "http://224.0.0.1/hooks",
    "https://[fc00::1]/hooks",
    "https://[fd12:3456::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",
    "https://[64:ff9b::7f00:1]/hooks",
    "https://[2002:7f00:1::]/hooks",
    "http://localhost/hooks",
    "http://api.localhost/hooks",
]

BAD_URLS = [
    "",
    "ftp://example.com/hooks",
    "file:///etc/passwd",
    "gopher://example.com/",
    "javascript:alert(1)",
    "https://user:secret@example.com/hooks",
    "https://user@example.com/hooks",
    "https:///hooks",
    "https://exa mple.com/hooks",
    "https://example.com:99999/hooks",
    "https://example.com/hooks#fragment",
    "https://-bad-.example.com/",
    "https://example.com/" + "a" * 2000,
]


@pytest.fixture(autouse=True)
def _private_off(settings):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize("url", NON_PUBLIC_URLS)
def test_non_public_addresses_are_refused_at_registration(url):
    with pytest.raises(InvalidInput) as refused:
        url_check(url)
    assert refused.value.field == "url" and refused.value.code == "invalid_url"


@pytest.mark.parametrize("url", BAD_URLS)
def test_urls_that_are_not_plain_http_are_refused(url):
    with pytest.raises(InvalidInput) as refused:
        url_check(url)
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hooks",
        "http://example.com:8080/a/b?c=d",
        "https://8.8.8.8/hooks",
        "https://[2606:4700:4700::1111]/hooks",
        "https://[::ffff:8.8.8.8]/hooks",
        "https://bücher.example/hooks",
    ],
)
def test_public_urls_are_accepted(url):
    assert url_check(url) == url


def test_the_operator_may_allow_private_addresses(settings):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = True
    for url in ("http://127.0.0.1:8080/hooks", "http://localhost/hooks", "http://10.1.2.3/"):
        assert url_check(url) == url
    with pytest.raises(InvalidInput):  # never credentials or another scheme
        url_check("ftp://10.1.2.3/")


def _fake_dns(monkeypatch, answers: dict[str, list[str]]):
    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out = []
        for address in answers[host]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "addresses",
    [
        ["127.0.0.1"],
        ["::1"],
        ["169.254.169.254"],
        ["10.0.0.7"],
        ["172.20.1.1"],
        ["192.168.0.1"],
        ["100.100.100.100"],
        ["fd00::7"],
        ["::ffff:127.0.0.1"],
        ["93.184.216.34", "10.0.0.1"],  # ANY private answer refuses the name
    ],
)
def test_a_name_that_resolves_to_a_non_public_address_is_refused(monkeypatch, addresses):
    _fake_dns(monkeypatch, {"hooks.example.com": addresses})
    with pytest.raises(AddressRefused, match="not resolve to a public") as refused:
        resolve_public(target_of("https://hooks.example.com/in"))
    # The owner reads this: it must not map the operator's internal names to addresses.
    assert not any(address in str(refused.value) for address in addresses)


def test_a_public_name_resolves_to_its_first_address(monkeypatch):
    _fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"]})
    assert str(resolve_public(target_of("https://hooks.example.com/in"))) == "93.184.216.34"


def test_localhost_really_resolves_and_is_refused():
    with pytest.raises(AddressRefused):
        resolve_public(target_of("http://localhost:8080/"))
    with pytest.raises(AddressRefused):  # inet_aton spellings resolve to loopback too
        resolve_public(target_of("http://0x7f000001/"))


@pytest.mark.django_db
def test_a_delivery_to_a_name_that_turned_private_is_refused_and_retried(clock, monkeypatch):
    """Registered while public; at delivery DNS answers a private address (rebinding): no
    request is made, the attempt says why, and it is retried like any failure."""
    offer = room_offer()
    endpoint_create(
        organization=offer.property.organization,
        url="https://hooks.example.com/in",
        events=["booking.created"],
    )
    _fake_dns(monkeypatch, {"hooks.example.com": ["169.254.169.254"]})
    book_room(offer)
    from staydesk.webhooks.fanout import webhooks_for_event

    webhooks_for_event(offer.property.bookings.get().events.get())

    assert run_deliveries() == ["retry"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "not resolve to a public" in attempt.error
    assert "169.254.169.254" not in attempt.error  # not for the owner's eyes
    assert WebhookDelivery.objects.get().last_error.startswith("Refused")


@pytest.mark.django_db
def test_registration_refuses_a_private_url():
    with pytest.raises(InvalidInput):
        endpoint_create(
            organization=OrganizationFactory(),
            url="http://192.168.1.1/",
            events=["booking.created"],
        )


def test_a_name_that_does_not_resolve_reads_like_a_private_one(monkeypatch):
    _fake_dns(monkeypatch, {})
    with pytest.raises(AddressRefused, match="not resolve to a public"):
        resolve_public(target_of("https://intranet.corp.example/in"))


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://faß.de/hook", "xn--fa-hia.de"),  # IDNA 2003 would say fass.de: another domain
        ("https://βόλος.gr/", "xn--nxasmm1c.gr"),
        ("https://Hooks.Example.COM./in", "hooks.example.com"),
    ],
)
def test_the_host_is_the_one_the_http_client_sends_to(url, host):
    assert url_check(url) == url
    assert target_of(url).host == host


FULLWIDTH_LOOPBACK = (
    "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/h"  # 127.0.0.1 in fullwidth digits
)


@pytest.mark.parametrize("url", ["http://☃.net/hook", FULLWIDTH_LOOPBACK])
def test_a_host_the_http_client_cannot_send_to_is_refused_at_registration(url):
    with pytest.raises(InvalidInput):
        url_check(url)
