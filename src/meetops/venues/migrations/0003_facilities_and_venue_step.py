"""Default facilities, and the P2.2 step ("book the venue") completing from a confirmed booking."""

from django.db import migrations

FACILITIES = [
    ("projector", "投影仪", "投影儀", "Projector"),
    ("screen", "显示屏", "顯示屏", "Screen"),
    ("sound", "音响", "音響", "Sound system"),
    ("microphone", "麦克风", "麥克風", "Microphones"),
    ("video_conference", "视频会议", "視訊會議", "Video conferencing"),
    ("network", "网络", "網絡", "Network"),
    ("whiteboard", "白板", "白板", "Whiteboard"),
    ("accessibility", "无障碍设施", "無障礙設施", "Accessible"),
]
RULE = "venues.booking_confirmed"


def forwards(apps, schema_editor):
    Facility = apps.get_model("venues", "Facility")
    for order, (code, hans, hant, en) in enumerate(FACILITIES):
        Facility.objects.get_or_create(
            code=code, defaults={"name_zh_hans": hans, "name_zh_hant": hant, "name_en": en, "order": order * 10}
        )
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(template__is_current=True, clause="P2.2", rule="").update(
        completion="automatic", rule=RULE
    )


def backwards(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    StepDefinition.objects.filter(template__is_current=True, clause="P2.2", rule=RULE).update(
        completion="sign_off", rule=""
    )


class Migration(migrations.Migration):
    dependencies = [("venues", "0002_no_double_booking"), ("policy", "0002_default_process")]
    operations = [migrations.RunPython(forwards, backwards)]
