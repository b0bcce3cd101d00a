"""Install the triggers that keep jobs_unitancestor in step with OrgUnit.path, and fill it."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from baocao.orgunits.ancestors import install_triggers, rebuild_ancestors

    install_triggers(schema_editor.connection)
    rebuild_ancestors(schema_editor.connection)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from baocao.orgunits.ancestors import uninstall_triggers

    uninstall_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("orgunits", "0001_initial"),
        ("datavalues", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
