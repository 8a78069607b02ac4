"""The security plan's approval offered as buttons on the leaders' personal message (registry
"message_decisions"), like the emergency plan's: the same service as the page
(`decide_security_plan`), the person who pressed the button as the actor."""

from __future__ import annotations

from meetops.risks.from_message import plan_decision
from meetops.risks.models import SecurityPlan
from meetops.risks.security import services
from meetops.risks.security.notify import SECURITY_SUBMITTED

SECURITY_PLAN = plan_decision(SecurityPlan, SECURITY_SUBMITTED, services.decide_security_plan)
