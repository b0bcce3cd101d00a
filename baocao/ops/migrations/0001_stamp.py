"""The stamps of the tables a web process keeps rows of between requests, and their triggers."""

from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from baocao.ops.stamps import bump_all, install_triggers

    install_triggers(schema_editor.connection)
    bump_all(schema_editor.connection)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from baocao.ops.stamps import uninstall_triggers

    uninstall_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("orgunits", "0002_unit_ancestor"),
        ("access", "0002_duty_rule"),
        ("catalog", "0002_indicator_validity"),
    ]

    operations = [
        migrations.CreateModel(
            name="Stamp",
            fields=[
                ("name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("token", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
