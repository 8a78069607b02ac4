"""The audit log's seals: keyed hashes the database alone cannot recompute (ADR 0011).

An entry's `hash` is an HMAC of its canonical bytes with `MEETOPS_AUDIT_KEY`, a secret
kept in the environment, never in the database. Someone who can write the audit table
but does not hold the key can change an entry, but cannot give it a seal that verifies.

Each entry names the algorithm that sealed it, so chains written before keyed seals
(plain SHA-256) still verify, and an installation may move to SM3 (`MEETOPS_AUDIT_HASH=sm3`,
for organisations bound to the 国密 algorithms) without re-sealing its history.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, register
from django.core.checks import Warning as CheckWarning

LEGACY = "sha256"  # unkeyed: the entries written before ADR 0011
HMAC_SHA256 = "hmac-sha256"
HMAC_SM3 = "hmac-sm3"
ALGORITHMS = (LEGACY, HMAC_SHA256, HMAC_SM3)
_BLOCK = 64  # SM3 and SHA-256 both work on 64-byte blocks


def current_algorithm() -> str:
    """The algorithm new entries and checkpoints are sealed with (MEETOPS_AUDIT_HASH)."""
    return HMAC_SM3 if settings.MEETOPS_AUDIT_HASH.lower() == "sm3" else HMAC_SHA256


def key() -> bytes:
    """MEETOPS_AUDIT_KEY, or, when unset, a key derived from SECRET_KEY (the check warns)."""
    if settings.MEETOPS_AUDIT_KEY:
        return str(settings.MEETOPS_AUDIT_KEY).encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"meetops.audit.seal", hashlib.sha256).digest()


# OpenSSL's SM3 is ~100 times faster than gmssl's pure Python (about 12 ms an entry);
# gmssl is the fallback where the OpenSSL build lacks SM3. Both give the same seals.
OPENSSL_SM3 = "sm3" in hashlib.algorithms_available


def sm3(data: bytes) -> bytes:
    from gmssl import func
    from gmssl import sm3 as gm_sm3

    return bytes.fromhex(gm_sm3.sm3_hash(func.bytes_to_list(data)))


def hmac_sm3(secret: bytes, data: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3, as GB/T 15852.2 uses it."""
    if OPENSSL_SM3:
        return hmac.new(secret, data, "sm3").digest()
    if len(secret) > _BLOCK:
        secret = sm3(secret)
    secret = secret.ljust(_BLOCK, b"\0")
    inner = sm3(bytes(b ^ 0x36 for b in secret) + data)
    return sm3(bytes(b ^ 0x5C for b in secret) + inner)


def seal(data: bytes, algorithm: str) -> str:
    """The hex seal of `data` by `algorithm` (one of ALGORITHMS)."""
    if algorithm == HMAC_SHA256:
        return hmac.new(key(), data, hashlib.sha256).hexdigest()
    if algorithm == HMAC_SM3:
        return hmac_sm3(key(), data).hex()
    if algorithm == LEGACY:
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"unknown audit seal algorithm {algorithm!r}")


def matches(data: bytes, algorithm: str, expected: str) -> bool:
    try:
        return hmac.compare_digest(seal(data, algorithm), expected)
    except ValueError:
        return False


@register()
def check_audit_key(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when the seals' key is not set apart from SECRET_KEY, or the hash is unknown."""
    found: list[CheckMessage] = []
    if not settings.MEETOPS_AUDIT_KEY and not (settings.TESTING or settings.DEBUG):
        found.append(
            CheckWarning(
                "MEETOPS_AUDIT_KEY is not set: the audit log is sealed with a key derived "
                "from SECRET_KEY.",
                hint="Set MEETOPS_AUDIT_KEY to a long random secret kept outside the database "
                "and the backups; rotating SECRET_KEY would otherwise break every seal "
                "(docs/adr/0011-keyed-audit-seals.md).",
                id="meetops.W011",
            )
        )
    if settings.MEETOPS_AUDIT_HASH.lower() not in ("sha256", "sm3"):
        found.append(
            CheckWarning(
                f"MEETOPS_AUDIT_HASH={settings.MEETOPS_AUDIT_HASH!r} is unknown; SHA-256 is used.",
                hint="Use sha256 or sm3.",
                id="meetops.W012",
            )
        )
    return found
