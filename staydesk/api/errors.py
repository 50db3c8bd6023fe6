"""One error shape for every failure: ``{"detail": "...", "code": "..."}`` (SPEC §8).

Domain refusals are 409 (or the error's own status: 422 for input, 404 for not found, 403);
input the schema refuses is 422 naming the field; nothing the caller sends becomes a 500.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from staydesk.core.errors import DomainError


def error_body(detail: str, code: str, field: str | None = None) -> dict:
    body = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    return body


def _field_of(error: dict) -> str:
    loc = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("body", "query", "path", "payload")
    ]
    return ".".join(loc)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request, error_body(str(exc.message), exc.code, exc.field), status=exc.status
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first)
        message = first.get("msg", _("Invalid input."))
        body = error_body(
            f"{field}: {message}" if field else message, "invalid_input", field or None
        )
        body["errors"] = [
            {"field": _field_of(e), "detail": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors
        ]
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            error_body(_("A valid bearer token is required."), "not_authenticated"),
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body(_("Not found."), "not_found"), status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            422: "invalid_input",
            429: "rate_limited",
        }.get(exc.status_code, "error")
        return api.create_response(request, error_body(str(exc), code), status=exc.status_code)
