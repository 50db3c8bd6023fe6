"""The single PlatformSettings row exists from the start, seeded from the settings' defaults,
so reading it never writes (a refused booking must leave no row behind)."""

from django.conf import settings
from django.db import migrations


def create_row(apps, schema_editor):
    PlatformSettings = apps.get_model("core", "PlatformSettings")
    PlatformSettings.objects.get_or_create(
        pk=1,
        defaults={
            "transfer_fee_percent": settings.STAYDESK_DEFAULT_TRANSFER_FEE_PERCENT,
            "commission_percent": settings.STAYDESK_DEFAULT_COMMISSION_PERCENT,
            "confirmation_window_hours": settings.STAYDESK_DEFAULT_CONFIRMATION_WINDOW_HOURS,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
