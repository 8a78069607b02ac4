"""The P3.1 step ("set up the sign-in desk") completes once the desk has recorded arrivals."""

from django.db import migrations

RULE = "attendance.signin_recorded"


def forwards(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(template__is_current=True, clause="P3.1", rule="").update(
        completion="automatic", rule=RULE
    )


def backwards(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(template__is_current=True, clause="P3.1", rule=RULE).update(
        completion="sign_off", rule=""
    )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial"), ("policy", "0002_default_process")]
    operations = [migrations.RunPython(forwards, backwards)]
