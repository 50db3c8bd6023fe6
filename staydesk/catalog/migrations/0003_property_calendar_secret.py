"""A calendar-feed secret per property. Existing properties each get their own (a plain
AddField with a callable default would give them all the same one)."""

import secrets

from django.db import migrations, models

import staydesk.catalog.models


def fill_secrets(apps, schema_editor):
    Property = apps.get_model("catalog", "Property")
    for pk in Property.objects.values_list("pk", flat=True):
        Property.objects.filter(pk=pk).update(calendar_secret=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_alter_package_price_alter_promotionvariant_price"),
    ]

    operations = [
        migrations.AddField(
            model_name="property",
            name="calendar_secret",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="property",
            name="calendar_secret",
            field=models.CharField(
                default=staydesk.catalog.models.new_calendar_secret, editable=False, max_length=64
            ),
        ),
    ]
