"""Six-digit sign-in codes the desk can type (issue 16 finding 17): every invitation gets one,
unique within its meeting."""

import secrets

from django.db import migrations, models


def give_codes(apps, schema_editor):
    Invitation = apps.get_model("invitations", "Invitation")
    taken: dict[int, set[str]] = {}
    changed = []
    for invitation in Invitation.objects.filter(short_code="").only("id", "meeting_id").order_by("id"):
        used = taken.setdefault(invitation.meeting_id, set())
        while True:
            code = f"{secrets.randbelow(10**6):06d}"
            if code not in used:
                break
        used.add(code)
        invitation.short_code = code
        changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["short_code"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("invitations", "0003_calendar_replies_and_grammatical_templates")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="short_code",
            field=models.CharField(
                blank=True, default="", max_length=6, verbose_name="short sign-in code"
            ),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("short_code", ""), _negated=True),
                fields=("meeting", "short_code"),
                name="short_code_once_per_meeting",
            ),
        ),
    ]
