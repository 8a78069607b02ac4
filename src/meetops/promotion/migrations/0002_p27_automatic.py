"""P2.7 (promotion through several channels) completes from evidence: an announcement
published and delivered."""

from django.db import migrations

from meetops.policy.migration_ops import steps_complete_automatically

RULES = {"P2.7": "promotion.announced"}


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [steps_complete_automatically(RULES)]
