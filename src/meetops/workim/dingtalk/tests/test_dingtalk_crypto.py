"""DingTalk's callback encryption, checked against DingTalk's published test vector and the
stand-in's own implementation of the scheme."""

from __future__ import annotations

import json

import pytest
from tests.servers.dingtalk_standin import (
    APP_KEY,
    CALLBACK_AES_KEY,
    CALLBACK_TOKEN,
    CORP_ID,
    standin_decrypt,
    standin_encrypt,
)

from meetops.workim.dingtalk.crypto import CallbackCrypto, CallbackError

# DingTalk's own example (open-doc "加解密方案", quoted by the dingtalk-crypto 1.0.2 tests).
VECTOR_KEY = "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij"
VECTOR_TOKEN = "123456"
VECTOR_OWNER = "suite4xxxxxxxxxxxxxxx"
VECTOR_ENCRYPT = (
    "1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG"
    "+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc"
    "/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ=="
)
VECTOR_SIGNATURE = "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0"
VECTOR_TIMESTAMP = "1445827045067"
VECTOR_NONCE = "nEXhMP4r"


def vector_crypto() -> CallbackCrypto:
    return CallbackCrypto(token=VECTOR_TOKEN, aes_key=VECTOR_KEY, owner_keys=[VECTOR_OWNER])


def test_the_published_vector_checks_and_decrypts() -> None:
    crypto = vector_crypto()
    assert (
        crypto.signature(timestamp=VECTOR_TIMESTAMP, nonce=VECTOR_NONCE, encrypt=VECTOR_ENCRYPT)
        == VECTOR_SIGNATURE
    )
    sent = VECTOR_TIMESTAMP
    message = crypto.open(
        signature=VECTOR_SIGNATURE,
        timestamp=sent,
        nonce=VECTOR_NONCE,
        encrypt=VECTOR_ENCRYPT,
        now=int(sent) / 1000 + 2,
    )
    assert json.loads(message) == {
        "EventType": "check_create_suite_url",
        "Random": "LPIdSnlF",
        "TestSuiteKey": VECTOR_OWNER,
    }


def test_a_message_for_another_owner_is_refused() -> None:
    crypto = CallbackCrypto(token=VECTOR_TOKEN, aes_key=VECTOR_KEY, owner_keys=[CORP_ID])
    with pytest.raises(CallbackError) as caught:
        crypto.decrypt(VECTOR_ENCRYPT)
    assert caught.value.reason == "owner"


def test_a_wrong_signature_and_a_stale_timestamp_are_refused() -> None:
    crypto = vector_crypto()
    args = {"timestamp": VECTOR_TIMESTAMP, "nonce": VECTOR_NONCE, "encrypt": VECTOR_ENCRYPT}
    with pytest.raises(CallbackError) as caught:
        crypto.open(signature="0" * 40, now=int(VECTOR_TIMESTAMP) / 1000, **args)
    assert caught.value.reason == "signature"
    with pytest.raises(CallbackError) as caught:
        crypto.open(signature=VECTOR_SIGNATURE, now=int(VECTOR_TIMESTAMP) / 1000 + 3600, **args)
    assert caught.value.reason == "stale"


def test_round_trip_with_the_standins_implementation() -> None:
    crypto = CallbackCrypto(
        token=CALLBACK_TOKEN, aes_key=CALLBACK_AES_KEY, owner_keys=[APP_KEY, CORP_ID]
    )
    text = json.dumps({"EventType": "user_add_org", "UserId": ["张三"]}, ensure_ascii=False)
    # Theirs to ours, for either owner key (older apps use the CorpId, newer the AppKey).
    assert crypto.decrypt(standin_encrypt(text, CORP_ID)) == text
    assert crypto.decrypt(standin_encrypt(text, APP_KEY)) == text
    # Ours to theirs: the encrypted "success" every callback is answered with.
    reply = crypto.success_reply()
    assert standin_decrypt(reply["encrypt"]) == ("success", APP_KEY)
    assert reply["msg_signature"] == crypto.signature(
        timestamp=reply["timeStamp"], nonce=reply["nonce"], encrypt=reply["encrypt"]
    )


@pytest.mark.parametrize("garbage", ["", "not base64!", "AAAA", "A" * 64])
def test_garbage_is_refused_not_crashed_on(garbage: str) -> None:
    with pytest.raises(CallbackError):
        vector_crypto().decrypt(garbage)


def test_a_key_of_the_wrong_length_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        CallbackCrypto(token="t", aes_key="short", owner_keys=[CORP_ID])
