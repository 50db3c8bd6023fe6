"""Digits spelled out in English, Russian, Polish, Czech and Icelandic."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

UNIT, TEEN, TEN, HUNDRED = 0, 1, 2, 3

_TABLE: list[tuple[int, str]] = []


def _add(value: int, words: str) -> None:
    for w in words.split():
        _TABLE.append((value, w))


# English
_add(0, "zero oh nought")
_add(1, "one")
_add(2, "two")
_add(3, "three")
_add(4, "four")
_add(5, "five")
_add(6, "six")
_add(7, "seven")
_add(8, "eight")
_add(9, "nine")
_add(10, "ten")
_add(11, "eleven")
_add(12, "twelve")
_add(13, "thirteen")
_add(14, "fourteen")
_add(15, "fifteen")
_add(16, "sixteen")
_add(17, "seventeen")
_add(18, "eighteen")
_add(19, "nineteen")
_add(20, "twenty")
_add(30, "thirty")
_add(40, "forty")
_add(50, "fifty")
_add(60, "sixty")
_add(70, "seventy")
_add(80, "eighty")
_add(90, "ninety")
# Russian
_add(0, "ноль нуль")
_add(1, "один одна")
_add(2, "два две")
_add(3, "три")
_add(4, "четыре")
_add(5, "пять")
_add(6, "шесть")
_add(7, "семь")
_add(8, "восемь")
_add(9, "девять")
_add(10, "десять")
_add(11, "одиннадцать")
_add(12, "двенадцать")
_add(13, "тринадцать")
_add(14, "четырнадцать")
_add(15, "пятнадцать")
_add(16, "шестнадцать")
_add(17, "семнадцать")
_add(18, "восемнадцать")
_add(19, "девятнадцать")
_add(20, "двадцать")
_add(30, "тридцать")
_add(40, "сорок")
_add(50, "пятьдесят")
_add(60, "шестьдесят")
_add(70, "семьдесят")
_add(80, "восемьдесят")
_add(90, "девяносто")
_add(100, "сто")
_add(200, "двести")
_add(300, "триста")
_add(400, "четыреста")
_add(500, "пятьсот")
_add(600, "шестьсот")
_add(700, "семьсот")
_add(800, "восемьсот")
_add(900, "девятьсот")
# Polish
_add(0, "zero")
_add(1, "jeden jedna jedno")
_add(2, "dwa dwie")
_add(3, "trzy")
_add(4, "cztery")
_add(5, "pięć")
_add(6, "sześć")
_add(7, "siedem")
_add(8, "osiem")
_add(9, "dziewięć")
_add(10, "dziesięć")
_add(11, "jedenaście")
_add(12, "dwanaście")
_add(13, "trzynaście")
_add(14, "czternaście")
_add(15, "piętnaście")
_add(16, "szesnaście")
_add(17, "siedemnaście")
_add(18, "osiemnaście")
_add(19, "dziewiętnaście")
_add(20, "dwadzieścia")
_add(30, "trzydzieści")
_add(40, "czterdzieści")
_add(50, "pięćdziesiąt")
_add(60, "sześćdziesiąt")
_add(70, "siedemdziesiąt")
_add(80, "osiemdziesiąt")
_add(90, "dziewięćdziesiąt")
_add(100, "sto")
_add(200, "dwieście")
_add(300, "trzysta")
_add(400, "czterysta")
_add(500, "pięćset")
_add(600, "sześćset")
_add(700, "siedemset")
_add(800, "osiemset")
_add(900, "dziewięćset")
# Czech
_add(0, "nula")
_add(1, "jedna jeden jedno")
_add(2, "dva dvě")
_add(3, "tři")
_add(4, "čtyři")
_add(5, "pět")
_add(6, "šest")
_add(7, "sedm")
_add(8, "osm")
_add(9, "devět")
_add(10, "deset")
_add(11, "jedenáct")
_add(12, "dvanáct")
_add(13, "třináct")
_add(14, "čtrnáct")
_add(15, "patnáct")
_add(16, "šestnáct")
_add(17, "sedmnáct")
_add(18, "osmnáct")
_add(19, "devatenáct")
_add(20, "dvacet")
_add(30, "třicet")
_add(40, "čtyřicet")
_add(50, "padesát")
_add(60, "šedesát")
_add(70, "sedmdesát")
_add(80, "osmdesát")
_add(90, "devadesát")
# Icelandic
_add(0, "núll")
_add(1, "einn ein eitt")
_add(2, "tveir tvær tvö")
_add(3, "þrír þrjár þrjú")
_add(4, "fjórir fjórar fjögur")
_add(5, "fimm")
_add(6, "sex")
_add(7, "sjö")
_add(8, "átta")
_add(9, "níu")
_add(10, "tíu")
_add(11, "ellefu")
_add(12, "tólf")
_add(20, "tuttugu")
_add(30, "þrjátíu")
_add(40, "fjörutíu")
_add(50, "fimmtíu")
_add(60, "sextíu")
_add(70, "sjötíu")
_add(80, "áttatíu")
_add(90, "níutíu")


def _strip(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
    ).replace("ł", "l")


NUMBER_WORDS: dict[str, int] = {}
for _value, _word in _TABLE:
    NUMBER_WORDS.setdefault(_word, _value)
    NUMBER_WORDS.setdefault(_strip(_word), _value)

PLUS_WORDS = frozenset({"plus", "плюс", "plús"})
# Connectors allowed between spelled numbers ("tuttugu og einn").
CONNECTORS = frozenset({"og"})


@lru_cache(maxsize=8192)
def word_value(word: str) -> int | None:
    """Value of a lower-case number word, also without diacritics."""
    v = NUMBER_WORDS.get(word)
    if v is None and not word.isascii():
        v = NUMBER_WORDS.get(_strip(word))
    return v


def kind(value: int) -> int:
    if value < 10:
        return UNIT
    if value < 20:
        return TEEN
    if value < 100:
        return TEN
    return HUNDRED


def _trie_regex(words: list[str]) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


WORD_PATTERN = _trie_regex(sorted(set(NUMBER_WORDS)))
