"""Steps for lessons (P4.8, P8.6) and excellent cases (P4.9) complete from evidence.

The default process has P4.8 (optional); P8.6 and P4.9 are used when a later version
adds them. Optional steps stay optional: only how they complete changes. P4.8 is taken
over from the evaluation app's rule, which `improvement.lessons_recorded` also accepts.
"""

from django.db import migrations

# The rule a step may already have that this one replaces (and gives back on reverse).
PREVIOUS = {"P4.8": "evaluation.lessons_recorded"}
RULES = {
    "P4.8": "improvement.lessons_recorded",
    "P8.6": "improvement.followup_lessons_recorded",
    "P4.9": "improvement.case_nominated",
}


def make_automatic(apps, schema_editor):
    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    template = ProcessTemplate.objects.filter(is_current=True).first()
    if template is None:
        return
    for clause, rule in RULES.items():
        replaceable = ["", PREVIOUS.get(clause, "")]
        StepDefinition.objects.filter(
            template=template, clause=clause, rule__in=replaceable
        ).update(completion="automatic", rule=rule)
        # Open steps of meetings already on this version follow their definition.
        MeetingStep.objects.filter(
            definition__template=template, clause=clause, status="open", rule__in=replaceable
        ).update(completion="automatic", rule=rule)


def make_sign_off(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    for clause, rule in RULES.items():
        previous = PREVIOUS.get(clause, "")
        completion = "automatic" if previous else "sign_off"
        StepDefinition.objects.filter(clause=clause, rule=rule).update(
            completion=completion, rule=previous
        )
        MeetingStep.objects.filter(clause=clause, rule=rule, status="open").update(
            completion=completion, rule=previous
        )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0001_initial"),
        ("policy", "0002_default_process"),
        # Runs after the evaluation app made P4.8 automatic, to take the step over.
        ("evaluation", "0002_p43_p48_p410_automatic"),
    ]
    operations = [migrations.RunPython(make_automatic, make_sign_off)]
