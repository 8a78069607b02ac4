"""Duties get kinds (ADR 0030): the free text stays as the note, and the kinds its words name
are filled in, so people whose duty says 协助签到台 keep being found at the desk."""

from django.db import migrations, models

# Frozen here on purpose: `meetings.duties.DUTY_WORDS` may grow; this migration read these.
WORDS = {
    "desk": ("签到", "簽到", "报到", "報到", "sign-in", "sign in", "check-in", "desk"),
    "security": ("安保", "安全", "保卫", "保衛", "security"),
    "recording": ("记录", "記錄", "纪要", "紀要", "minutes", "record"),
    "logistics": ("会务", "會務", "保障", "后勤", "後勤", "logistics"),
    "tech": (
        "技术", "技術", "音响", "音響", "视频", "視頻", "视听", "視聽", "投影", "网络",
        "網絡", "網路", "设备", "設備", "sound", "audio", "video", "projector", "network",
    ),
}  # fmt: skip


def kinds_from_text(apps, schema_editor):
    Participant = apps.get_model("meetings", "Participant")
    changed = []
    for p in Participant.objects.exclude(duties="").only("id", "duties", "duty_kinds"):
        text = p.duties.lower()
        kinds = [kind for kind, words in WORDS.items() if any(w in text for w in words)]
        if kinds:
            p.duty_kinds = kinds
            changed.append(p)
    Participant.objects.bulk_update(changed, ["duty_kinds"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_one_row_per_person")]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="duty_kinds",
            field=models.JSONField(blank=True, default=list, verbose_name="duty kinds"),
        ),
        migrations.RunPython(kinds_from_text, migrations.RunPython.noop),
    ]
