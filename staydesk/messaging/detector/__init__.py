"""Contact-details detector: a pure module, no Django and no database.

>>> find_contact_details("call me: +48 601 234 567")
[Finding(category='phone', text='+48 601 234 567', start=9, end=24)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .addresses import find_addresses
from .emails import deobfuscate, find_emails
from .links import classify, find_booking_mentions, find_urls
from .messengers import find_messengers
from .normalize import View, fold_lookalikes, lower, normalise
from .phones import DEFAULT_REGIONS, find_phones

__all__ = ["CATEGORIES", "Finding", "find_contact_details"]

CATEGORIES = ("phone", "email", "url", "messenger", "booking_site", "address")
DEFAULT_ALLOWED_DOMAINS = ("staydesk.localhost",)
_DIGIT = re.compile(r"\d")
# Which finding wins when two overlapping findings are equally long (the longer wins).
_PRIORITY = {"email": 0, "messenger": 1, "booking_site": 2, "url": 3, "address": 4, "phone": 5}


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    text: str  # as written in the original message
    start: int
    end: int


def find_contact_details(
    text: str,
    *,
    countries: tuple[str, ...] = (),
    allowed_domains: tuple[str, ...] = DEFAULT_ALLOWED_DOMAINS,
) -> list[Finding]:
    """Every piece of contact details in `text`, in order, with offsets into `text`.

    `countries` (ISO codes, e.g. the property's and the guest's) are tried first for national
    phone numbers, then PL, CZ, RU, IS and GB, then the international format. Hosts in
    `allowed_domains` (and their subdomains) are not reported. Overlapping findings are
    merged: the longer one wins (a phone number inside a wa.me link is a messenger finding).
    """
    if not text:
        return []
    regions = tuple(c.upper() for c in countries if c)
    regions = tuple(dict.fromkeys(regions + DEFAULT_REGIONS))
    allowed = tuple(a.lower().strip(".") for a in allowed_domains if a)

    cased = normalise(text)
    low = lower(cased)
    raw: list[tuple[int, int, str, View]] = []

    for a, b in find_phones(low.text, regions):
        raw.append((a, b, "phone", low))
    if _DIGIT.search(low.text):
        for a, b in find_addresses(cased.text):
            raw.append((a, b, "address", cased))

    deob = fold_lookalikes(deobfuscate(low))
    t = deob.text
    for a, b in find_emails(t):
        raw.append((a, b, "email", deob))
    for a, b in find_urls(t):
        category = classify(t[a:b], allowed)
        if category:
            raw.append((a, b, category, deob))
    for a, b in find_messengers(t):
        raw.append((a, b, "messenger", deob))
    for a, b in find_booking_mentions(t):
        raw.append((a, b, "booking_site", deob))

    spans = []
    for a, b, category, view in raw:
        oa, ob = view.span(a, b)
        spans.append((oa, ob, category))
    spans.sort(key=lambda s: (s[0] - s[1], _PRIORITY[s[2]], s[0]))
    kept: list[tuple[int, int, str]] = []
    for oa, ob, category in spans:
        if any(oa < kb and ka < ob for ka, kb, _ in kept):
            continue
        kept.append((oa, ob, category))
    kept.sort()
    return [Finding(c, text[a:b], a, b) for a, b, c in kept]
