# The periodic-job bookkeeping moved from notifications to core with the scheduler. Its table
# stays where it is (notifications_jobrun): only Django's idea of the owning app changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_seal_algorithm"),
        ("notifications", "0002_unconfirmed_status"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, unique=True)),
                        ("next_run_at", models.DateTimeField()),
                        ("last_started_at", models.DateTimeField(blank=True, null=True)),
                        ("last_finished_at", models.DateTimeField(blank=True, null=True)),
                        ("last_worker", models.CharField(blank=True, max_length=100)),
                        ("last_error", models.TextField(blank=True)),
                    ],
                    options={
                        "verbose_name": "periodic job",
                        "verbose_name_plural": "periodic jobs",
                        "ordering": ["name"],
                        "db_table": "notifications_jobrun",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
