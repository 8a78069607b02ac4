"""P3.4 and P3.5 (optional, host) complete from the recorded timings; P3.6 from support duty and tickets."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P3.4": "live.items_timed", "P3.5": "live.items_timed", "P3.6": "live.support_ready"}


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
