# JobRun now belongs to core (core.0004_jobrun); the table is kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_unconfirmed_status"),
        ("core", "0004_jobrun"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="JobRun")],
            database_operations=[],
        ),
    ]
