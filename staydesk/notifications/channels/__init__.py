"""The ways a notification leaves the system: email (Django's mailers) and SMS (a gateway)."""


class DeliveryError(Exception):
    """The channel could not hand the notification over; the attempt is retried later."""
