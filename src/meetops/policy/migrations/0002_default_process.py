from django.db import migrations
from django.utils import timezone

from meetops.policy.default_process import DEFAULT_PROCESS_NAME, DEFAULT_STEPS


def load_default_process(apps, schema_editor):
    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    if ProcessTemplate.objects.exists():
        return
    template = ProcessTemplate.objects.create(
        name=DEFAULT_PROCESS_NAME, version=1, is_current=True, published_at=timezone.now(),
        notes="Default process shipped with MeetOps (P2–P8).",
    )
    StepDefinition.objects.bulk_create([
        StepDefinition(
            template=template, stage=stage, order=(i + 1) * 10, clause=clause, required=required,
            owner_role=owner, completion="automatic" if rule else "sign_off", rule=rule,
            title_zh_hans=hans, title_zh_hant=hant, title_en=en,
        )
        for i, (stage, clause, required, owner, rule, hans, hant, en) in enumerate(DEFAULT_STEPS)
    ])


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load_default_process, migrations.RunPython.noop)]
