"""Domain errors: a refusal by the rules, with a stable machine-readable code.

Services raise ``DomainError``; the API maps it to HTTP 409 (or ``status`` when set) and the
UI shows ``message``. The code never changes once published: clients branch on it.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    status = 409

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidInput(DomainError):
    """The request itself is wrong (bad dates, too many guests): an input error, HTTP 422."""

    status = 422


class Forbidden(DomainError):
    """The caller may not do this at all (whatever the booking's state): HTTP 403."""

    status = 403


class NotFound(DomainError):
    """The object does not exist or is not the caller's to see: HTTP 404."""

    status = 404
