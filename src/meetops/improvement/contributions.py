"""What improvement adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
lessons, improvement measures and the case library.
The hubs read it from the core registry; nothing outside improvement names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    InboxSource,
    MeetingLink,
    MenuEntry,
    TemplateSlot,
    UrlInclude,
    registry,
)
from meetops.improvement import audit_labels, jobs, notify, rules  # noqa: F401 - for what they register
from meetops.improvement.inbox import cases_waiting, cases_waiting_many

registry["api_routers"].register(
    "improvement", ApiRouter("/", "meetops.improvement.api.router", order=210)
)
registry["urls"].register("improvement", UrlInclude("", "meetops.improvement.urls", order=190))
registry["menu"].register(
    "lessons",
    MenuEntry(_("Lessons & cases"), "lessons", order=70, area="improvement"),
)
registry["meeting_links"].register(
    "improvement", MeetingLink("improvement/_meeting_link.html", order=130, group="after")
)
# Beside each problem on the questionnaire, evaluation, follow-up and drill pages (P6.7, P9.1).
registry["page_slots"].register(
    "improvement.source_actions",
    TemplateSlot("improvement/_source_actions.html", order=10, slot="source.actions"),
)
registry["inbox"].register(
    "improvement.cases", InboxSource(cases_waiting, order=70, many=cases_waiting_many)
)
# The measures in the evaluation's results: the message sent (P6.9) and the evaluation page,
# where those told see how the measures stand now.
registry["page_slots"].register(
    "improvement.results_message",
    TemplateSlot("improvement/_results_measures.txt", order=10, slot="evaluation.results.message"),
)
registry["page_slots"].register(
    "improvement.results_page",
    TemplateSlot("improvement/_results_measures.html", order=10, slot="evaluation.results.page"),
)
