"""How an amount of CNY is shown: the one format of core (core.numbers), kept at its old path."""

from __future__ import annotations

from meetops.core.numbers import format_money

__all__ = ["format_money"]
