"""A throw-away OpenLDAP server for the tests (reference identity-and-im-platforms.md §8.3).

`start_slapd()` builds a private cn=config in a temp directory, loads the directory below
(a school with nested units and ten people with Chinese names), and runs Debian's `slapd` on
a free loopback port. Nothing of the machine's own slapd configuration is used.

`start_slapd(tls=True)` also makes a throw-away certificate authority and a server
certificate for 127.0.0.1/localhost, and listens for StartTLS (ldap://) and LDAPS (ldaps://).
"""

from __future__ import annotations

import base64
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
SUFFIX = "dc=example,dc=edu,dc=cn"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "secret"
PASSWORD = "pass123"
DEPARTMENTS = f"ou=departments,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
# The service account MeetOps binds as: not the root DN, so the size limit applies to it.
READER_DN = f"cn=meetops-reader,ou=service,{SUFFIX}"
READER_PW = "reader-pw"
# Plain searches return at most this many entries; only paged searches see everyone.
SIZE_LIMIT = 5

# (ou path from the department base, outermost first)
UNITS = [
    ("校长办公室",),
    ("教务处",),
    ("教务处", "教学质量科"),
    ("信息中心",),
    ("信息中心", "网络科"),
    ("后勤处",),
]
# uid, cn, unit path, title, mobile, extra unit path (a second department) or None
PEOPLE = [
    ("zhangsan", "张三", ("教务处",), "处长", "13800000001", None),
    ("lisi", "李四", ("教务处", "教学质量科"), "科长", "13800000002", ("信息中心",)),
    ("wangwu", "王五", ("校长办公室",), "主任", "13800000003", None),
    ("zhaoliu", "赵六", ("信息中心",), "工程师", "13800000004", None),
    ("sunqi", "孙七", ("信息中心", "网络科"), "网络管理员", "13800000005", None),
    ("zhouba", "周八", ("信息中心", "网络科"), "工程师", "13800000006", None),
    ("wujiu", "吴九", ("后勤处",), "科员", "13800000007", None),
    ("zhengshi", "郑十", ("后勤处",), "科员", "13800000008", None),
    ("qianyi", "钱一", ("教务处",), "科员", "13800000009", None),
    ("chener", "陈二", ("校长办公室",), "秘书", "13800000010", None),
]
GROUP_MEMBERS = {"meetops-admins": ["wangwu"], "meetops-organisers": ["zhangsan", "lisi"]}


def unit_dn(path: tuple[str, ...]) -> str:
    return ",".join(f"ou={name}" for name in reversed(path)) + f",{DEPARTMENTS}"


def person_dn(uid: str) -> str:
    for p_uid, _cn, unit, *_rest in PEOPLE:
        if p_uid == uid:
            return f"uid={uid},{unit_dn(unit)}"
    raise KeyError(uid)


def ldif_line(name: str, value: str) -> str:
    # Non-ASCII values are base64 in LDIF (RFC 2849).
    if value.isascii():
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def person_entry(
    uid: str, cn: str, unit: tuple[str, ...], title: str, mobile: str, extra: tuple[str, ...] | None
) -> list[str]:
    lines = [
        ldif_line("dn", f"uid={uid},{unit_dn(unit)}"),
        "objectClass: inetOrgPerson",
        f"uid: {uid}",
        ldif_line("cn", cn),
        ldif_line("sn", cn[0]),
        ldif_line("displayName", cn),
        f"mail: {uid}@example.edu.cn",
        f"mobile: {mobile}",
        ldif_line("title", title),
        f"userPassword: {PASSWORD}",
    ]
    if extra:
        lines.append(ldif_line("departmentNumber", unit_dn(extra)))
    return lines


def directory_ldif() -> str:
    entries = [
        [
            f"dn: {SUFFIX}",
            "objectClass: dcObject",
            "objectClass: organization",
            "dc: example",
            "o: Example",
        ],
        [f"dn: {DEPARTMENTS}", "objectClass: organizationalUnit", "ou: departments"],
        [f"dn: {GROUPS}", "objectClass: organizationalUnit", "ou: groups"],
        [f"dn: ou=service,{SUFFIX}", "objectClass: organizationalUnit", "ou: service"],
        [
            f"dn: {READER_DN}",
            "objectClass: organizationalRole",
            "objectClass: simpleSecurityObject",
            "cn: meetops-reader",
            f"userPassword: {READER_PW}",
        ],
    ]
    for path in UNITS:
        entries.append(
            [
                ldif_line("dn", unit_dn(path)),
                "objectClass: organizationalUnit",
                ldif_line("ou", path[-1]),
            ]
        )
    for uid, cn, unit, title, mobile, extra in PEOPLE:
        entries.append(person_entry(uid, cn, unit, title, mobile, extra))
    for group, members in GROUP_MEMBERS.items():
        entry = [f"dn: cn={group},{GROUPS}", "objectClass: groupOfNames", f"cn: {group}"]
        entry += [ldif_line("member", person_dn(uid)) for uid in members]
        entries.append(entry)
    return "\n\n".join("\n".join(e) for e in entries) + "\n"


