"""A trigger that refuses any change to the columns a booking froze at creation.

The price of a booking never changes (SPEC §3): not through a service, the admin, a script or
a bug. Both vendors raise an integrity error, which Django reports as IntegrityError.
"""

from django.db import migrations

from staydesk.bookings.frozen_sql import create_trigger, drop_trigger

# bookings.models.FROZEN_FIELDS as of this migration (0004 extends it).
COLUMNS = [
    "code", "organization_id", "property_id", "kind", "currency", "total", "min_prepayment",
    "prepayment_percent", "payment_limit_hours", "payment_days_before_arrival",
    "cancellation_tiers", "provider_may_cancel", "arrival", "departure", "booked_at",
]


def create(apps, schema_editor):
    create_trigger(schema_editor, COLUMNS)


def drop(apps, schema_editor):
    drop_trigger(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
