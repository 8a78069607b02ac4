"""P4.2 completes when the summary report is submitted (`reports.report_written`), P4.4 when
the leaders approved it with their instructions recorded (`reports.instructions_recorded`)."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P4.2": "reports.report_written", "P4.4": "reports.instructions_recorded"}


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
