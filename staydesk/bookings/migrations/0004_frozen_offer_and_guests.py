"""Freeze also what was sold and for how many: the units held follow these columns."""

from django.db import migrations

from staydesk.bookings.frozen_sql import create_trigger, drop_trigger

BEFORE = [
    "code", "organization_id", "property_id", "kind", "currency", "total", "min_prepayment",
    "prepayment_percent", "payment_limit_hours", "payment_days_before_arrival",
    "cancellation_tiers", "provider_may_cancel", "arrival", "departure", "booked_at",
]
AFTER = [
    *BEFORE,
    "room_type_id", "rate_plan_id", "package_id", "promotion_id", "variant_id",
    "nightly_prices", "adults", "children",
]


def forward(apps, schema_editor):
    drop_trigger(schema_editor)
    create_trigger(schema_editor, AFTER)


def backward(apps, schema_editor):
    drop_trigger(schema_editor)
    create_trigger(schema_editor, BEFORE)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0003_alter_booking_cancellation_type")]
    operations = [migrations.RunPython(forward, backward)]
