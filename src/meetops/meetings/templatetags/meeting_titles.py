"""`titles|title_of:meeting_id`: a meeting's name as the reader may read it, from the dict
`meetings.selectors.meeting_titles_for` built for the page (one query for the whole list)."""

from __future__ import annotations

from django import template

from meetops.meetings.selectors import MeetingTitle, MeetingTitles

register = template.Library()


@register.filter
def title_of(titles: MeetingTitles | str, meeting_id: int) -> MeetingTitle:
    # A page that forgot to build the titles (the template sees "") shows no title rather
    # than the real one.
    if isinstance(titles, MeetingTitles):
        return titles[meeting_id]
    return MeetingTitle("", visible=False)
