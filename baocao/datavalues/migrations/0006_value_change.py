"""The history of bulk-changed values moves from `jobs` to its owner: state only, the table and its
rows stay (it keeps the name jobs_valuechange)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("datavalues", "0005_submission_guard_rails"),
        ("jobs", "0003_value_change"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ValueChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("datavalue_id", models.BigIntegerField(db_index=True, help_text="The value changed (kept if it is deleted later)")),
                        ("old_value", models.DecimalField(decimal_places=6, max_digits=30)),
                        ("old_qualifier", models.CharField(max_length=10)),
                        ("old_flag", models.CharField(blank=True, max_length=20)),
                        ("old_comment", models.TextField(blank=True)),
                        ("old_source", models.CharField(blank=True, max_length=12)),
                        ("old_source_ref", models.CharField(blank=True, max_length=255)),
                        ("new_value", models.DecimalField(decimal_places=6, max_digits=30)),
                        ("new_qualifier", models.CharField(max_length=10)),
                        ("new_flag", models.CharField(blank=True, max_length=20)),
                        ("new_comment", models.TextField(blank=True)),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="value_changes",
                                to="audit.auditevent",
                            ),
                        ),
                    ],
                    options={"db_table": "jobs_valuechange"},
                ),
            ],
            database_operations=[],
        ),
    ]
