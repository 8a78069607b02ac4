"""Feishu callback crypto against an independent implementation of lark-oapi's AESCipher."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from Cryptodome.Cipher import AES

from meetops.workim.feishu import crypto

KEY = "encrypt-key-of-the-app"
TOKEN = "verification-token"
NOW = 1_800_000_000


def lark_decrypt(key: str, encrypted: str) -> bytes:
    """lark_oapi.core.utils.decryptor.AESCipher.decrypt_str, as published, on pycryptodome."""
    raw = base64.b64decode(encrypted)
    cipher = AES.new(hashlib.sha256(key.encode()).digest(), AES.MODE_CBC, raw[:16])
    plain = cipher.decrypt(raw[16:])
    return plain[: -plain[-1]]


def lark_encrypt(key: str, plain: bytes, iv: bytes) -> str:
    pad = 16 - len(plain) % 16
    cipher = AES.new(hashlib.sha256(key.encode()).digest(), AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(plain + bytes([pad]) * pad)).decode()


def signed(payload: dict, *, key: str = KEY, at: int = NOW) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"encrypt": crypto.encrypt(key, json.dumps(payload).encode())}).encode()
    headers = {
        "X-Lark-Request-Timestamp": str(at),
        "X-Lark-Request-Nonce": "n0nce",
        "X-Lark-Signature": crypto.signature(str(at), "n0nce", key, body),
    }
    return body, headers


def event(token: str = TOKEN) -> dict:
    return {"schema": "2.0", "header": {"event_id": "e1", "token": token}, "event": {}}


def test_both_implementations_read_each_other():
    plain = '会议通知 {"a": 1}'.encode()
    assert lark_decrypt(KEY, crypto.encrypt(KEY, plain)) == plain
    assert crypto.decrypt(KEY, lark_encrypt(KEY, plain, b"0123456789abcdef")) == plain
    # A fixed vector: the same IV gives the same bytes from both.
    assert crypto.encrypt(KEY, plain, iv=b"0123456789abcdef") == lark_encrypt(
        KEY, plain, b"0123456789abcdef"
    )


def test_a_signed_encrypted_event_opens():
    body, headers = signed(event())
    opened = crypto.open_callback(
        body=body, headers=headers, encrypt_key=KEY, verification_token=TOKEN, now=NOW + 5
    )
    assert opened["header"]["event_id"] == "e1"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"X-Lark-Signature": "0" * 64}, "bad_signature"),
        ({"X-Lark-Request-Nonce": "other"}, "bad_signature"),
        ({"X-Lark-Request-Timestamp": str(NOW - 3600)}, "bad_signature"),
    ],
)
def test_a_forged_signature_is_refused(change, reason):
    body, headers = signed(event())
    with pytest.raises(crypto.Refused) as refused:
        crypto.open_callback(
            body=body,
            headers={**headers, **change},
            encrypt_key=KEY,
            verification_token=TOKEN,
            now=NOW,
        )
    assert refused.value.reason == reason


def test_a_wrong_token_a_wrong_key_and_an_old_request_are_refused():
    body, headers = signed(event(token="someone-else"))
    with pytest.raises(crypto.Refused, match="bad_token"):
        crypto.open_callback(
            body=body, headers=headers, encrypt_key=KEY, verification_token=TOKEN, now=NOW
        )
    body, headers = signed(event(), key="another-key")
    with pytest.raises(crypto.Refused):
        crypto.open_callback(
            body=body, headers=headers, encrypt_key=KEY, verification_token=TOKEN, now=NOW
        )
    body, headers = signed(event(), at=NOW - crypto.MAX_AGE_SECONDS - 1)
    with pytest.raises(crypto.Refused, match="stale"):
        crypto.open_callback(
            body=body, headers=headers, encrypt_key=KEY, verification_token=TOKEN, now=NOW
        )


def test_plain_bodies_are_refused_once_a_key_is_set():
    body = json.dumps(event()).encode()
    with pytest.raises(crypto.Refused, match="not_encrypted"):
        crypto.open_callback(
            body=body, headers={}, encrypt_key=KEY, verification_token=TOKEN, now=NOW
        )


def test_the_url_challenge_is_answered_unsigned_with_the_right_token_only():
    challenge = {"type": "url_verification", "challenge": "ch-42", "token": TOKEN}
    body = json.dumps({"encrypt": crypto.encrypt(KEY, json.dumps(challenge).encode())}).encode()
    opened = crypto.open_callback(
        body=body, headers={}, encrypt_key=KEY, verification_token=TOKEN, now=NOW
    )
    assert crypto.challenge_answer(opened) == {"challenge": "ch-42"}
    forged = {**challenge, "token": "guess"}
    body = json.dumps({"encrypt": crypto.encrypt(KEY, json.dumps(forged).encode())}).encode()
    with pytest.raises(crypto.Refused, match="bad_token"):
        crypto.open_callback(
            body=body, headers={}, encrypt_key=KEY, verification_token=TOKEN, now=NOW
        )
