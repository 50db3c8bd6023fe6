"""E-mail addresses, also written as "name [at] host dot com" and the like."""

from __future__ import annotations

import re

from .normalize import View, substitute

_AT_WORDS = r"(?:at|@|собака|собачка|sobaka|małpa|malpa|zavináč|zavinac|hjá|hja|a)"
_DOT_WORDS = r"(?:dot|точка|tochka|kropka|tečka|tecka|punktur|punkt|\.)"
_TLD_HINT = r"(?:com|net|org|ru|pl|cz|is|eu|info|de|uk|sk|ua|by|io|me)\b"

AT_BRACKET = re.compile(rf"\s*[\[\(\{{<]\s*{_AT_WORDS}\s*[\]\)\}}>]\s*")
DOT_BRACKET = re.compile(rf"\s*[\[\(\{{<]\s*{_DOT_WORDS}\s*[\]\)\}}>]\s*")
DOT_WORD = re.compile(r"(?<=\w)\s+(?:dot|точка|tochka|kropka|tečka|tecka|punktur)\s+(?=\w)")
AT_WORD = re.compile(
    r"(?<=[\w.])(?<!\bme)(?<!\bus)(?<!\byou)(?<!\bhim)(?<!\bher)(?<!\bthem)(?<!\bwe)(?<!\bit)"
    r"\s+(?:at|собака|собачка|sobaka|małpa|malpa|zavináč|zavinac|hjá)\s+"
    r"(?!www\.|https?:)(?=[\w\-]+(?:\.[\w\-]+)*\.\w{2,})"
)
AT_SPACED = re.compile(r"(?<=\w)\s+@\s+(?=\w+\.)|(?<=\w)@\s+(?=\w+\.)")
DOT_SPACED = re.compile(rf"(?<=\w)\s+\.\s*(?={_TLD_HINT})|(?<=\w)\.\s+(?={_TLD_HINT}(?!\s+\w))")

EMAIL = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}\b"
)

_HINTS = (
    "[", "(", "{", "<", "dot", "точк", "tochka", "kropk", "teck", "tečk", "punkt", "собак",
    "sobaka", "malp", "małp", "zavin", "hja", "hjá", " at ", " @", "@ ", " .",
)  # fmt: skip
_DOT_TLD = re.compile(rf"\.\s+{_TLD_HINT}")


def _cheap(text: str) -> bool:
    return any(h in text for h in _HINTS) or (". " in text and bool(_DOT_TLD.search(text)))


def deobfuscate(view: View) -> View:
    """Turn written-out or spaced "@" and "." back into symbols (lower-case view in)."""
    if not _cheap(view.text):
        return view
    for pattern, repl in (
        (AT_BRACKET, "@"),
        (DOT_BRACKET, "."),
        (DOT_WORD, "."),
        (DOT_SPACED, "."),
        (AT_WORD, "@"),
        (AT_SPACED, "@"),
    ):
        view = substitute(view, pattern, repl)
    return view


def find_emails(text: str) -> list[tuple[int, int]]:
    if "@" not in text:
        return []
    return [m.span() for m in EMAIL.finditer(text)]
