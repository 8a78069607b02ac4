"""P2.8 (detailed schedule: time, place, agenda) completes from evidence: `agenda.has_agenda`."""

from django.db import migrations

CLAUSE = "P2.8"
RULE = "agenda.has_agenda"


def make_automatic(apps, schema_editor):
    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    template = ProcessTemplate.objects.filter(is_current=True).first()
    if template is None:
        return
    StepDefinition.objects.filter(template=template, clause=CLAUSE, rule="").update(
        completion="automatic", rule=RULE
    )
    # Open steps of meetings already on this version follow their definition.
    MeetingStep.objects.filter(
        definition__template=template, clause=CLAUSE, status="open", rule=""
    ).update(completion="automatic", rule=RULE)


def make_sign_off(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    StepDefinition.objects.filter(clause=CLAUSE, rule=RULE).update(completion="sign_off", rule="")
    MeetingStep.objects.filter(clause=CLAUSE, rule=RULE, status="open").update(completion="sign_off", rule="")


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [migrations.RunPython(make_automatic, make_sign_off)]
