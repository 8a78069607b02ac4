"""A migration operation for apps whose evidence completes a process step.

An app that registers a completion rule points the current process version's
step at it with a data migration of its own:

    from meetops.policy.migration_ops import steps_complete_automatically

    operations = [steps_complete_automatically({"P2.9": "risks.emergency_plan_approved"})]

Forwards, the current version's definitions of those clauses (and the open steps
of meetings already on it) complete automatically from the rule; steps that
already name a rule are left alone. Backwards, they are signed off again.
Models come from the migration state (`apps.get_model`), never imported.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def steps_complete_automatically(rules: dict[str, str]) -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        ProcessTemplate = apps.get_model("policy", "ProcessTemplate")
        StepDefinition = apps.get_model("policy", "StepDefinition")
        MeetingStep = apps.get_model("policy", "MeetingStep")
        template = ProcessTemplate.objects.filter(is_current=True).first()
        if template is None:
            return
        for clause, rule in rules.items():
            # `required` is left as it is: optional steps stay optional.
            StepDefinition.objects.filter(template=template, clause=clause, rule="").update(
                completion="automatic", rule=rule
            )
            # Open steps of meetings already on this version follow their definition.
            MeetingStep.objects.filter(
                definition__template=template, clause=clause, status="open", rule=""
            ).update(completion="automatic", rule=rule)

    def backwards(apps: Any, schema_editor: Any) -> None:
        StepDefinition = apps.get_model("policy", "StepDefinition")
        MeetingStep = apps.get_model("policy", "MeetingStep")
        for clause, rule in rules.items():
            StepDefinition.objects.filter(clause=clause, rule=rule).update(
                completion="sign_off", rule=""
            )
            MeetingStep.objects.filter(clause=clause, rule=rule, status="open").update(
                completion="sign_off", rule=""
            )

    return migrations.RunPython(forwards, backwards)
