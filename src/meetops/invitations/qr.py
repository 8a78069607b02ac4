"""QR codes as SVG (segno): the personal sign-in code and the public page's share code."""

from __future__ import annotations

import io

import segno
from django.conf import settings

from meetops.invitations.models import Invitation


def checkin_url(invitation: Invitation) -> str:
    """What the sign-in desk scans: the invitation's own sign-in code, not its RSVP token."""
    return f"{settings.SITE_URL}/checkin/{invitation.checkin_code}"


def svg(data: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=scale, border=2, xmldecl=True, svgns=True
    )
    return out.getvalue()
