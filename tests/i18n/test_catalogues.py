"""The .po catalogues are complete and well-formed, and the committed .mo files match them."""

import re
from collections import Counter

from tests.i18n.conftest import LANGS, catalogue_path

# The standard gettext plural formulas (nplurals, plural) for each language.
PLURAL_FORMS = {
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "cs": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
    "is": (2, "(n%10!=1 || n%100==11)"),
}

# %(name)s and friends, a literal %%, a positional %s/%d, and str.format's {name}.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%%|%[#0 +-]*\d*(?:\.\d+)?[sdifr]|\{\w*\}"
)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>|&[a-z]+;")


def forms(value) -> list[str]:
    return list(value) if isinstance(value, tuple) else [value]


def entries(po):
    return [m for m in po if m.id]


def test_the_four_catalogues_exist():
    for lang in LANGS:
        assert catalogue_path(lang, "po").is_file(), lang
        assert catalogue_path(lang, "mo").is_file(), lang


def test_header_names_the_language_utf8_and_standard_plural_forms(lang, po):
    nplurals, expr = PLURAL_FORMS[lang]
    headers = dict(po.mime_headers)
    assert headers["Language"] == lang
    assert "charset=utf-8" in headers["Content-Type"].lower()
    assert po.num_plurals == nplurals
    assert po.plural_expr.replace(" ", "") == expr.replace(" ", "")
    assert not po.fuzzy


def test_every_msgid_is_translated_and_none_is_fuzzy(lang, po):
    nplurals, _ = PLURAL_FORMS[lang]
    assert len(entries(po)) > 900  # the UI, emails, SMS, webhooks and calendar pages
    untranslated = [m.id for m in entries(po) if not all(s.strip() for s in forms(m.string))]
    fuzzy = [m.id for m in entries(po) if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    for m in entries(po):
        if isinstance(m.id, tuple):
            assert len(m.string) == nplurals, m.id


def test_placeholders_and_html_of_each_msgstr_match_its_msgid(lang, po):
    problems = []
    for m in entries(po):
        ids = forms(m.id)
        want = Counter(PLACEHOLDER.findall(ids[-1]))
        want_set = set(PLACEHOLDER.findall(" ".join(ids)))
        tags = sorted(HTML_TAG.findall(ids[-1]))
        for s in forms(m.string):
            got = Counter(PLACEHOLDER.findall(s))
            # A plural form may name its placeholders in any order but must keep every one.
            if set(got) != want_set or (not isinstance(m.id, tuple) and got != want):
                problems.append((m.id, s))
            if sorted(HTML_TAG.findall(s)) != tags:
                problems.append((m.id, s))
    assert problems == []


def test_mo_files_are_compiled_from_the_current_po(lang, po, mo):
    def table(catalogue):
        # read_mo gives plural ids and forms as lists, read_po as tuples.
        return {
            tuple(forms(tuple(m.id) if isinstance(m.id, list) else m.id)): tuple(
                forms(tuple(m.string) if isinstance(m.string, list) else m.string)
            )
            for m in entries(catalogue)
            if not m.fuzzy
        }

    compiled, source = table(mo), table(po)
    assert compiled.keys() == source.keys(), "run scripts/translations"
    stale = [mid for mid in source if compiled[mid] != source[mid]]
    assert stale == [], "run scripts/translations"
