"""The summary report's sections and their titles (the page and the official 报告 read them).

The report as PDF and DOCX is written by the documents app (documents/builders.py), in
the 报告 format of GB/T 9704-2012, from these sections.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def section_titles() -> list[tuple[str, str]]:
    return [
        ("overview", _("Time, place and attendance")),
        ("topics", _("Topics")),
        ("discussion", _("Discussion")),
        ("consensus", _("Consensus and decisions")),
        ("summary", _("The host's closing summary")),
        ("follow_up", _("Follow-up actions")),
    ]
