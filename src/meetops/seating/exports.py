"""What the seating pages and printouts show: the board, the seat chart, name cards (桌签), the door list.

PDFs are drawn by WeasyPrint from the same HTML as the printed pages, with
the Noto faces MeetOps carries (core/fontconfig.py), which WeasyPrint embeds as subsets.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetops.core.downloads import download_response
from meetops.meetings.models import Meeting, Participant
from meetops.people.models import User
from meetops.people.names import NameOrder
from meetops.seating import forms, selectors, services
from meetops.seating.models import SeatPlan
from meetops.seating.permissions import can_arrange_seating
from meetops.seating.selectors import Grid

IDEOGRAPHIC_SPACE = "\u3000"


def _people(grid: Grid) -> list[dict[str, Any]]:
    """Everyone one may seat in this plan, with their seat here (if any), by name."""
    here = {a.participant_id: a for a in grid.assignments}
    people: dict[int, Participant] = {p.pk: p for p in grid.unseated}
    people.update({a.participant_id: a.participant for a in grid.assignments})
    people.update({p.pk: p for p in grid.elsewhere})
    return [
        {
            "person": p,
            "seat": here[p.pk].seat.label if p.pk in here else "",
            "elsewhere": p.pk not in here and p in grid.elsewhere,
        }
        for p in sorted(
            people.values(), key=lambda p: (p.pk in here, p.name_pinyin, p.name_strokes, p.pk)
        )
    ]


def board_context(plan: SeatPlan, user: User) -> dict[str, Any]:
    """The plan page: grid, people, forms. A fixed number of queries, whatever the plan's size."""
    meeting = plan.meeting
    grid = selectors.grid_of(plan)
    people = _people(grid)
    ranked = services.rostrum_candidates(plan, [row["person"] for row in people])
    ranks = {p.pk: n for n, p in enumerate(ranked, start=1)}
    for row in people:
        row["rank"] = ranks.get(row["person"].pk, "")
    return {
        "meeting": meeting,
        "plan": plan,
        "plans": list(selectors.plans_of(meeting)),
        "grid": grid,
        "rostrum_rows": list(reversed(grid.rostrum)),
        "people": people,
        "can_arrange": can_arrange_seating(user, meeting),
        "actions": forms.CLICK_ACTIONS,
        "layout_form": forms.LayoutForm(
            initial={
                "name": plan.name,
                "rostrum_rows": plan.rostrum_rows,
                "rostrum_seats": plan.rostrum_seats,
                "rows": plan.rows,
                "columns": plan.columns,
                "aisle_columns": ", ".join(str(c) for c in plan.aisle_columns),
            }
        ),
        "auto_form": forms.AutoForm(),
    }


def auto_message(result: services.AutoResult) -> str:
    text = ngettext("%(n)d person seated.", "%(n)d people seated.", result.assigned) % {
        "n": result.assigned
    }
    if result.unseated:
        text += " " + _("No seat left for: %(names)s.") % {
            "names": "、".join(p.display_name for p in result.unseated[:20])
        }
    return text


def card_name(name: str) -> str:
    """A two-character Chinese name is printed with a full-width space between (王　芳), as on office name cards."""
    if len(name) == 2 and all(unicodedata.east_asian_width(c) == "W" for c in name):
        return name[0] + IDEOGRAPHIC_SPACE + name[1]
    return name


def chart_context(plan: SeatPlan) -> dict[str, Any]:
    grid = selectors.grid_of(plan, with_people=False)
    return {
        "meeting": plan.meeting,
        "plan": plan,
        "grid": grid,
        "rostrum_rows": list(reversed(grid.rostrum)),
        "printed_at": timezone.now(),
    }


def door_context(meeting: Meeting, *, ordering: str = NameOrder.PINYIN) -> dict[str, Any]:
    rows = selectors.door_list(meeting, ordering=ordering)
    return {
        "meeting": meeting,
        "rows": rows,
        "ordering": ordering,
        "orderings": NameOrder.choices,
        "several": len({a.plan_id for a in rows}) > 1,
        "printed_at": timezone.now(),
    }


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    stylesheet = finders.find("seating/print.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def chart_pdf(plan: SeatPlan) -> bytes:
    """The seat chart on landscape A4: rostrum at the top, the audience below, a name on every seat."""
    return _pdf("seating/chart_print.html", chart_context(plan))


def cards_pdf(plan: SeatPlan) -> bytes:
    """Name cards (桌签): one A4 page per person, folded across the middle; the upper half is upside down
    so the name reads from both sides of the table."""
    cards = [
        {"name": card_name(a.participant.display_name), "organisation": a.participant.organisation}
        for a in selectors.card_names(plan)
    ]
    return _pdf("seating/cards_print.html", {"plan": plan, "meeting": plan.meeting, "cards": cards})


def door_pdf(meeting: Meeting, *, ordering: str = NameOrder.PINYIN) -> bytes:
    return _pdf("seating/door_print.html", door_context(meeting, ordering=ordering))


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    return download_response(data, filename=filename, content_type="application/pdf")
