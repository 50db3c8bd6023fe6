# ruff: noqa: RUF001  (look-alike letters and other scripts are the point here)
"""Phone numbers, digits written out, split up or hidden among ordinary numbers."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from .numbers_words import (
    CONNECTORS,
    HUNDRED,
    NUMBER_WORDS,
    PLUS_WORDS,
    TEEN,
    TEN,
    UNIT,
    WORD_PATTERN,
    kind,
    word_value,
)

DEFAULT_REGIONS = ("PL", "CZ", "RU", "IS", "GB")
MIN_DIGITS = 9
MAX_DIGITS = 15

_CUR = (
    r"(?:€|\$|£|₽|eur|euro|euros|pln|zł|zl|złotych|czk|kč|kc|korun|isk|kr|krónur|usd|gbp|rub|"
    r"руб\w*|р\.)"
)
_AMOUNT = r"\d{1,3}(?:[  .,']\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# The same amount once its first digit has been read.
_AMOUNT_TAIL = r"\d{0,2}(?:[  .,']\d{3})*(?:[.,]\d{1,2})?|\d*(?:[.,]\d{1,2})?"
# Ordinary numbers, blanked out before phone numbers are looked for. Every branch of the
# first pattern starts with a digit (lookbehinds come after it) so the scan stays fast.
_ORDINARY_NUMERIC = re.compile(
    "|".join(
        [
            # date ranges: 12/05/2027-15/05/2027, 2027-05-12 - 2027-05-15
            r"\d(?<![\d.\-/]\d)\d?([./])\d{1,2}\1\d{4}\s*[-–]\s*\d{1,2}([./])\d{1,2}\2\d{4}(?!\d)",
            r"\d(?<![\d.\-/]\d)\d{3}-\d{1,2}-\d{1,2}\s*[-–]\s*\d{4}-\d{1,2}-\d{1,2}(?!\d)",
            r"\d(?<![\d.\-/]\d)\d{3}-\d{1,2}-\d{1,2}(?![\d]|[.\-/]\d)",  # ISO date
            r"\d(?<![\d.\-/]\d)\d?[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})(?![\d]|[.\-/]\d)",  # date
            r"\d(?<![\d.\-/:]\d)\d?[./:]\d{1,2}(?![\d]|[.\-/:]\d)",  # 12/05, 14:00, 14.30
            r"\d(?<!\d\d)\d?\s*[-–]\s*\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?![\d]|[.\-/]\d)",
            rf"\d(?<!\d\d)(?:{_AMOUNT_TAIL})\s?{_CUR}(?!\w)",
        ]
    )
)
_ORDINARY_WORDS = re.compile(
    r"\bsd[a-hj-np-z2-9]{8}\b"  # booking code
    rf"|{_CUR}\s?(?:{_AMOUNT})"
    r"|\b(?:room|pokój|pokoj|pok\.|pokoju|номер\w*|комнат\w*|pokoji|herbergi|"
    r"apartment|apt\.?|apartament\w*|apartmán\w*|nr\.?|no\.|č\.)\s*\d{1,4}[a-z]?(?![\d]|[\s.\-]\d)"
    r"|[#№]\s*\d{1,4}[a-z]?(?![\d]|[\s.\-]\d)"
)
_TOKEN = re.compile(r"(\d+)|([^\W\d_]+)|(\+)|([\s.\-()_*–—]+)|(.)", re.S)


_ITEM = rf"(?:\d+|(?<![^\W\d_]){WORD_PATTERN}(?![^\W\d_]))"
# A cheap first pass: stretches of digits and spelled digits joined by separators.
_RUN = re.compile(rf"{_ITEM}(?:(?:[\s.\-()_*–—+]|og\b)*{_ITEM})*")


def mask_ordinary(text: str) -> str:
    blank = _blank
    return _ORDINARY_WORDS.sub(blank, _ORDINARY_NUMERIC.sub(blank, text))


def _blank(m: re.Match[str]) -> str:
    return "#" * (m.end() - m.start())


@lru_cache(maxsize=64)
def _region_meta(region: str) -> tuple[str, frozenset[int], re.Pattern[str]] | None:
    md = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if md is None or md.general_desc is None:
        return None
    return (
        md.national_prefix or "",
        frozenset(md.general_desc.possible_length or ()),
        re.compile(md.general_desc.national_number_pattern or ".*"),
    )


@lru_cache(maxsize=512)
def _cc_lengths(cc: int) -> frozenset[int] | None:
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc)
    if not regions:
        return None
    md = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(cc, regions[0])
    if md is None or md.general_desc is None or not md.general_desc.possible_length:
        return frozenset(range(4, 16))
    return frozenset(md.general_desc.possible_length)


def _national(digits: str, region: str) -> str | None:
    """The national number if `digits` can be one in `region` (a cheap metadata check)."""
    meta = _region_meta(region)
    if meta is None:
        return None
    prefix, lengths, pattern = meta
    if prefix and digits.startswith(prefix):
        nat = digits[len(prefix) :]
        if len(nat) in lengths and pattern.fullmatch(nat):
            return nat
    if len(digits) in lengths and pattern.fullmatch(digits):
        return digits
    return None


def _is_valid(cc: int, national: str) -> bool:
    """phonenumbers' own validation, without its (slow) parser: the digits are clean here."""
    if not national or national[0] == "0":
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(f"+{cc}{national}"))
        except phonenumbers.NumberParseException:
            return False
    number = phonenumbers.PhoneNumber(country_code=cc, national_number=int(national))
    return phonenumbers.is_valid_number(number)


