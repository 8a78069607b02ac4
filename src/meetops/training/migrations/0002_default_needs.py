"""The training needs an office starts with (P9.4): one per duty that runs meetings.
Administrators change them on /training/needs/."""

from django.db import migrations

# duty, Simplified, Traditional, English, refresher months
NEEDS = [
    ("organiser", "会务组织基础培训", "會務組織基礎培訓", "Running meetings: the basics", 24),
    ("recorder", "会议记录与纪要培训", "會議記錄與紀要培訓", "Taking minutes", 24),
    ("desk", "签到与会务接待培训", "簽到與會務接待培訓", "Sign-in desk and reception", 12),
    ("security", "会场安保与应急培训", "會場安保與應急培訓", "Venue security and emergencies", 12),
]


def seed(apps, schema_editor):
    TrainingNeed = apps.get_model("training", "TrainingNeed")
    if TrainingNeed.objects.exists():
        return
    for order, (duty, hans, hant, en, months) in enumerate(NEEDS):
        TrainingNeed.objects.create(
            duty=duty,
            name_zh_hans=hans,
            name_zh_hant=hant,
            name_en=en,
            refresher_months=months,
            order=order * 10,
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
