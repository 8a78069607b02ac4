"""P3.7 (venue security) completes from evidence: the security plan approved, every post staffed."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P3.7": "risks.security_ready"}


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0006_security_plan"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
