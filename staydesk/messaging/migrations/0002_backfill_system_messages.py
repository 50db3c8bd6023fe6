"""System messages for the status changes recorded before the chat existed."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    BookingEvent = apps.get_model("bookings", "BookingEvent")
    Message = apps.get_model("messaging", "Message")
    events = (
        BookingEvent.objects.exclude(from_status=F("to_status"))
        .filter(system_message__isnull=True)
        .values_list("pk", "booking_id", "created_at")
    )
    batch = [
        Message(
            booking_id=booking_id,
            sender_kind="system",
            sender_label="Staydesk",
            event_id=pk,
            created_at=created_at,
        )
        for pk, booking_id, created_at in events.iterator()
    ]
    Message.objects.bulk_create(batch, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_message")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
