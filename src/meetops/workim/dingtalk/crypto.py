"""DingTalk's encrypted HTTP callbacks (事件订阅, HTTP push mode).

The scheme is WeCom's, in JSON (reference §2.2 "HTTP push protocol"):

- the AES key is 43 characters of base64 without its "="; `key = b64decode(aes_key + "=")`
  gives 32 bytes; AES-256-CBC with `iv = key[:16]`, PKCS#7 padding to **32-byte** blocks;
- the plaintext is 16 random bytes, the message's length as 4 bytes big-endian, the message
  (UTF-8 JSON), then the owner key: the CorpId for older internal apps, the AppKey for newer
  ones, the suiteKey for ISV apps; so more than one may be accepted;
- `signature = sha1("".join(sorted([token, timestamp, nonce, encrypt])))` in hex;
- the answer to every callback is the word `success`, encrypted and signed the same way:
  `{"msg_signature", "timeStamp", "nonce", "encrypt"}`.

Checked against DingTalk's own published test vector in `tests/test_dingtalk_crypto.py`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import string
import struct
import time
from collections.abc import Iterable

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32
# How old a callback's timestamp may be before it is refused as stale (either direction,
# for clocks a little apart). DingTalk retries within minutes, not hours.
MAX_AGE_SECONDS = 300


class CallbackError(ValueError):
    """The callback is not DingTalk's (bad signature, bad cipher text, wrong owner, stale).

    `reason` is a stable word for the log: signature, stale, cipher, owner.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    if not data:
        raise CallbackError("cipher", "empty plaintext")
    n = data[-1]
    if not 1 <= n <= BLOCK or data[-n:] != bytes([n]) * n:
        raise CallbackError("cipher", "bad padding")
    return data[:-n]


def timestamp_seconds(value: str) -> float:
    """DingTalk sends milliseconds; some versions seconds. Either, as seconds."""
    number = int(value)
    return number / 1000 if number > 10**11 else float(number)


class CallbackCrypto:
    """Sign, check, encrypt and decrypt DingTalk callbacks for one app."""

    def __init__(self, *, token: str, aes_key: str, owner_keys: Iterable[str]) -> None:
        try:
            key = base64.b64decode(aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("the callback AES key is not 43 base64 characters") from exc
        if len(aes_key) != 43 or len(key) != 32:
            raise ValueError("the callback AES key is not 43 base64 characters")
        self.token = token
        self._key = key
        self.owner_keys = tuple(k for k in owner_keys if k)
        if not self.owner_keys:
            raise ValueError("at least one owner key (CorpId or AppKey) is needed")

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def signature(self, *, timestamp: str, nonce: str, encrypt: str) -> str:
        joined = "".join(sorted([self.token, timestamp, nonce, encrypt]))
        return hashlib.sha1(joined.encode()).hexdigest()  # noqa: S324 - DingTalk's scheme

    def encrypt(self, message: str, *, owner_key: str = "", random16: bytes | None = None) -> str:
        body = message.encode()
        owner = (owner_key or self.owner_keys[0]).encode()
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + owner
        encryptor = self._cipher().encryptor()
        data = encryptor.update(_pad(plain)) + encryptor.finalize()
        return base64.b64encode(data).decode()

    def decrypt(self, encrypt: str) -> str:
        """The message inside `encrypt`; CallbackError unless it is ours and well formed."""
        try:
            data = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CallbackError("cipher", "not base64") from exc
        if not data or len(data) % 16:
            raise CallbackError("cipher", "not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(data) + decryptor.finalize())
        if len(plain) < 20:
            raise CallbackError("cipher", "too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, owner = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length:
            raise CallbackError("cipher", "length field past the end")
        if owner.decode(errors="replace") not in self.owner_keys:
            raise CallbackError("owner", "encrypted for another app or organisation")
        try:
            return body.decode()
        except UnicodeDecodeError as exc:
            raise CallbackError("cipher", "not UTF-8") from exc

    def open(
        self,
        *,
        signature: str,
        timestamp: str,
        nonce: str,
        encrypt: str,
        now: float | None = None,
        max_age: float = MAX_AGE_SECONDS,
    ) -> str:
        """Check the signature and the age, then decrypt. CallbackError when any fails."""
        expected = self.signature(timestamp=timestamp, nonce=nonce, encrypt=encrypt)
        if not signature or not hmac.compare_digest(expected, signature.lower()):
            raise CallbackError("signature", "the signature does not match")
        try:
            sent = timestamp_seconds(timestamp)
        except ValueError as exc:
            raise CallbackError("stale", "the timestamp is not a number") from exc
        if abs((time.time() if now is None else now) - sent) > max_age:
            raise CallbackError("stale", "the timestamp is too old or in the future")
        return self.decrypt(encrypt)

    def seal(self, message: str, *, timestamp: str = "", nonce: str = "") -> dict[str, str]:
        """`message` encrypted and signed as DingTalk expects in a reply (and sends events)."""
        timestamp = timestamp or str(int(time.time() * 1000))
        nonce = nonce or "".join(secrets.choice(string.ascii_letters) for _ in range(8))
        encrypt = self.encrypt(message)
        return {
            "msg_signature": self.signature(timestamp=timestamp, nonce=nonce, encrypt=encrypt),
            "timeStamp": timestamp,
            "nonce": nonce,
            "encrypt": encrypt,
        }

    def success_reply(self) -> dict[str, str]:
        return self.seal("success")
