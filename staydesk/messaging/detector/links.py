"""URLs, bare domains and links to other booking sites and social networks."""

from __future__ import annotations

import re

_TLDS = [
    "com",
    "net",
    "org",
    "info",
    "biz",
    "io",
    "co",
    "me",
    "app",
    "site",
    "online",
    "store",
    "shop",
    "travel",
    "pro",
    "top",
    "club",
    "xyz",
    "ru",
    "su",
    "pl",
    "cz",
    "sk",
    "is",
    "eu",
    "de",
    "uk",
    "at",
    "ch",
    "fr",
    "it",
    "es",
    "pt",
    "nl",
    "be",
    "se",
    "no",
    "dk",
    "fi",
    "ua",
    "by",
    "kz",
    "lt",
    "lv",
    "ee",
    "hu",
    "ro",
    "bg",
    "hr",
    "si",
    "gr",
    "tr",
    "us",
    "ca",
    "au",
    "nz",
    "jp",
    "cn",
    "in",
    "ly",
    "gl",
    "gg",
    "to",
    "cc",
    "tv",
    "ws",
    "page",
    "link",
    "house",
    "rent",
    "holiday",
    "hotel",
    "hotels",
    "apartments",
]
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:" + "|".join(_TLDS) + r")\b"
    r"(?:[/:?#][^\s<>\"'«»]*)?"
)
_URL_HINT = re.compile(r"\.(?:" + "|".join(_TLDS) + r")\b|www\.|://")
_HOST = re.compile(r"^(?:[a-z]+://)?(?:www\.)?([^/:?#\s]+)")

BOOKING_DOMAINS = [
    "booking.com",
    "airbnb",
    "olx",
    "avito.ru",
    "facebook.com",
    "fb.com",
    "fb.me",
    "vk.com",
    "vkontakte.ru",
    "instagram.com",
    "expedia",
    "hotels.com",
    "agoda",
    "trivago",
    "tripadvisor",
    "hostelworld",
    "ostrovok.ru",
    "sutochno.ru",
    "tvil.ru",
    "nocowanie.pl",
    "noclegi.pl",
    "e-turysta.pl",
    "otodom.pl",
    "bazos.cz",
    "sreality.cz",
    "slevomat.cz",
    "bland.is",
    "tiktok.com",
    "twitter.com",
    "x.com",
    "ok.ru",
    "youtube.com",
]
MESSENGER_DOMAINS = [
    "t.me",
    "telegram.me",
    "telegram.dog",
    "wa.me",
    "api.whatsapp.com",
    "chat.whatsapp.com",
    "whatsapp.com",
    "viber.click",
    "invite.viber.com",
    "join.skype.com",
    "skype.com",
    "m.me",
    "ig.me",
    "icq.im",
    "line.me",
    "signal.me",
]

BOOKING_WORDS = re.compile(
    r"\b(?:booking\.com|booking\s+com|bookingu\.com|air\s?bnb\w*|airbnb\w*|olx\w*|avito\w*|"
    r"авито|авиту|букинг\w*|аирбнб|эйрбиэнби|эйрбнб|facebook\w*|fejsbuk\w*|фейсбук\w*|"
    r"expedia|trivago|tripadvisor\w*|agoda|hostelworld|ostrovok|островок|суточно|"
    r"nocowanie\.pl|otodom\w*|sreality|bazoš|bazos|bland\.is)(?![\w])"
)


def host_of(url: str) -> str:
    m = _HOST.match(url)
    return m.group(1).rstrip(".") if m else url


def _matches(host: str, domains: list[str] | tuple[str, ...]) -> bool:
    for d in domains:
        if "." in d:
            if host == d or host.endswith("." + d):
                return True
        elif d in host.split("."):
            return True
    return False


def classify(url: str, allowed: tuple[str, ...]) -> str | None:
    """Category of a URL or bare domain, or None for the platform's own domain."""
    host = host_of(url)
    if any(host == a or host.endswith("." + a) for a in allowed):
        return None
    if _matches(host, MESSENGER_DOMAINS):
        return "messenger"
    if _matches(host, BOOKING_DOMAINS):
        return "booking_site"
    return "url"


def find_urls(text: str) -> list[tuple[int, int]]:
    if not _URL_HINT.search(text):
        return []
    out = []
    for m in URL.finditer(text):
        a, b = m.span()
        while b > a and text[b - 1] in ".,;:!?)]}":
            b -= 1
        out.append((a, b))
    return out


_BOOKING_HINTS = (
    "booking", "air", "bnb", "olx", "avito", "авит", "букинг", "аирбнб", "эйрб", "facebook",
    "fejsbuk", "фейсбук", "expedia", "trivago", "tripadvisor", "agoda", "hostelworld",
    "ostrovok", "островок", "суточно", "nocowanie", "otodom", "sreality", "bazo", "bland",
)  # fmt: skip


def find_booking_mentions(text: str) -> list[tuple[int, int]]:
    if not any(h in text for h in _BOOKING_HINTS):
        return []
    return [m.span() for m in BOOKING_WORDS.finditer(text)]
