"""HTTPS to the vetted address: the request goes to the IP the guard approved, while the Host
header and TLS (SNI and certificate check) use the real host name."""

import shutil
import socket
import ssl
import subprocess

import certifi
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from staydesk.webhooks.models import WebhookAttempt
from staydesk.webhooks.services import endpoint_create, endpoint_ping
from tests.factories import OrganizationFactory
from tests.webhooks.conftest import run_deliveries

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command"),
]
NAME = "hooks.example.test"


def self_signed(tmp_path, name: str):
    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


@pytest.fixture
def tls_server(tmp_path, request, monkeypatch, settings):
    """An HTTPS receiver on 127.0.0.1 whose certificate is for ``request.param``; the client
    trusts that certificate, and DNS says NAME is 127.0.0.1."""
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = True
    key, cert = self_signed(tmp_path, request.param)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    monkeypatch.setattr(certifi, "where", lambda: str(cert))
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        return real("127.0.0.1" if host == NAME else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    seen = []

    def handle(req):
        seen.append(req.headers.get("Host"))
        return Response("ok")

    server.expect_request("/hooks", method="POST").respond_with_handler(handle)
    server.start()
    yield server, seen, asked
    server.clear()
    server.stop()


def _ping(port: int) -> list[str]:
    endpoint = endpoint_create(
        organization=OrganizationFactory(),
        url=f"https://{NAME}:{port}/hooks",
        events=["booking.created"],
    )
    endpoint_ping(endpoint=endpoint)
    return run_deliveries()


@pytest.mark.parametrize("tls_server", [NAME], indirect=True)
def test_https_goes_to_the_vetted_address_with_the_real_name(tls_server):
    server, seen, asked = tls_server
    assert _ping(server.port) == ["sent"]
    assert seen == [f"{NAME}:{server.port}"]
    first = asked.index(NAME)  # resolved once by the guard ...
    assert NAME not in asked[first + 1 :]  # ... and the connection used the vetted address


@pytest.mark.parametrize("tls_server", ["someone-else.example.test"], indirect=True)
def test_a_certificate_for_another_name_is_refused(tls_server):
    server, seen, _asked = tls_server
    assert _ping(server.port) == ["retry"]
    assert seen == []
    assert "CERTIFICATE_VERIFY_FAILED" in WebhookAttempt.objects.get().error
