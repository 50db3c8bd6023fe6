# ruff: noqa: RUF001, RUF003  (look-alike letters and other scripts are the point here)
"""The contact-details detector: labelled corpus (precision/recall) and focused unit tests."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from staydesk.messaging.detector import CATEGORIES, Finding, find_contact_details

CORPUS_DIR = Path(__file__).parent / "corpus"
THRESHOLD = 0.97


def _corpus() -> list[dict]:
    rows = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _categories(text: str) -> set[str]:
    return {f.category for f in find_contact_details(text, countries=("PL", "CZ"))}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def test_corpus_shape():
    rows = _corpus()
    assert len(rows) >= 400
    langs = Counter(r["lang"] for r in rows)
    assert set(langs) == {"en", "ru", "pl", "cs", "is"}
    positives = sum(1 for r in rows if r["categories"])
    assert abs(positives - (len(rows) - positives)) <= len(rows) * 0.1
    for r in rows:
        assert set(r["categories"]) <= set(CATEGORIES)
    for category in CATEGORIES:
        assert any(category in r["categories"] for r in rows), category


def test_corpus_precision_and_recall():
    rows = _corpus()
    tp = fp = fn = tn = 0
    per = {c: Counter() for c in CATEGORIES}
    misses = []
    for r in rows:
        expected = set(r["categories"])
        got = _categories(r["text"])
        if expected and got:
            tp += 1
        elif got:
            fp += 1
        elif expected:
            fn += 1
        else:
            tn += 1
        for c in CATEGORIES:
            per[c]["tp"] += c in expected and c in got
            per[c]["fp"] += c not in expected and c in got
            per[c]["fn"] += c in expected and c not in got
        if expected != got:
            misses.append(
                f"  [{r['lang']}] expected {sorted(expected)} got {sorted(got)}: {r['text']!r}"
            )
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    lines = [
        f"corpus: {len(rows)} messages (tp={tp} fp={fp} fn={fn} tn={tn})",
        f"overall (message level): precision={precision:.3f} recall={recall:.3f}",
    ]
    for c in CATEGORIES:
        k = per[c]
        lines.append(
            f"  {c:<13} precision={_ratio(k['tp'], k['tp'] + k['fp']):.3f} "
            f"recall={_ratio(k['tp'], k['tp'] + k['fn']):.3f} (n={k['tp'] + k['fn']})"
        )
    lines.append(f"category-level mismatches: {len(misses)}")
    lines.extend(misses[:30])
    report = "\n".join(lines)
    print("\n" + report)
    assert precision >= THRESHOLD and recall >= THRESHOLD, report


def cats(text: str, **kw) -> set[str]:
    return {f.category for f in find_contact_details(text, **kw)}


# --- obfuscations that must be caught -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "call me +48 601 234 567",
        "zadzwoń 601-234-567",
        "tel. 601.234.567",
        "volejte 602\n123\n456",
        "mój numer 6 0 1 2 3 4 5 6 7",
        "+４８ ６０１ ２３４ ５６７",  # full-width
        "+٤٨ ٦٠١ ٢٣٤ ٥٦٧",  # Arabic-Indic
        "+४८ ६०१ २३४ ५६७",  # Devanagari
        "6\u200b0\u200b1\u200c2\u200d3\u20604 567",  # zero-width characters
        "plus four eight six zero one two three four five six seven",
        "восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь",
        "плюс семь девять один шесть один два три четыре пять шесть семь",
        "sześć zero jeden dwa trzy cztery pięć sześć siedem",
        "szesc zero jeden dwa trzy cztery piec szesc siedem",  # no diacritics
        "šest nula dva jedna dva tři čtyři pět šest",
        "plús þrír fimm fjórir sex sex einn tveir þrír fjórir fimm",
        "sześćset jeden dwieście trzydzieści cztery pięćset sześćdziesiąt siedem",
        "+420 šest nula dva 123 456",
        "8 (916) 123-45-67",
    ],
)
def test_phone_obfuscations(text):
    assert "phone" in cats(text)


def test_phone_uses_given_countries():
    # A Czech national number is found when CZ is one of the countries.
    assert "phone" in cats("číslo 731 234 567", countries=("CZ",))


@pytest.mark.parametrize(
    "text",
    [
        "jan.kowalski@gmail.com",
        "jan.kowalski [at] gmail [dot] com",
        "jan.kowalski (at) gmail (dot) com",
        "jan.kowalski at gmail dot com",
        "ivan собака mail точка ru",
        "kasia małpa wp kropka pl",
        "karel zavináč seznam tečka cz",
        "gudrun hjá simnet punktur is",
        "anna @ seznam . cz",
        "ivan@gmаil.cоm",  # Cyrillic а and о
        "j\u200ban@gmail.com",
        "ｊａｎ＠ｇｍａｉｌ．ｃｏｍ",
    ],
)
def test_email_obfuscations(text):
    assert cats(text) == {"email"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("see https://villa-sopot.pl/cennik", "url"),
        ("www.pension-karel.cz", "url"),
        ("villa-sopot.pl", "url"),
        ("villa-sopot dot pl", "url"),
        ("vіlla-sopot.рl", "url"),  # Cyrillic і and р
        ("https://www.booking.com/hotel/pl/x.html", "booking_site"),
        ("airbnb.com/rooms/123", "booking_site"),
        ("we are on Airbnb too", "booking_site"),
        ("ogłoszenie na OLX", "booking_site"),
        ("есть на Авито", "booking_site"),
        ("vk.com/villa", "booking_site"),
        ("facebook.com/villasopot", "booking_site"),
        ("t.me/villa_sopot", "messenger"),
        ("wa.me/48601234567", "messenger"),
        ("Skype: villa.sopot", "messenger"),
        ("telegram @villa_sopot", "messenger"),
        ("пишите в ватсап", "messenger"),
        ("napište na WhatsApp", "messenger"),
        ("ICQ 123456789", "messenger"),
        ("viber://chat?number=%2B420602123456", "messenger"),
        ("ul. Długa 5, 80-827 Gdańsk", "address"),
        ("Karlova 12, 110 00 Praha 1", "address"),
        ("Laugavegur 12, 101 Reykjavík", "address"),
        ("221B Baker Street, London NW1 6XE", "address"),
        ("ул. Ленина, д. 5, кв. 12, 190000 Санкт-Петербург", "address"),
    ],
)
def test_other_categories(text, category):
    assert category in cats(text)


# --- ordinary numbers that must pass --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The price is 120 PLN per night, €95 for breakfast for two.",
        "Razem 1 200 zł, zaliczka 360 zł.",
        "Verðið er 3.500 ISK á mann.",
        "Cena 12 500 Kč za 5 nocí.",
        "Стоимость 45 600 руб. за неделю",
        "Arrival 12.05.2027, departure 2027-05-15, or 12/05 if easier.",
        "Pobyt 12.05–15.05.2027, przyjazd o 14:00.",
        "Check-in from 14:00 or 2 pm, check-out until 11.30.",
        "We are in room 214, pokój 12 is too small. Номер 305.",
        "We are 2 adults and 3 children, 4 guests in total.",
        "Booking code SD7K3M9QXP, second booking SDABCDEFGH.",
        "Your booking page: https://staydesk.localhost/b/SD7K3M9QXP",
        "Dates 12.05.2027 - 14.05.2027 and 20.06.2027 - 25.06.2027",
        "Zaplatili jsme 12 000 Kč dne 03.04.2027, rezervace SD2345HJKM.",
        "Two adults, one child, three nights please.",
        "Parking na ul. Długiej, 20 zł za dobę.",
    ],
)
def test_ordinary_numbers_pass(text):
    assert find_contact_details(text, countries=("PL", "CZ")) == []


def test_allowed_domains_argument():
    assert cats("see book.example.org", allowed_domains=("example.org",)) == set()
    assert cats("see book.example.org") == {"url"}
    assert cats("https://staydesk.localhost/b/x") == set()
    assert cats("https://staydesk.localhost/b/x", allowed_domains=("example.org",)) == {"url"}


# --- offsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hi, call +48 601 234 567 today",
        "Напишите: ivan собака mail точка ru, спасибо",
        "ｍｙ ｎｕｍｂｅｒ ６０１ ２３４ ５６７ ok",
        "x\u200by 6\u200b0\u200b1 234 567 and jan@gmail.com",
        "pl: sześć zero jeden dwa trzy cztery pięć sześć siedem!",
    ],
)
def test_offsets_point_into_original_text(text):
    findings = find_contact_details(text)
    assert findings
    for f in findings:
        assert isinstance(f, Finding)
        assert text[f.start : f.end] == f.text
        assert f.text.strip() == f.text


def test_offsets_exact():
    text = "Hi, call +48 601 234 567 today or mail jan [at] wp [dot] pl."
    found = find_contact_details(text)
    assert [(f.category, f.text) for f in found] == [
        ("phone", "+48 601 234 567"),
        ("email", "jan [at] wp [dot] pl"),
    ]


def test_finding_is_frozen():
    f = find_contact_details("jan@gmail.com")[0]
    with pytest.raises(AttributeError):
        f.start = 3  # type: ignore[misc]


def test_empty():
    assert find_contact_details("") == []


@pytest.mark.parametrize(
    "text",
    [
        "a" * 20000 + "@",
        "a." * 10000,
        "ж" * 20000 + "a",
        "ул. " + "б" * 5000 + " 5, 190000 Москва",
        " ".join(["1"] * 10000),
        " ".join(["sześć", "zero", "сто"] * 2000),
    ],
)
def test_long_and_hostile_input_stays_fast(text):
    start = time.perf_counter()
    find_contact_details(text)
    assert time.perf_counter() - start < 2.0
