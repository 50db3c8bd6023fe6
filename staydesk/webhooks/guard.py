"""The address guard (SSRF): webhooks go to public Internet addresses only (SPEC §7).

At registration a URL must be http(s), without credentials, and not an IP literal of a
non-public range (in any spelling ``inet_aton`` accepts: ``0x7f000001``, ``2130706433``,
``0177.0.0.1``, ``127.1``). At delivery the host is resolved and refused if ANY of its
addresses is not public; the request then goes to the vetted address itself, so DNS cannot
answer differently between the check and the connection (DNS rebinding).

``STAYDESK_WEBHOOK_ALLOW_PRIVATE`` lets an operator send to private networks (an intranet
PMS, the tests' local receiver).
"""

import ipaddress
import logging
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from staydesk.core.errors import InvalidInput

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
# NAT64 (RFC 6052, 8215): the IPv4 address sits in the last 32 bits.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


# Resolution failures and non-public answers read the same to the endpoint's owner.
_NOT_PUBLIC = "%s does not resolve to a public Internet address; not sent"


class AddressRefused(Exception):
    """The receiver's address is not a public one."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name as sent in Host and SNI (IDNA ASCII), or the IP literal
    port: int


def is_public(ip: IPAddress) -> bool:
    """A globally routable unicast address, also when an IPv4 one hides inside IPv6."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        embedded += [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) for net in _NAT64 if ip in net]
        if any(v4 is not None and not is_public(v4) for v4 in embedded):
            return False
        if ip.ipv4_mapped is not None:
            return True  # the mapped IPv4 address was public
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


def ip_literal(host: str) -> IPAddress | None:
    """``host`` as an IP address if it is one in any spelling the resolver would accept."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9a-fx.]+", host, flags=re.IGNORECASE) and not host.endswith(".."):
        try:  # the C library's forms: hex, octal, fewer than four parts
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _allow_private() -> bool:
    return bool(settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE)


def _refuse(message: str) -> InvalidInput:
    return InvalidInput("invalid_url", message, field="url")


def url_check(url: str) -> str:
    """The URL, cleaned, or ``InvalidInput`` (field ``url``) saying what is wrong."""
    url = (url or "").strip()
    if not url:
        raise _refuse(_("Enter the URL of your receiver."))
    if len(url) > MAX_URL_LENGTH:
        raise _refuse(_("The URL is longer than %(n)s characters.") % {"n": MAX_URL_LENGTH})
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise _refuse(_("The URL must not contain spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(_("This is not a valid URL.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _refuse(_("Only http:// and https:// URLs can receive webhooks."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _refuse(_("The URL must not contain a user name or password."))
    if parts.fragment:
        raise _refuse(_("The URL must not contain a fragment (#…)."))
    if not (parts.hostname or "").rstrip("."):
        raise _refuse(_("The URL has no host name."))
    if port == 0:
        raise _refuse(_("This is not a valid URL."))
    try:
        host = ascii_host_of(url)
    except ValueError:
        raise _refuse(_("The host name is not valid.")) from None
    ip = ip_literal(host)
    if ip is None:
        ascii_host = host
        if not all(_LABEL.match(label) for label in ascii_host.lower().split(".")):
            raise _refuse(_("The host name is not valid."))
        if not _allow_private() and (
            ascii_host.lower() == "localhost" or ascii_host.lower().endswith(".localhost")
        ):
            raise _refuse(_("Webhooks cannot be sent to this computer (localhost)."))
    elif not _allow_private() and not is_public(ip):
        raise _refuse(
            _("Webhooks cannot be sent to private, loopback or other non-public addresses.")
        )
    return url


def ascii_host_of(url: str) -> str:
    """The host as the HTTP client will send it: IDNA 2008 / UTS 46 like httpx and browsers
    (Python's own "idna" codec is IDNA 2003, which maps ``faß.de`` to another domain)."""
    try:
        raw = httpx.URL(url).raw_host
    except httpx.InvalidURL as exc:
        raise ValueError(str(exc)) from None
    return raw.decode("ascii").rstrip(".").lower()


def target_of(url: str) -> Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = ascii_host_of(url)
    ip = ip_literal(host)
    name = str(ip) if ip is not None else host
    return Target(scheme=scheme, host=name, port=parts.port or (443 if scheme == "https" else 80))


def resolve_public(target: Target) -> IPAddress:
    """The address to connect to: the first one of the host, all of which must be public."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        logger.info("Webhook host %s does not resolve: %s", target.host, exc)
        raise AddressRefused(_NOT_PUBLIC % target.host) from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise AddressRefused(_NOT_PUBLIC % target.host)
    if not _allow_private():
        refused = [str(ip) for ip in addresses if not is_public(ip)]
        if refused:
            # The owner reads this error: it must not map the operator's internal names to
            # addresses. The details go to the server's log.
            logger.warning("Webhook host %s resolves to non-public %s", target.host, refused)
            raise AddressRefused(_NOT_PUBLIC % target.host)
    return addresses[0]
