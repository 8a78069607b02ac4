"""Ship the default invitation templates and let P2.3 complete from evidence.

The current process template's P2.3 step ("send the invitations and collect
RSVPs") becomes automatic with the rule `invitations.invitations_sent`.
"""

from django.db import migrations

from meetops.invitations.defaults import DEFAULT_TEMPLATES

RULE = "invitations.invitations_sent"


def forwards(apps, schema_editor):
    InvitationTemplate = apps.get_model("invitations", "InvitationTemplate")
    for language, (subject, body) in DEFAULT_TEMPLATES.items():
        InvitationTemplate.objects.get_or_create(
            kind=None, language=language, defaults={"subject": subject, "body": body}
        )
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(template__is_current=True, clause="P2.3", rule="").update(
        completion="automatic", rule=RULE
    )


def backwards(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(clause="P2.3", rule=RULE).update(completion="sign_off", rule="")


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("policy", "0002_default_process"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