CONFIG = """dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {d}/slapd.pid
{tls}
dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {suffix}
olcRootDN: {root}
olcRootPW: {pw}
olcDbDirectory: {d}/db
olcDbMaxSize: 104857600
olcLimits: users size.soft={limit} size.hard={limit} size.prtotal=unlimited
"""


TLS_CONFIG = """olcTLSCACertificateFile: {d}/ca.pem
olcTLSCertificateFile: {d}/server.pem
olcTLSCertificateKeyFile: {d}/server.key
"""


def _key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str) -> tuple[Any, Any]:
    """A self-signed certificate authority: (certificate, private key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key = _key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_server_cert(ca_cert: Any, ca_key: Any) -> tuple[Any, Any]:
    """A server certificate for 127.0.0.1 (IP SAN) and localhost, signed by the CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    key = _key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(IPv4Address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def write_pem(path: Path, cert: Any, key: Any = None) -> None:
    from cryptography.hazmat.primitives import serialization

    if key is None:
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def write_certificates(d: Path) -> None:
    """ca.pem, server.pem, server.key for slapd, and other-ca.pem: a CA that signed nothing."""
    ca_cert, ca_key = make_ca("MeetOps test CA")
    server_cert, server_key = make_server_cert(ca_cert, ca_key)
    write_pem(d / "ca.pem", ca_cert)
    write_pem(d / "server.pem", server_cert)
    write_pem(d / "server.key", server_cert, server_key)
    write_pem(d / "other-ca.pem", make_ca("Somebody else's CA")[0])


@dataclass
class Slapd:
    url: str
    directory: Path
    process: subprocess.Popen[bytes] | None = None
    # With tls=True: the ldaps:// URL and the CA files (the right one and a stranger).
    ldaps_url: str = ""

    @property
    def ca_file(self) -> str:
        return str(self.directory / "ca.pem")

    @property
    def other_ca_file(self) -> str:
        return str(self.directory / "other-ca.pem")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL it when the process that started it dies (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def available() -> bool:
    return all(os.access(program, os.X_OK) for program in (SLAPD, SLAPADD))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_slapd(*, tls: bool = False) -> Slapd:
    """Start a fresh server with the test directory; the caller stops it."""
    d = Path(tempfile.mkdtemp(prefix="meetops-slapd-"))
    (d / "conf").mkdir()
    (d / "db").mkdir()
    if tls:
        write_certificates(d)
    (d / "config.ldif").write_text(
        CONFIG.format(
            d=d,
            suffix=SUFFIX,
            root=ROOT_DN,
            pw=ROOT_PW,
            limit=SIZE_LIMIT,
            tls=TLS_CONFIG.format(d=d) if tls else "",
        )
    )
    (d / "data.ldif").write_text(directory_ldif(), encoding="utf-8")
    for db, ldif in (("0", "config.ldif"), ("1", "data.ldif")):
        subprocess.run(
            [SLAPADD, "-n", db, "-F", str(d / "conf"), "-l", str(d / ldif)],
            check=True,
            capture_output=True,
        )
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    ports = [port]
    listen = f"{url}/"
    ldaps_url = ""
    if tls:
        ports.append(free_port())
        ldaps_url = f"ldaps://127.0.0.1:{ports[1]}"
        listen += f" {ldaps_url}/"
    server = Slapd(url=url, directory=d, ldaps_url=ldaps_url)
    # In the foreground (-d 0) as our child, killed with us: a killed pytest leaves no slapd.
    with open(d / "slapd.log", "wb") as log:
        server.process = subprocess.Popen(
            [SLAPD, "-d", "0", "-h", listen, "-F", str(d / "conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            output = (d / "slapd.log").read_text(errors="replace")
            server.stop()
            raise RuntimeError(f"slapd did not start: {output}")
        try:
            for each in ports:
                with socket.create_connection(("127.0.0.1", each), timeout=0.5):
                    pass
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("slapd did not start listening")
