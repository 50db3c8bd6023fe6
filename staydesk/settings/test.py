"""Test settings: the same as base, with fast hashing and an in-memory mailbox."""

from staydesk.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEBUG = False
# Every test runs at the same frozen instant, so API rate windows would fill up across the
# suite; the rate-limit tests switch them on with override_settings.
STAYDESK_API_RATE_PER_KEY = ""
STAYDESK_API_RATE_PER_IP = ""
