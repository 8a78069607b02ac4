"""WeCom callback crypto against WeCom's published test vector (doc path/90968) and the
stand-in's independent sealing."""

from __future__ import annotations

import pytest
from tests.servers import wecom_standin

from meetops.workim.wecom import crypto

# The official example: Token QDG6eK, EncodingAESKey jWmY…, CorpID wx5823bf96d3bd56c7.
TOKEN, KEY, CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
ENCRYPTED = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj9"
    "11L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DO"
    "dnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03"
    "v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpN"
    "elZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="


def test_the_official_vector_verifies_and_decrypts() -> None:
    assert crypto.signature(TOKEN, "1409659813", "1372623149", ENCRYPTED) == (
        "477715d11cdb4164915debcba66cb864d751f3e6"
    )
    message = crypto.decrypt(KEY, ENCRYPTED, receive_id=CORP)
    assert "<Content><![CDATA[hello]]></Content>" in message
    assert "<MsgId>4561255354251345929</MsgId>" in message
    # The URL check: echostr decrypts to the number WeCom expects back.
    crypto.check_signature(
        TOKEN, "1409659589", "263014780", ECHO, "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    )
    assert crypto.decrypt(KEY, ECHO, receive_id=CORP) == "1616140317555161061"


def test_another_corp_or_a_changed_signature_is_refused() -> None:
    with pytest.raises(crypto.CryptoError, match="another corp"):
        crypto.decrypt(KEY, ENCRYPTED, receive_id="ww-someone-else")
    with pytest.raises(crypto.CryptoError, match="signature"):
        crypto.check_signature(TOKEN, "1409659813", "1372623149", ENCRYPTED, "0" * 40)


def test_meetops_opens_what_the_stand_in_seals_and_the_other_way_round() -> None:
    sealed = wecom_standin.seal(wecom_standin.AES_KEY, "<xml>会议</xml>", "ww1")
    assert crypto.decrypt(wecom_standin.AES_KEY, sealed, receive_id="ww1") == "<xml>会议</xml>"
    mine = crypto.encrypt(wecom_standin.AES_KEY, "x" * 100, receive_id="ww1")
    assert crypto.decrypt(wecom_standin.AES_KEY, mine, receive_id="ww1") == "x" * 100
    assert crypto.signature("t", "1", "2", "3") == wecom_standin.sign("t", "1", "2", "3")
