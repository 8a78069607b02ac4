"""P3.2 (arrange the seating, guide people to their seats) completes from evidence."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P3.2": "seating.all_required_seated"}


class Migration(migrations.Migration):
    dependencies = [
        ("seating", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
