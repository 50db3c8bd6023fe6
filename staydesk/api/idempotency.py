"""``Idempotency-Key`` for every POST of the API (SPEC §7, §8).

The first response to a POST with a key (status, body, content type) is kept for
``STAYDESK_IDEMPOTENCY_HOURS`` and replayed, with ``Idempotent-Replayed: true``, for a retry
with the same key, method, path and body. The same key with another body or path is 422
``idempotency_key_reused``; a retry while the first request still runs is 409
``idempotency_in_progress``. Keys belong to the caller (``Caller.key``): two API keys may use
the same idempotency key independently.

The lock is the INSERT of an IN_PROGRESS row, committed on its own before the operation runs:
a concurrent request with the same key hits the unique constraint and reads the row. Responses
of 500 and above (and exceptions) are not kept: the row is deleted so that a retry runs again.
A row left IN_PROGRESS by a process that died is taken for abandoned after
``ABANDONED_AFTER``.

Wired in as a decorator around every operation's ``run`` (``api.add_decorator(idempotent,
mode="view")``): it sees the final response, after authentication, validation and the
error handlers.
"""

import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from staydesk.api.auth import caller_for_token
from staydesk.api.errors import error_body
from staydesk.api.models import IdempotencyRecord
from staydesk.core import clock

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# An IN_PROGRESS row older than this belongs to a request whose process died.
ABANDONED_AFTER = dt.timedelta(minutes=10)
# Answers that say nothing about the operation itself: never kept, the retry runs again.
NOT_STORED = {401, 429}

OPENAPI_DESCRIPTION = (
    "Optional on every POST: 1 to 255 printable ASCII characters, unique per request you mean "
    "to make once. The first response is kept for 24 hours and replayed (with "
    "`Idempotent-Replayed: true`) for a retry with the same key and body; the same key with "
    "another body or path is 422 `idempotency_key_reused`; a retry while the first request "
    "still runs is 409 `idempotency_in_progress`. Keys are scoped to your API key."
)


def _json(status: int, detail: str, code: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(error_body(detail, code)), status=status, content_type="application/json"
    )


def _in_progress() -> HttpResponse:
    return _json(
        409, _("A request with this Idempotency-Key is in progress."), "idempotency_in_progress"
    )


def valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in key)


def fingerprint(request: HttpRequest) -> str:
    """Method, path and body; a JSON body by its content, not its spacing or key order."""
    body = request.body
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _caller_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    caller = caller_for_token(token.strip())
    return caller.key if caller else None


def _claim(scope: str, key: str, print_: str):
    """Insert the IN_PROGRESS row, or return the live row that holds the key."""
    for _attempt in range(3):
        now = clock.now()
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    fingerprint=print_,
                    created_at=now,
                    expires_at=now + ABANDONED_AFTER,
                )
            return None
        except IntegrityError:
            pass
        held = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if held is None:  # finished with a 5xx and deleted meanwhile: try again
            continue
        if held.expires_at <= now:  # expired (or abandoned): as if it never was
            IdempotencyRecord.objects.filter(pk=held.pk, expires_at__lte=now).delete()
            continue
        return held
    return _in_progress()


def _answer_for(held, print_: str) -> HttpResponse:
    if held.fingerprint != print_:
        return _json(
            422,
            _("This Idempotency-Key was used for another request."),
            "idempotency_key_reused",
        )
    if held.status != IdempotencyRecord.Status.DONE:
        return _in_progress()
    response = HttpResponse(
        bytes(held.response_body), status=held.response_status, content_type=held.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _release(scope: str, key: str) -> None:
    IdempotencyRecord.objects.filter(
        scope=scope, key=key, status=IdempotencyRecord.Status.IN_PROGRESS
    ).delete()


def _store(scope: str, key: str, response: HttpResponseBase) -> None:
    done = IdempotencyRecord.objects.filter(
        scope=scope, key=key, status=IdempotencyRecord.Status.IN_PROGRESS
    )
    created_at = done.values_list("created_at", flat=True).first() or clock.now()
    done.update(
        status=IdempotencyRecord.Status.DONE,
        response_status=response.status_code,
        response_body=response.content,
        content_type=response.get("Content-Type", ""),
        expires_at=created_at + dt.timedelta(hours=settings.STAYDESK_IDEMPOTENCY_HOURS),
    )


OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": OPENAPI_DESCRIPTION,
}


def _document(operation) -> None:
    if operation is None or "POST" not in getattr(operation, "methods", ()):
        return
    extra = dict(operation.openapi_extra or {})
    parameters = list(extra.get("parameters", []))
    if not any(p.get("name") == HEADER for p in parameters):
        parameters.append(OPENAPI_PARAMETER)
    extra["parameters"] = parameters
    operation.openapi_extra = extra


def idempotent(run):
    """Wrap an operation's ``run(request, **kw)``: POSTs with an Idempotency-Key.

    Applied by ``api.add_decorator(idempotent, mode="view")`` to every operation (``run`` is
    the operation's bound method); it also documents the header on the POST operations.
    """
    _document(getattr(run, "__self__", None))

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return run(request, *args, **kwargs)
        if not valid_key(key):
            return _json(
                400,
                _("The Idempotency-Key header must be 1 to 255 printable ASCII characters."),
                "invalid_idempotency_key",
            )
        scope = _caller_key(request)
        if scope is None:  # not authenticated: the operation answers 401, nothing to keep
            return run(request, *args, **kwargs)
        print_ = fingerprint(request)
        held = _claim(scope, key, print_)
        if isinstance(held, HttpResponse):
            return held
        if held is not None:
            return _answer_for(held, print_)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            _release(scope, key)
            raise
        if (
            response.status_code >= 500
            or response.status_code in NOT_STORED
            or getattr(response, "streaming", False)
        ):
            _release(scope, key)
        else:
            _store(scope, key, response)
        return response

    return wrapper


def purge_expired() -> dict[str, int]:
    """Delete the records past their expiry (a periodic job; expired rows are ignored anyway)."""
    deleted, _by_model = IdempotencyRecord.objects.filter(expires_at__lte=clock.now()).delete()
    if deleted:
        logger.info("Purged %s expired idempotency records", deleted)
    return {"purged": deleted}
