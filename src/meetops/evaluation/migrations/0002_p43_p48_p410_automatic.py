"""P4.3 (feedback collected), P4.8 (lessons learned) and P4.10 (evaluated) complete from evidence."""

from django.db import migrations

RULES = {
    "P4.3": "evaluation.feedback_collected",
    "P4.8": "evaluation.lessons_recorded",
    "P4.10": "evaluation.evaluated",
}


def make_automatic(apps, schema_editor):
    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    template = ProcessTemplate.objects.filter(is_current=True).first()
    if template is None:
        return
    for clause, rule in RULES.items():
        StepDefinition.objects.filter(template=template, clause=clause, rule="").update(
            completion="automatic", rule=rule
        )
        # Open steps of meetings already on this version follow their definition.
        MeetingStep.objects.filter(
            definition__template=template, clause=clause, status="open", rule=""
        ).update(completion="automatic", rule=rule)


def make_sign_off(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    for clause, rule in RULES.items():
        StepDefinition.objects.filter(clause=clause, rule=rule).update(completion="sign_off", rule="")
        MeetingStep.objects.filter(clause=clause, rule=rule, status="open").update(
            completion="sign_off", rule=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [migrations.RunPython(make_automatic, make_sign_off)]
