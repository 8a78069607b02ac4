"""The risk matrix (P5.2), the starter lists of common risks (P5.9) and the emergency-plan template (P2.9).

The matrix: score = likelihood × impact, each 1–5.

| score  | level    | what it asks (P5.3)                                        |
|--------|----------|------------------------------------------------------------|
| 1–4    | low      | accept and watch                                           |
| 5–9    | medium   | a named owner and a response                               |
| 10–14  | high     | a written response before the readiness inspection passes  |
| 15–25  | critical | a written response and backup resources; organisers alerted |
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from meetops.risks.models import Category, Level, Phase

THRESHOLDS = ((15, Level.CRITICAL), (10, Level.HIGH), (5, Level.MEDIUM), (1, Level.LOW))


def level_for(likelihood: int, impact: int) -> str:
    """The level of a likelihood × impact pair (both 1–5)."""
    score = likelihood * impact
    return next(level for floor, level in THRESHOLDS if score >= floor)


# Starter entries: code → (phase, category, description, likelihood, impact, suggested response)
STARTERS = {
    "venue_unavailable": (
        Phase.PREPARATION,
        Category.VENUE,
        _("The booked room becomes unavailable"),
        2,
        4,
        _("Keep a backup room on hold; tell participants by message if it changes."),
    ),
    "av_failure": (
        Phase.RUNNING,
        Category.TECHNICAL,
        _("Projector, sound or network fails"),
        3,
        3,
        _("Test the equipment the day before; keep a spare projector and microphone."),
    ),
    "materials_lost": (
        Phase.PREPARATION,
        Category.TECHNICAL,
        _("Presentation files are lost or will not open"),
        2,
        3,
        _("Back up the materials on a USB stick and in the shared folder."),
    ),
    "key_person_absent": (
        Phase.RUNNING,
        Category.ABSENCE,
        _("The host or a key speaker cannot attend"),
        2,
        5,
        _("Name a deputy host and a substitute speaker in advance."),
    ),
    "medical": (
        Phase.RUNNING,
        Category.HEALTH,
        _("A participant falls ill during the meeting"),
        1,
        4,
        _("Know the nearest clinic; keep a first-aid kit at the sign-in desk."),
    ),
    "crowd": (
        Phase.RUNNING,
        Category.SECURITY,
        _("Crowding or unauthorised people at the venue"),
        2,
        4,
        _("Check names at the sign-in desk; staff at every entrance."),
    ),
    "weather": (
        Phase.PREPARATION,
        Category.WEATHER,
        _("Bad weather delays travel to the venue"),
        2,
        3,
        _("Watch the forecast; offer an online link as a fallback."),
    ),
    "online_platform": (
        Phase.RUNNING,
        Category.TECHNICAL,
        _("The online meeting platform fails"),
        2,
        4,
        _("Keep a second platform ready and send its link with the invitation."),
    ),
    "follow_up_lost": (
        Phase.AFTER,
        Category.OTHER,
        _("Decisions are not recorded or followed up"),
        2,
        3,
        _("Name a recorder; send the minutes within two working days."),
    ),
}

_COMMON = ["venue_unavailable", "av_failure", "materials_lost", "key_person_absent", "medical"]
# Per meeting kind: which starters apply (kinds not listed get the common ones).
STARTERS_BY_KIND = {
    "regular": ["venue_unavailable", "av_failure", "key_person_absent"],
    "leadership": ["venue_unavailable", "av_failure", "key_person_absent", "follow_up_lost"],
    "conference": [*_COMMON, "crowd", "weather"],
    "training": ["venue_unavailable", "av_failure", "materials_lost", "medical"],
    "video": ["online_platform", "av_failure", "key_person_absent"],
    "external": [*_COMMON, "crowd", "weather"],
}


def starters_for(kind_code: str) -> list[str]:
    return STARTERS_BY_KIND.get(kind_code, _COMMON)


# The emergency plan's default texts, rendered in the plan's language.
PLAN_TEMPLATE = {
    "duty_contacts": _(
        "Organiser on duty: name, mobile phone.\nVenue manager: name, phone.\n"
        "Technical support: name, phone."
    ),
    "evacuation": _(
        "Leave by the nearest marked exit; do not use lifts.\n"
        "Assembly point: the square in front of the building. Staff count participants there."
    ),
    "medical": _(
        "First-aid kit at the sign-in desk. Call 120 for an ambulance.\n"
        "Nearest hospital: name, address, phone."
    ),
    "power_av": _(
        "Spare projector and microphone in the control room; technician on call.\n"
        "If power fails: pause the meeting, open the curtains, continue with printed materials."
    ),
    "security": _("Security office: phone. Call 110 for the police, 119 for fire."),
}


def plan_template(language: str) -> dict[str, str]:
    """The default sections in the given language (zh-hans, zh-hant or en)."""
    with translation.override(language):
        return {key: str(text) for key, text in PLAN_TEMPLATE.items()}
