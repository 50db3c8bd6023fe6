from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

# The languages Staydesk is translated into besides English (SPEC §9).
LANGS = ("ru", "pl", "cs", "is")


def catalogue_path(lang: str, ext: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / f"django.{ext}"


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture
def po(lang):
    with catalogue_path(lang, "po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture
def mo(lang):
    with catalogue_path(lang, "mo").open("rb") as f:
        return read_mo(f)
