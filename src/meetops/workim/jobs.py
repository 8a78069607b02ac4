"""workim's periodic jobs: forget sign-in states and callback signatures once expired."""

from __future__ import annotations

from meetops.core.scheduler import periodic
from meetops.workim.services import forget_expired_nonces


@periodic(every_seconds=3600, name="workim.forget_nonces")
def forget_nonces() -> int:
    return forget_expired_nonces()
