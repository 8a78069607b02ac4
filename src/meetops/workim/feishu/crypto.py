"""Feishu / Lark callbacks: decrypting, verifying, the URL challenge (reference §3.3, §3.6).

What the platform sends to `/im/feishu/events/` and `/im/feishu/card/`:

- the body `{"encrypt": "<base64>"}` when an Encrypt Key is set: AES-256-CBC with the key
  SHA256(encrypt_key), the IV as the first 16 bytes, PKCS#7 padding (lark-oapi's `AESCipher`);
- `X-Lark-Signature` = hex sha256(timestamp + nonce + encrypt_key + raw body bytes), with
  `X-Lark-Request-Timestamp` / `X-Lark-Request-Nonce`, on everything but the URL challenge;
- the Verification Token in `header.token` (schema 2.0) or `token` (1.0 and the challenge).

`open_callback` does all of it and hands back the plain payload, or raises `Refused`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16
# How old a signed request may be. A replay of a captured callback after this is refused; one
# within it is caught by the event id (workim/decisions.py, the directory events).
MAX_AGE_SECONDS = 300


class Refused(Exception):
    """A callback that did not come from the platform (or cannot be read): answered 403."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _key(encrypt_key: str) -> bytes:
    return hashlib.sha256(encrypt_key.encode()).digest()


def decrypt(encrypt_key: str, encrypted: str) -> bytes:
    """The plain bytes of an `encrypt` field. Raises Refused when it does not decrypt."""
    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (ValueError, TypeError) as exc:
        raise Refused("not_base64") from exc
    if len(raw) < 2 * BLOCK or len(raw) % BLOCK:
        raise Refused("bad_length")
    decryptor = Cipher(algorithms.AES(_key(encrypt_key)), modes.CBC(raw[:BLOCK])).decryptor()
    padded = decryptor.update(raw[BLOCK:]) + decryptor.finalize()
    unpadder = padding.PKCS7(BLOCK * 8).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise Refused("bad_padding") from exc


def encrypt(encrypt_key: str, plain: bytes, *, iv: bytes | None = None) -> str:
    """The `encrypt` field Feishu would send for `plain` (the stand-in and tests use it)."""
    iv = iv or os.urandom(BLOCK)
    padder = padding.PKCS7(BLOCK * 8).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_key(encrypt_key)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(padded) + encryptor.finalize()).decode()


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """X-Lark-Signature of a request: over the raw body bytes as received."""
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str:
    # Django's request.headers is case-insensitive; a plain dict (tests) may not be.
    return str(headers.get(name) or headers.get(name.lower()) or "")


def _token_of(payload: Mapping[str, Any]) -> str:
    header = payload.get("header")
    if isinstance(header, Mapping) and "token" in header:
        return str(header["token"])
    return str(payload.get("token", ""))


def open_callback(
    *,
    body: bytes,
    headers: Mapping[str, str],
    encrypt_key: str,
    verification_token: str,
    now: float,
) -> dict[str, Any]:
    """The plain payload of a callback that came from the platform; Refused otherwise.

    With an Encrypt Key configured, the body must be encrypted and (but for the URL
    challenge, which the platform sends unsigned) signed and fresh. The Verification Token
    must match in every case.
    """
    try:
        outer = json.loads(body)
    except ValueError as exc:
        raise Refused("not_json") from exc
    if not isinstance(outer, dict):
        raise Refused("not_json")
    if encrypt_key:
        if not isinstance(outer.get("encrypt"), str):
            raise Refused("not_encrypted")
        try:
            payload = json.loads(decrypt(encrypt_key, outer["encrypt"]))
        except ValueError as exc:
            raise Refused("not_json") from exc
    else:
        payload = outer
    if not isinstance(payload, dict):
        raise Refused("not_json")
    if not verification_token or not hmac.compare_digest(_token_of(payload), verification_token):
        raise Refused("bad_token")
    if payload.get("type") == "url_verification":
        return payload
    if encrypt_key:
        timestamp = _header(headers, "X-Lark-Request-Timestamp")
        nonce = _header(headers, "X-Lark-Request-Nonce")
        expected = signature(timestamp, nonce, encrypt_key, body)
        if not hmac.compare_digest(_header(headers, "X-Lark-Signature"), expected):
            raise Refused("bad_signature")
        try:
            age = abs(now - int(timestamp))
        except ValueError as exc:
            raise Refused("bad_timestamp") from exc
        if age > MAX_AGE_SECONDS:
            raise Refused("stale")
    return payload


def challenge_answer(payload: Mapping[str, Any]) -> dict[str, str] | None:
    """The reply to the URL challenge, or None when the payload is not one."""
    if payload.get("type") != "url_verification":
        return None
    return {"challenge": str(payload.get("challenge", ""))}
