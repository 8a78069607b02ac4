"""The default classification scheme (P7.1) with retention periods, the naming rules, and the
default process's P4.1 and P7.9 steps completed from the archive's evidence."""

from django.db import migrations

RETENTION = [
    # code, years, zh-Hans, zh-Hant, English
    ("permanent", None, "永久", "永久", "Permanent"),
    ("30y", 30, "30年", "30年", "30 years"),
    ("10y", 10, "10年", "10年", "10 years"),
]
CATEGORIES = [
    # code, retention, required, zh-Hans, zh-Hant, English
    ("agenda", "30y", True, "会议通知/议程", "會議通知/議程", "Notice and agenda"),
    ("speech", "30y", False, "讲话材料", "講話材料", "Speeches and materials"),
    ("signin", "10y", True, "签到名单", "簽到名單", "Attendance list"),
    ("minutes", "permanent", True, "会议记录/纪要", "會議記錄/紀要", "Minutes"),
    ("report", "permanent", False, "总结报告", "總結報告", "Summary report"),
    ("survey", "10y", False, "反馈问卷", "反饋問卷", "Feedback questionnaires"),
    ("finance", "30y", False, "财务结算", "財務結算", "Budget and settlement"),
    ("av", "30y", False, "音像资料", "音像資料", "Photos, audio and video"),
    ("other", "10y", False, "其他", "其他", "Other"),
]
RULES = {"P4.1": "records.filed", "P7.9": "records.complete"}


def forwards(apps, schema_editor):
    RetentionRule = apps.get_model("records", "RetentionRule")
    Category = apps.get_model("records", "Category")
    Scheme = apps.get_model("records", "Scheme")
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    rules = {}
    for code, years, hans, hant, en in RETENTION:
        rules[code] = RetentionRule.objects.create(
            code=code, years=years, name_zh_hans=hans, name_zh_hant=hant, name_en=en
        )
    kinds = list(MeetingKind.objects.all())
    for order, (code, retention, required, hans, hant, en) in enumerate(CATEGORIES, start=1):
        category = Category.objects.create(
            code=code,
            retention=rules[retention],
            order=order * 10,
            name_zh_hans=hans,
            name_zh_hant=hant,
            name_en=en,
        )
        if required:
            category.required_for.set(kinds)
    Scheme.objects.get_or_create(pk=1)

    ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    template = ProcessTemplate.objects.filter(is_current=True).first()
    if template is None:
        return
    for clause, rule in RULES.items():
        StepDefinition.objects.filter(template=template, clause=clause, rule="").update(
            completion="automatic", rule=rule
        )
        # Open steps of meetings already on this version follow their definition.
        MeetingStep.objects.filter(
            definition__template=template, clause=clause, status="open", rule=""
        ).update(completion="automatic", rule=rule)


def backwards(apps, schema_editor):
    StepDefinition = apps.get_model("policy", "StepDefinition")
    MeetingStep = apps.get_model("policy", "MeetingStep")
    for clause, rule in RULES.items():
        StepDefinition.objects.filter(clause=clause, rule=rule).update(completion="sign_off", rule="")
        MeetingStep.objects.filter(clause=clause, rule=rule, status="open").update(
            completion="sign_off", rule=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("meetings", "0003_default_kinds"),
        ("policy", "0002_default_process"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
