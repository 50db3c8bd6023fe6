"""Request bodies: JSON, and (for simple action bodies) form-encoded data too.

A POST to an action with no data often arrives as an empty form (curl ``-d ''``, browsers,
test clients); it means "no payload", not a malformed body.
"""

import json

from django.http import HttpRequest
from ninja.parser import Parser

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BodyParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        if request.content_type in FORM_TYPES:
            return {key: request.POST.get(key) for key in request.POST}
        return json.loads(request.body)
