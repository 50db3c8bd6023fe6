"""Real worker processes in tests: they reach the test database through ``DATABASE_URL``."""

from pathlib import Path
from urllib.parse import quote

from django.db import connection


def worker_database_url() -> str:
    """The URL of the database this test runs on, for a ``manage.py worker`` subprocess."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{Path(db['NAME']).resolve()}"
