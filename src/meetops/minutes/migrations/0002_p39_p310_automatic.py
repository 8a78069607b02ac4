"""P3.9 completes when the minute-taker submits the minutes (`minutes.submitted`, replacing
`meetings.recorder_named`), P3.10 when the host's closing summary is recorded
(`minutes.summary_recorded`)."""

from django.db import migrations

RULES = {"P3.9": "minutes.submitted", "P3.10": "minutes.summary_recorded"}
# What each step said before this app existed, to restore on reversal.
PREVIOUS = {"P3.9": ("automatic", "meetings.recorder_named"), "P3.10": ("sign_off", "")}


def make_automatic(apps, schema_editor):
    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    template = ProcessTemplate.objects.filter(is_current=True).first()
    if template is None:
        return
    for clause, rule in RULES.items():
        old = PREVIOUS[clause][1]
        StepDefinition.objects.filter(template=template, clause=clause, rule=old).update(
            completion="automatic", rule=rule
        )
        # Open steps of meetings already on this version follow their definition.
        MeetingStep.objects.filter(
            definition__template=template, clause=clause, status="open", rule=old
        ).update(completion="automatic", rule=rule)


def restore(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    for clause, rule in RULES.items():
        completion, old = PREVIOUS[clause]
        StepDefinition.objects.filter(clause=clause, rule=rule).update(completion=completion, rule=old)
        MeetingStep.objects.filter(clause=clause, rule=rule, status="open").update(
            completion=completion, rule=old
        )


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [migrations.RunPython(make_automatic, restore)]
