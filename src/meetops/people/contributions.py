"""What people adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
sign-in, people, departments and API tokens.
The hubs read it from the core registry; nothing outside people names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, UrlInclude, registry

registry["api_routers"].register("people", ApiRouter("/", "meetops.people.api.router", order=10))
registry["urls"].register("people", UrlInclude("", "meetops.people.urls", order=10))
