# ruff: noqa: RUF001  (look-alike letters and other scripts are the point here)
"""Full postal addresses: a street with a house number next to a postcode (en, ru, pl, cs, is)."""

from __future__ import annotations

import re

_NAME = r"[^\W\d_][\w'\-]*+\.?"
_HOUSE = r"\d{1,4}[a-zа-я]?(?:\s?/\s?\d{1,4}[a-z]?)?(?![:.]\d|\d)"

_IS_SUFFIXES = [
    "gata",
    "götu",
    "vegur",
    "vegi",
    "stræti",
    "braut",
    "stígur",
    "stíg",
    "tún",
    "holt",
    "hlíð",
    "gerði",
    "sund",
    "torg",
    "bakki",
    "lind",
    "vellir",
    "hagi",
    "mýri",
    "strönd",
    "ás",
]
STREETS = [
    re.compile(p, re.IGNORECASE)
    for p in [
        # en: 221B Baker Street
        rf"\b\d{{1,5}}[a-z]?,?\s+(?:{_NAME}\s+){{1,3}}(?:street|st|road|rd|avenue|ave|lane|ln|"
        r"drive|dr|boulevard|blvd|way|place|square|sq|close|court|ct|crescent|terrace|"
        r"gardens|hill|row|mews|parade|walk)\b\.?",
        # ru: ул. Ленина, д. 5, кв. 12
        r"(?<!\w)(?:ул\.?|улица|пр-т|пр\.|проспект|пер\.|переулок|наб\.|набережная|бульвар|б-р|"
        r"шоссе|пл\.|площадь)\s*" + rf"(?:{_NAME}\s*){{1,3}},?\s*(?:д\.|дом)?\s*{_HOUSE}"
        r"(?:,?\s*(?:кв\.?|квартира|корп\.?|к\.|стр\.)\s*\d{1,4})*",
        # pl/cs with a street word: ul. Długa 5/3, nám. Míru 12
        r"(?<!\w)(?:ul\.|ulica|ulicy|al\.|aleja|aleje|os\.|osiedle|pl\.|plac|ulice|nám\.|"
        r"náměstí|tř\.|třída|nábř\.|nábřeží)\s*" + rf"(?:{_NAME}\s+){{1,3}}{_HOUSE}",
        # is: Laugavegur 12
        r"\b[^\W\d_]{2,}+(?:" + "|".join(f"(?<={w})" for w in _IS_SUFFIXES) + r")\s+" + _HOUSE,
        # cs/pl without a street word: Karlova 12/4 (checked for a capital below)
        r"(?<!\w)[^\W\d_]{3,}(?:\s+[^\W\d_]{2,}){0,1}\s+" + _HOUSE,
    ]
]
POSTCODE = re.compile(
    # pl 80-827, cs 110 00, ru 190000, is 101, each followed by a town (checked for a capital)
    r"\d(?<![\d\-]\d)(?:\d-\d{3}|\d{2}\s?\d{2}|\d{5})(?![\d\-])\s*,?\s*[^\W\d_]{2,}"
    r"|\d(?<![\d\w]\d)(?<!\d[ .\-]\d)\d{2}[ \t]+[^\W\d_]{3,}"
    r"|\d(?<!\d\d)\d{5}(?!\d)"
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_TOWN = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _postcodes(text: str) -> list[tuple[int, int]]:
    out = []
    for m in POSTCODE.finditer(text):
        s = m.group()
        town = _TOWN.search(s)
        if town and not town.group().isupper():
            continue
        if _CURRENCY_AFTER.match(s):
            continue
        out.append(m.span())
    out.extend(m.span() for m in UK_POSTCODE.finditer(text))
    out.sort()
    return out


_NOT_STREET = re.compile(
    r"^(?:room|pokój|pokoj|pokoje|pokoju|pokoji|pokoje|apartment|apartament|apartmán|"
    r"herbergi|номер|комната|for|na|do|od|the|at|on|in|about|around|o|v|ve|za|po|i|og|"
    r"about|nights?|noce?|nocy|noci|nætur|nótt|ночи|ночей|adults?|osoby|osób|osoba|"
    r"hostů|hosté|gestir|гостя|гостей|человек|dospělí|dorośli|children|dzieci|děti|börn|"
    r"дети|booking|code|kod|kód|číslo|numer|nr|guests?|people|persons?)\b",
    re.IGNORECASE,
)
_CURRENCY_AFTER = re.compile(
    r"^\d[\d\s\-]*\s*,?\s*(?:(?:eur|euro|pln|zł|zl|czk|kč|kc|isk|kr|usd|gbp|rub|руб\w*|р)(?!\w)|"
    r"nights?|noc|nocí|nætur|ночей|ночи|osob|osób|hostů|gest|человек|adults|guests|people|"
    r"dní|dni|days|дней|min|km|m\b|minut)",
    re.IGNORECASE,
)


def find_addresses(text: str) -> list[tuple[int, int]]:
    """`text` is the normalised view with its case kept."""
    if not _DIGIT.search(text):
        return []
    posts = _postcodes(text)
    if not posts:
        return []
    out: list[tuple[int, int]] = []
    # Streets are only looked for near a postcode.
    lo = max(0, posts[0][0] - 120)
    hi = min(len(text), posts[-1][1] + 120)
    for m in (m for street in STREETS for m in street.finditer(text, lo, hi)):
        a, b = m.span()
        s = m.group()
        generic = s[:1].isalpha() and not _is_street_word(s)
        if generic and (_NOT_STREET.match(s) or not s[0].isupper()):
            continue
        for pa, pb in posts:
            if pa >= a and pa <= b:
                continue
            gap = text[b:pa] if pa >= b else text[pb:a]
            if len(gap) <= 30 and not _SENTENCE_END.search(gap):
                out.append((min(a, pa), max(b, pb)))
                break
    return out


_STREET_WORD = re.compile(
    r"^(?:ul\.|ulica|ulicy|al\.|aleja|aleje|os\.|osiedle|pl\.|plac|ulice|nám\.|náměstí|tř\.|"
    r"třída|nábř\.|nábřeží|ул|улица|пр|проспект|пер|переулок|наб|набережная|бульвар|б-р|шоссе|"
    r"площадь)",
    re.IGNORECASE,
)


_IS_STREET = re.compile(
    r"^[^\W\d_]*(?:" + "|".join(_IS_SUFFIXES) + r")\s",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[!?]|\.\s+[A-ZА-Я]")


def _is_street_word(s: str) -> bool:
    return bool(_STREET_WORD.match(s)) or bool(_IS_STREET.match(s))
