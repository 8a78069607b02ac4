"""The meeting's security plan (P3.7, 安保方案, ADR 0025): posts and guards, the door list with
kinds and badge colours, entry checks, restricted areas, the emergency plan's evacuation
routes; approved like the emergency plan; checked at the sign-in desk; its step completes
when the plan is approved and every post is staffed."""
