"""REST API v1 (SPEC §8): django-ninja routers by area, no domain rule in an endpoint."""