def _split_international(digits: str) -> tuple[int, str] | None:
    for k in (1, 2, 3):
        cc = int(digits[:k])
        lengths = _cc_lengths(cc)
        if lengths is not None:
            return (cc, digits[k:]) if len(digits) - k in lengths else None
    return None


@lru_cache(maxsize=4096)
def _valid(digits: str, plus: bool, regions: tuple[str, ...]) -> bool:
    if plus or digits.startswith("00"):
        split = _split_international(digits[2:] if digits.startswith("00") else digits)
        return split is not None and _is_valid(*split)
    for region in regions:
        national = _national(digits, region)
        if national is not None and _is_valid(
            phonenumbers.country_code_for_region(region), national
        ):
            return True
    if len(digits) >= 10:
        split = _split_international(digits)
        return split is not None and _is_valid(*split)
    return False


def _groups(text: str) -> list[list[tuple[str, int, int, bool]]]:
    """Runs of digit groups (digits, start, end, plus-before) joined by separators."""
    runs: list[list[tuple[str, int, int, bool]]] = []
    run: list[tuple[str, int, int, bool]] = []
    plus_at: int | None = None
    pending: list[tuple[int, int, int]] = []  # spelled numbers: value, start, end

    def flush_words() -> None:
        nonlocal plus_at
        if not pending:
            return
        # Assemble hundreds + tens + units into one group: "сто двадцать три" -> 123.
        i = 0
        while i < len(pending):
            total, s, e = pending[i]
            allowed = {HUNDRED: (TEN, TEEN, UNIT), TEN: (UNIT,)}.get(kind(total), ())
            j = i + 1
            while j < len(pending) and allowed and pending[j][0]:
                v = pending[j][0]
                if kind(v) not in allowed:
                    break
                total += v
                e = pending[j][2]
                j += 1
                allowed = (UNIT,) if kind(v) == TEN else ()
            run.append((str(total), s, e, plus_at is not None and not run))
            i = j
        pending.clear()

    def end_run() -> None:
        nonlocal plus_at
        flush_words()
        if run:
            runs.append(run.copy())
            run.clear()
        plus_at = None

    for m in _TOKEN.finditer(text):
        digits, word, plus, sep, _other = m.groups()
        if digits:
            flush_words()
            run.append((digits, m.start(), m.end(), plus_at is not None and not run))
        elif word:
            v = word_value(word)
            if v is not None:
                pending.append((v, m.start(), m.end()))
            elif word in PLUS_WORDS:
                end_run()
                plus_at = m.start()
            elif word in CONNECTORS and pending:
                continue
            else:
                end_run()
        elif plus:
            end_run()
            plus_at = m.start()
        elif sep:
            if sep.count("\n") > 2:
                end_run()
        else:
            end_run()
    end_run()
    return runs


_NINE_DIGITS = re.compile(r"\d(?:[\s.\-()_*–—+]*\d){8}")


_NUMBER_WORD_SET = frozenset(NUMBER_WORDS)


def _worth_a_look(text: str) -> bool:
    """Cheap gate: nine digits close together, or at least two different spelled numbers."""
    if _NINE_DIGITS.search(text):
        return True
    return len(_NUMBER_WORD_SET.intersection(text.split())) >= 2


def find_phones(text: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans (in `text`) of phone numbers; `text` is lower-cased and normalised."""
    found: list[tuple[int, int]] = []
    if not _worth_a_look(text):
        return found
    for cand in _RUN.finditer(text):
        a, b = cand.span()
        if b - a < MIN_DIGITS:
            continue
        # Blank out ordinary numbers only around the candidate: room/currency words before,
        # currency words after, and the "+" or spelled "plus" right before it.
        lo, hi = max(0, a - 16), min(len(text), b + 12)
        masked = mask_ordinary(text[lo:hi])
        for sub in _RUN.finditer(masked):
            sa, sb = sub.span()
            if sb - sa < MIN_DIGITS or sb + lo <= a or sa + lo >= b:
                continue
            head = max(0, sa - 6)
            for run in _groups(masked[head:sb]):
                _scan(run, lo + head, text, regions, found)
    return sorted(set(found))


def _scan(run, offset, text, regions, found) -> None:
    if sum(len(g[0]) for g in run) < MIN_DIGITS - 1:
        return
    i = 0
    n = len(run)
    while i < n:
        hit = False
        for j in range(min(n, i + MAX_DIGITS), i, -1):
            digits = "".join(g[0] for g in run[i:j])
            if len(digits) > MAX_DIGITS:
                continue
            if len(digits) < MIN_DIGITS - 1:
                break
            plus = run[i][3]
            if len(digits) < MIN_DIGITS and not plus:
                break
            if _valid(digits, plus, regions):
                start = run[i][1] + offset
                if plus:
                    k = start - 1
                    while k >= 0 and text[k] != "+" and not text[k].isalpha():
                        k -= 1
                    if k >= 0 and text[k] == "+":
                        start = k
                    else:  # spelled "plus"
                        while k >= 0 and text[k].isalpha():
                            k -= 1
                        start = k + 1
                found.append((start, run[j - 1][2] + offset))
                i = j
                hit = True
                break
        if not hit:
            i += 1
