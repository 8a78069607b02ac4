"""The Django authentication backend for password providers (LDAP/AD): `/login/` checks
the password against each configured password provider after the local accounts."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from meetops.core.errors import DomainError
from meetops.identity.providers import Kind, providers_of_kind
from meetops.identity.services import link_or_create_person
from meetops.people.models import User

logger = logging.getLogger(__name__)


class ProviderBackend(ModelBackend):
    """Signs people in with a password provider's password and links (or creates) them.

    `get_user` is ModelBackend's, so a session of a deactivated person stops working.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        for provider in providers_of_kind(Kind.PASSWORD):
            try:
                attrs = provider.authenticate(request, username=username, password=password)
                if attrs is None:
                    continue
                user = link_or_create_person(provider=provider, attrs=attrs)
            except DomainError as exc:
                # The login form can only say "wrong name or password"; the log says why.
                logger.warning(
                    "sign-in via %s refused for %s: %s", provider.key, username, exc.code
                )
                if request is not None:
                    request.identity_error = exc  # type: ignore[attr-defined]
                return None
            return user if self.user_can_authenticate(user) else None
        return None
