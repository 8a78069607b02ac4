from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from meetops.core.registry import discover
from meetops.core.validation import safe_template_localtime


class CoreConfig(AppConfig):
    name = "meetops.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every installed app's contributions.py, core's own too: the app contract (ADR 0009).
        discover()
        _render_edge_of_time_in_utc()
        _embed_the_projects_fonts()


def _embed_the_projects_fonts() -> None:
    """PDFs draw with the fonts MeetOps carries, whatever the machine has (core/fontconfig.py)."""
    from django.conf import settings

    # in ready(): before any PDF is drawn, with settings loaded
    from meetops.core import fontconfig

    fontconfig.install(settings.DATA_DIR)


def _render_edge_of_time_in_utc() -> None:
    """Templates show a stored datetime that overflows local time in UTC instead of failing.

    New input is kept inside the window (core/validation.py), but a row written
    before it (9999-12-31T22:00Z is year 10000 in Beijing) must not take down
    every page that lists it. Django's templates convert through this one
    function, so it is the one place to catch the overflow.
    """
    from django.template import base

    base.template_localtime = safe_template_localtime  # type: ignore[attr-defined]
