import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0002_p34_p35_p36_automatic"),
        ("meetings", "0007_one_row_per_person"),
        ("risks", "0005_readiness_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SecurityPlan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_checks", models.TextField(blank=True, verbose_name="entry checks")),
                ("restricted_areas", models.TextField(blank=True, verbose_name="restricted areas")),
                ("status", models.CharField(choices=[("draft", "Draft"), ("submitted", "Submitted for approval"), ("approved", "Approved"), ("returned", "Returned for changes")], default="draft", max_length=10, verbose_name="status")),
                ("decision_note", models.TextField(blank=True, verbose_name="leader's note")),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("meeting", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="security_plan", to="meetings.meeting")),
                ("submitted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("updated_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "security plan", "verbose_name_plural": "security plans"},
        ),
        migrations.CreateModel(
            name="SecurityPost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                ("duty", models.CharField(max_length=500, verbose_name="duty")),
                ("start", models.DateTimeField(verbose_name="start")),
                ("end", models.DateTimeField(verbose_name="end")),
                ("guards", models.ManyToManyField(blank=True, related_name="+", to="meetings.participant", verbose_name="guards")),
                ("plan", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="posts", to="risks.securityplan")),
            ],
            options={
                "verbose_name": "security post",
                "verbose_name_plural": "security posts",
                "ordering": ["start", "place", "id"],
                "constraints": [models.CheckConstraint(condition=models.Q(("end__gt", models.F("start"))), name="security_post_ends_later")],
            },
        ),
        migrations.CreateModel(
            name="DoorEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("organisation", models.CharField(blank=True, max_length=200, verbose_name="department or company")),
                ("kind", models.CharField(choices=[("normal", "Normal"), ("vip", "VIP"), ("press", "Press")], default="normal", max_length=8, verbose_name="kind")),
                ("badge_colour", models.CharField(choices=[("red", "Red"), ("blue", "Blue"), ("green", "Green"), ("yellow", "Yellow"), ("white", "White")], max_length=8, verbose_name="badge colour")),
                ("participant", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="meetings.participant")),
                ("plan", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="door_list", to="risks.securityplan")),
            ],
            options={
                "verbose_name": "door list entry",
                "verbose_name_plural": "door list",
                "ordering": ["kind", "name", "id"],
                "constraints": [models.UniqueConstraint(fields=("plan", "name", "organisation"), name="door_entry_once")],
            },
        ),
        migrations.AddField(
            model_name="riskevent",
            name="ticket",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="risk_event", to="live.supportticket", verbose_name="reported incident"),
        ),
    ]
