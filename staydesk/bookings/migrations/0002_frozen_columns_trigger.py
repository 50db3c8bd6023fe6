"""A trigger that refuses any change to the columns a booking froze at creation.

The price of a booking never changes (SPEC §3): not through a service, the admin, a script or
a bug. Both vendors raise an integrity error, which Django reports as IntegrityError.
"""

from django.db import migrations

# bookings.models.FROZEN_FIELDS as of this migration (a test checks they still agree).
COLUMNS = [
    "code", "organization_id", "property_id", "kind", "currency", "total", "min_prepayment",
    "prepayment_percent", "payment_limit_hours", "payment_days_before_arrival",
    "cancellation_tiers", "provider_may_cancel", "arrival", "departure", "booked_at",
]


def _changed(vendor: str) -> str:
    op = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f'NEW."{c}" {op} OLD."{c}"' for c in COLUMNS)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER bookings_booking_frozen BEFORE UPDATE ON bookings_booking "
            f"FOR EACH ROW WHEN {_changed(vendor)} BEGIN "
            "SELECT RAISE(ABORT, 'booking_frozen: the price and rules of a booking never change'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION bookings_booking_frozen() RETURNS trigger AS $$ BEGIN "
            f"IF {_changed(vendor)} THEN "
            "RAISE EXCEPTION 'booking_frozen: the price and rules of a booking never change' "
            "USING ERRCODE = '23514'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER bookings_booking_frozen BEFORE UPDATE ON bookings_booking "
            "FOR EACH ROW EXECUTE FUNCTION bookings_booking_frozen();"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("DROP TRIGGER IF EXISTS bookings_booking_frozen" + (
        " ON bookings_booking" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS bookings_booking_frozen()")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
