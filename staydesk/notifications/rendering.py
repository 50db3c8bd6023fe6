"""Rendering a notification from its templates, in the recipient's language and timezone.

Template files for a notification named ``<name>`` (under ``notifications/``):

- ``<name>.subject.txt`` — the email subject (one line; whitespace is collapsed);
- ``<name>.txt``         — the plain-text email body;
- ``<name>.html``        — the HTML email body (optional);
- ``<name>.sms.txt``     — the SMS text (only for notifications also sent by SMS).
"""

from dataclasses import dataclass

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _squash(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """Template tags leave blank lines behind: keep at most one empty line in a row."""
    lines, blank = [], False
    for line in (raw.rstrip() for raw in text.strip().splitlines()):
        if not line:
            if not blank:
                lines.append(line)
            blank = True
            continue
        blank = False
        lines.append(line)
    return "\n".join(lines)


def _context(context: dict, language: str) -> dict:
    return {"language": language, "public_url": settings.STAYDESK_PUBLIC_URL, **context}


def render_email(name: str, context: dict, *, language: str, tz: str | None = None) -> Rendered:
    with translation.override(language), timezone.override(tz or settings.TIME_ZONE):
        ctx = _context(context, language)
        subject = _squash(render_to_string(f"notifications/{name}.subject.txt", ctx))
        text = _tidy(render_to_string(f"notifications/{name}.txt", ctx))
        try:
            html = render_to_string(f"notifications/{name}.html", ctx)
        except TemplateDoesNotExist:  # a plain-text-only notification
            html = ""
    return Rendered(subject=subject[:300], text=text, html=html.strip())


def render_sms(name: str, context: dict, *, language: str, tz: str | None = None) -> str:
    with translation.override(language), timezone.override(tz or settings.TIME_ZONE):
        return _squash(
            render_to_string(f"notifications/{name}.sms.txt", _context(context, language))
        )
