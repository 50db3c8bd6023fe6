# ruff: noqa: RUF001  (look-alike letters and other scripts are the point here)
"""Text normalisation with an offset map back to the original text.

Every view produced here keeps, for each of its characters, the start and end index of the
original characters it came from, so findings can point into the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width and other invisible formatting characters used to split words and numbers.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]"
)
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")

# Cyrillic and Greek letters that look like Latin ones (lower case after lowering).
LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "ԛ": "q", "ԝ": "w", "ο": "o", "α": "a", "ε": "e", "ρ": "p", "ν": "v", "κ": "k",
        "τ": "t", "ι": "i", "υ": "u",
    }
)  # fmt: skip
_HAS_CYR_OR_GREEK = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_CYR = "\u0370-\u03ff\u0400-\u04ff"
_LAT_RUN = "a-z0-9_.\\-@/:"
_MIXED = re.compile(
    # a Latin run straight followed by a Cyrillic/Greek letter, or the other way round;
    # starts only where a run starts and never backtracks, so it stays linear.
    f"(?<![{_LAT_RUN}])[a-z][{_LAT_RUN}]*+[{_CYR}]"
    f"|(?<![{_CYR}0-9_.\\-@/:])[{_CYR}][{_CYR}0-9_.\\-@/:]*+[a-z]"
)
_TOKEN = re.compile(r"[\w.\-@/:]+")
_LATIN = re.compile("[a-z]")


@dataclass(slots=True)
class View:
    """A derived text with per-character spans in the original text (None = identity)."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]

    def materialise(self) -> tuple[list[int], list[int]]:
        if self.starts is None or self.ends is None:
            n = len(self.text)
            return list(range(n)), list(range(1, n + 1))
        return self.starts, self.ends


def _char_value(ch: str) -> str:
    if ch.isdigit() and not ("0" <= ch <= "9"):
        d = unicodedata.digit(ch, None)
        if d is not None:
            return str(d)
    return unicodedata.normalize("NFKC", ch)


def normalise(text: str) -> View:
    """NFKC, drop invisible characters, map every script's digits to ASCII; keep case."""
    if text.isascii() or (
        unicodedata.is_normalized("NFKC", text)
        and not _INVISIBLE.search(text)
        and not _NON_ASCII_DIGIT.search(text)
    ):
        return View(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if _INVISIBLE.match(ch):
            continue
        rep = _char_value(ch)
        for r in rep:
            if r.isdigit() and not ("0" <= r <= "9"):
                d = unicodedata.digit(r, None)
                r = str(d) if d is not None else r
            if _INVISIBLE.match(r):
                continue
            out.append(r)
            starts.append(i)
            ends.append(i + 1)
    return View("".join(out), starts, ends)


def lower(view: View) -> View:
    low = view.text.lower()
    if len(low) == len(view.text):
        return View(low, view.starts, view.ends)
    return View("".join(c.lower()[0] for c in view.text), view.starts, view.ends)


def substitute(view: View, pattern: re.Pattern[str], repl: str) -> View:
    """re.sub that keeps the offset map; each replacement maps onto the whole match."""
    if not pattern.search(view.text):
        return view
    starts, ends = view.materialise()
    out: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    pos = 0
    text = view.text
    for m in pattern.finditer(text):
        a, b = m.span()
        out.append(text[pos:a])
        ns.extend(starts[pos:a])
        ne.extend(ends[pos:a])
        if b > a:
            o_start, o_end = starts[a], ends[b - 1]
        else:
            o_start = o_end = starts[a] if a < len(starts) else (ends[-1] if ends else 0)
        out.append(repl)
        ns.extend([o_start] * len(repl))
        ne.extend([o_end] * len(repl))
        pos = b
    out.append(text[pos:])
    ns.extend(starts[pos:])
    ne.extend(ends[pos:])
    return View("".join(out), ns, ne)


def fold_lookalikes(view: View) -> View:
    """Replace Cyrillic/Greek look-alike letters in tokens that also hold Latin letters."""
    text = view.text
    if not _HAS_CYR_OR_GREEK.search(text) or not _MIXED.search(text):
        return view

    def fix(m: re.Match[str]) -> str:
        tok = m.group()
        if _LATIN.search(tok) and _HAS_CYR_OR_GREEK.search(tok):
            return tok.translate(LOOKALIKES)
        return tok

    folded = _TOKEN.sub(fix, text)
    return View(folded, view.starts, view.ends)
