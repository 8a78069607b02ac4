# The follow-up rules as versioned settings and proposals to change them (P8.7, ADR 0027).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _values() -> list[tuple[str, models.Field]]:
    return [
        (
            "remind_before_days",
            models.PositiveSmallIntegerField(
                verbose_name="remind the owner this many days before the due date"
            ),
        ),
        (
            "overdue_every_days",
            models.PositiveSmallIntegerField(
                verbose_name="remind about an overdue item every this many days"
            ),
        ),
        (
            "escalate_after_days",
            models.PositiveSmallIntegerField(
                verbose_name="escalate to the department heads this many days after the due date"
            ),
        ),
        (
            "escalate_leaders_after_days",
            models.PositiveSmallIntegerField(
                verbose_name="escalate to the organisers and leaders this many days after the due date"
            ),
        ),
        (
            "accepted_by",
            models.CharField(
                choices=[
                    ("managers", "The meeting's organisers or the instructing leader"),
                    (
                        "leader_first",
                        "The instructing leader alone for items from an instruction; organisers for the rest",
                    ),
                    (
                        "with_heads",
                        "The meeting's organisers, the instructing leader or the owner's department head",
                    ),
                ],
                max_length=12,
                verbose_name="who accepts finished work",
            ),
        ),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0003_escalation_stages_and_task_feeds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RulesProposal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *_values(),
                ("reason", models.TextField(verbose_name="reason")),
                ("base_version", models.PositiveIntegerField(verbose_name="proposed against version")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "Waiting for a decision"),
                            ("adopted", "Adopted"),
                            ("rejected", "Not adopted"),
                        ],
                        db_index=True,
                        default="proposed",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True, verbose_name="decision note")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "proposal to change the follow-up rules",
                "verbose_name_plural": "proposals to change the follow-up rules",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="FollowupRules",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *_values(),
                ("version", models.PositiveIntegerField(unique=True, verbose_name="version")),
                ("is_current", models.BooleanField(default=False, verbose_name="current")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("adopted_at", models.DateTimeField(verbose_name="adopted")),
                (
                    "adopted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposal",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adopted_version",
                        to="followup.rulesproposal",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up rules version",
                "verbose_name_plural": "follow-up rules versions",
                "ordering": ["-version"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("is_current",),
                        name="followup_one_current_rules",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("escalate_leaders_after_days__gte", models.F("escalate_after_days"))
                        ),
                        name="followup_rules_leaders_after_heads",
                    ),
                ],
            },
        ),
    ]
