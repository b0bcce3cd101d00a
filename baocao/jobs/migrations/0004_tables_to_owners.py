"""UnitAncestor and ValueChange now belong to orgunits and datavalues: drop them from this app's
state only — the tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_value_change"),
        ("orgunits", "0002_unit_ancestor"),
        ("datavalues", "0006_value_change"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UnitAncestor"), migrations.DeleteModel(name="ValueChange")],
            database_operations=[],
        ),
    ]
