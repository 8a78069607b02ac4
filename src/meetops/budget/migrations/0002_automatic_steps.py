"""P2.4, P2.6, P4.6 and P4.7 complete from evidence recorded by the budget app."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {
    "P2.4": "budget.supplies_ready",
    "P2.6": "budget.approved",
    "P4.6": "budget.settled",
    "P4.7": "budget.supplies_recovered",
}


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
