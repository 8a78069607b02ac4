"""Lessons and measures name their source (P6.7, P9.1), lessons carry a root cause.

Existing measures planned from lessons get their first lesson as their source, so that every
measure that came from somewhere says so.
"""

from django.db import migrations, models
from django.urls import reverse


def _lesson_url(lesson):
    base = (
        reverse("meeting_lessons", args=[lesson.meeting_id])
        if lesson.meeting_id
        else reverse("lessons")
    )
    return f"{base}#lesson-{lesson.pk}"


def name_lessons_as_sources(apps, schema_editor):
    Measure = apps.get_model("improvement", "Measure")
    for measure in Measure.objects.filter(lessons__isnull=False).distinct().order_by("pk"):
        lesson = measure.lessons.order_by("pk").first()
        text = " ".join(lesson.what_happened.split())
        Measure.objects.filter(pk=measure.pk).update(
            source_kind="lesson",
            source_object_id=lesson.pk,
            source_key="",
            # Stored text, like every label written later in the writer's language.
            source_label=text[:300],
            source_url=_lesson_url(lesson),
        )


def forget_sources(apps, schema_editor):
    """Going back drops the columns; nothing to undo in the rows."""


SOURCE_FIELDS = [
    ("source_kind", models.CharField(blank=True, max_length=30, verbose_name="source kind")),
    ("source_object_id", models.PositiveBigIntegerField(blank=True, null=True)),
    ("source_key", models.CharField(blank=True, max_length=40)),
    ("source_label", models.CharField(blank=True, max_length=300, verbose_name="source")),
    ("source_url", models.CharField(blank=True, max_length=300)),
]


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_lessons_automatic")]

    operations = [
        *[
            migrations.AddField(model_name=model, name=name, field=field.clone())
            for model in ("lesson", "measure")
            for name, field in SOURCE_FIELDS
        ],
        migrations.AddField(
            model_name="lesson",
            name="root_cause",
            field=models.CharField(blank=True, max_length=200, verbose_name="root cause"),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=models.Index(fields=["source_kind", "source_object_id"], name="lesson_source"),
        ),
        migrations.AddIndex(
            model_name="measure",
            index=models.Index(fields=["source_kind", "source_object_id"], name="measure_source"),
        ),
        migrations.RunPython(name_lessons_as_sources, forget_sources),
    ]
