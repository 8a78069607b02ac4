"""WeCom callback signatures and encryption (reference §1.3; WeCom doc path/90968).

    msg_signature = sha1("".join(sorted([token, timestamp, nonce, encrypt])))   # hex
    key = base64decode(EncodingAESKey + "="); AES-256-CBC, iv = key[:16]
    plaintext = 16 random bytes + 4-byte big-endian length + message + receiveid (the corp id)
    padding: PKCS#7 over a 32-byte block

Checked against the official test vector in the tests (token "QDG6eK").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    """A signature that does not match, a text that does not decrypt, or another corp's."""


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()  # noqa: S324 - the platform's algorithm


def check_signature(token: str, timestamp: str, nonce: str, encrypt: str, given: str) -> None:
    if not hmac.compare_digest(signature(token, timestamp, nonce, encrypt), given or ""):
        raise CryptoError("signature mismatch")


def _key(aes_key: str) -> bytes:
    try:
        key = base64.b64decode(aes_key + "=")
    except ValueError as exc:
        raise CryptoError("EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise CryptoError("EncodingAESKey must be 43 characters (32 bytes)")
    return key


def _cipher(key: bytes) -> Cipher[modes.CBC]:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def decrypt(aes_key: str, encrypted: str, *, receive_id: str) -> str:
    """The message inside `encrypted`; CryptoError unless it was sealed for `receive_id`."""
    key = _key(aes_key)
    try:
        data = base64.b64decode(encrypted)
    except ValueError as exc:
        raise CryptoError("not base64") from exc
    if not data or len(data) % 16:
        raise CryptoError("bad length")
    decryptor = _cipher(key).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise CryptoError("bad padding")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise CryptoError("too short")
    (length,) = struct.unpack(">I", plain[16:20])
    message, tail = plain[20 : 20 + length], plain[20 + length :]
    if len(message) != length:
        raise CryptoError("bad message length")
    if not hmac.compare_digest(tail, receive_id.encode()):
        raise CryptoError("sealed for another corp")
    return message.decode()


def encrypt(aes_key: str, message: str, *, receive_id: str, random: bytes | None = None) -> str:
    """Seal `message` for `receive_id` (replies, and the tests' stand-in)."""
    key = _key(aes_key)
    body = message.encode()
    plain = (random or os.urandom(16)) + struct.pack(">I", len(body)) + body + receive_id.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = _cipher(key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
