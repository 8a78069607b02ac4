"""P4.3 (feedback collected), P4.8 (lessons learned) and P4.10 (evaluated) complete from evidence."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {
    "P4.3": "evaluation.feedback_collected",
    "P4.8": "evaluation.lessons_recorded",
    "P4.10": "evaluation.evaluated",
}


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
