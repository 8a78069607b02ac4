"""A throw-away SAML 2.0 identity provider (pysaml2's `saml2.server.Server`) for MeetOps's
sign-in tests: `python -m saml_idp.run PORT [HOST]`, with SSO_SERVER_DATA set to a scratch folder.

It signs with a key it makes at start, through the xmlsec1 program. A service provider is
known by its entity id, which djangosaml2 makes the URL of its metadata: the IdP fetches that
metadata (loopback only) the first time the SP asks it for something.
"""

from __future__ import annotations

import datetime
import html
import os
import shutil
import sys
import threading
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlparse
from wsgiref.simple_server import WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import decode_base64_and_inflate
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml_idp.users import PASSWORD, PEOPLE

PORT = int(sys.argv[1])
# The name the browser uses: the same site as MeetOps' live server (localhost), so the
# assertion's cross-origin POST back still carries MeetOps' SameSite=Lax cookies.
BASE = f"http://{sys.argv[2] if len(sys.argv) > 2 else '127.0.0.1'}:{PORT}"
DATA = Path(os.environ["SSO_SERVER_DATA"])


def make_key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "meetops-test-idp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = DATA / "idp.key", DATA / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


KEY_FILE, CERT_FILE = make_key_pair()
CONFIG = {
    "entityid": f"{BASE}/idp/metadata",
    "xmlsec_binary": shutil.which("xmlsec1"),
    "key_file": KEY_FILE,
    "cert_file": CERT_FILE,
    "service": {
        "idp": {
            "name": "MeetOps test IdP",
            "endpoints": {
                "single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)],
                "single_logout_service": [(f"{BASE}/slo/redirect", BINDING_HTTP_REDIRECT)],
            },
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
        }
    },
    "metadata": {},
}
idp_config = IdPConfig()
idp_config.load(CONFIG)
server = Server(config=idp_config)
known_sps: set[str] = set()
lock = threading.Lock()


def learn_sp(entity_id: str) -> None:
    """Load the SP's metadata from its entity id (its metadata URL), once."""
    host = urlparse(entity_id).hostname
    if entity_id in known_sps or host not in ("127.0.0.1", "localhost"):
        return
    with urllib.request.urlopen(entity_id, timeout=10) as response:
        xml = response.read().decode()
    with lock:
        server.metadata.load("inline", xml)
        known_sps.add(entity_id)


def issuer_of(saml_request: str) -> str:
    """The Issuer of a redirect-bound request, read before its signature can be checked."""
    xml = decode_base64_and_inflate(saml_request).decode()
    start = xml.index("Issuer")
    return html.unescape(xml[xml.index(">", start) + 1 : xml.index("<", start)]).strip()


def page(body: str, status: str = "200 OK") -> tuple[str, list[tuple[str, str]], bytes]:
    doc = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Test SAML IdP</title></head><body><main>{body}</main></body></html>"
    )
    return status, [("Content-Type", "text/html; charset=utf-8")], doc.encode()


def login_form(saml_request: str, relay_state: str, error: str = "") -> Any:
    return page(
        "<h1>Test SAML IdP</h1>"
        + (f'<p class="error">{html.escape(error)}</p>' if error else "")
        + '<form method="post" action="/sso/login">'
        f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<label>Username <input name="username" id="username"></label>'
        '<label>Password <input type="password" name="password" id="password"></label>'
        '<button type="submit" id="idp-sign-in">Sign in</button></form>'
    )


def sign_in(form: dict[str, str]) -> Any:
    username, saml_request = form.get("username", ""), form.get("SAMLRequest", "")
    relay_state = form.get("RelayState", "")
    if username not in PEOPLE or form.get("password") != PASSWORD:
        return login_form(saml_request, relay_state, "Wrong username or password.")
    learn_sp(issuer_of(saml_request))
    request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
    response_args = server.response_args(request.message, [BINDING_HTTP_POST])
    response = server.create_authn_response(
        PEOPLE[username],
        userid=username,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=username),
        authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": BASE},
        sign_assertion=True,
        sign_response=True,
        **response_args,
    )
    http_args = server.apply_binding(
        BINDING_HTTP_POST, str(response), response_args["destination"], relay_state, response=True
    )
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], http_args["data"].encode()


def single_logout(query: dict[str, str]) -> Any:
    saml_request = query["SAMLRequest"]
    learn_sp(issuer_of(saml_request))
    request = server.parse_logout_request(saml_request, BINDING_HTTP_REDIRECT)
    response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
    binding, destination = server.pick_binding(
        "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=request.issuer.text
    )
    http_args = server.apply_binding(
        binding, str(response), destination, query.get("RelayState", ""), response=True
    )
    location = dict(http_args["headers"])["Location"]
    return "302 Found", [("Location", location)], b""


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    path = environ["PATH_INFO"]
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    try:
        if path == "/idp/metadata":
            xml = create_metadata_string(None, config=idp_config, valid=24)
            answer: Any = ("200 OK", [("Content-Type", "text/xml")], xml)
        elif path == "/sso/redirect":
            answer = login_form(query.get("SAMLRequest", ""), query.get("RelayState", ""))
        elif path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(size).decode()
            answer = sign_in({k: v[0] for k, v in parse_qs(body).items()})
        elif path == "/slo/redirect":
            answer = single_logout(query)
        else:
            answer = page("<p>Not found</p>", "404 Not Found")
    except Exception as exc:  # a test server: say what went wrong in the page and the log
        import traceback

        traceback.print_exc()
        answer = page(f"<pre>{html.escape(repr(exc))}</pre>", "500 Internal Server Error")
    status, headers, content = answer
    start_response(status, headers)
    return [content if isinstance(content, bytes) else content.encode()]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


if __name__ == "__main__":
    make_server("127.0.0.1", PORT, app, server_class=ThreadingServer).serve_forever()
