"""The unit-ancestor table moves from `jobs` to its owner: state only, the table and its data stay
(it keeps the name jobs_unitancestor, which its triggers and the roll-up SQL use)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0001_initial"),
        ("jobs", "0003_value_change"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UnitAncestor",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("ancestor_id", models.BigIntegerField()),
                        ("descendant_id", models.BigIntegerField()),
                        ("depth", models.PositiveSmallIntegerField()),
                        ("path", models.CharField(max_length=255)),
                    ],
                    options={
                        "db_table": "jobs_unitancestor",
                        "indexes": [models.Index(fields=["descendant_id"], name="jobs_unitanc_desc_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("ancestor_id", "descendant_id"), name="unique_unit_ancestor")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
