from django.db import migrations

KINDS = [
    ("regular", "例会 / 办公会", "例會 / 辦公會", "Regular / office meeting"),
    ("leadership", "领导班子会议", "領導班子會議", "Leadership meeting"),
    ("conference", "大会 / 研讨会", "大會 / 研討會", "Conference"),
    ("training", "培训", "培訓", "Training"),
    ("video", "视频会议", "視頻會議", "Video conference"),
    ("external", "对外活动", "對外活動", "External event"),
]


def create_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for order, (code, hans, hant, en) in enumerate(KINDS):
        MeetingKind.objects.get_or_create(
            code=code, defaults={"name_zh_hans": hans, "name_zh_hant": hant, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
