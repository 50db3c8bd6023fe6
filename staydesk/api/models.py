"""What the API keeps itself: the stored first responses of idempotent POSTs (SPEC §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one caller.

    Inserting the IN_PROGRESS row (committed on its own) is the lock: a concurrent request with
    the same key hits the unique constraint and finds the row in progress (409) or done
    (replay). Only DONE rows carry a response.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    scope = models.CharField(_("scope"), max_length=64)  # Caller.key
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.BinaryField(_("response body"), default=b"")
    content_type = models.CharField(_("content type"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.status})"
