"""Filters for the message texts (mail, robots, bell): the time zone named as readers name it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

register = template.Library()

# China's one zone under its names in the tz database (Urumqi keeps its own time).
BEIJING = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})


@register.filter
def zone_name(value: datetime | None) -> str:
    """ "北京时间" / "Beijing time" in China's zone (its abbreviation CST also means US Central);
    elsewhere the zone's abbreviation."""
    if timezone.get_current_timezone_name() in BEIJING:
        return _("Beijing time")
    if not isinstance(value, datetime):
        return ""
    return dateformat.format(timezone.localtime(value), "T")
