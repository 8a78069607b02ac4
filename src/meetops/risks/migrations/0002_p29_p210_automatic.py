"""P2.9 (emergency plan) and P2.10 (readiness inspection) complete from evidence."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P2.9": "risks.emergency_plan_approved", "P2.10": "risks.readiness_passed"}


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
