"""A throw-away OpenLDAP server for the tests (reference identity-and-im-platforms.md §8.3).

`start_slapd()` builds a private cn=config in a temp directory, loads the directory below
(a school with nested units and ten people with Chinese names), and runs Debian's `slapd` on
a free loopback port. Nothing of the machine's own slapd configuration is used.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
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


@dataclass
class Slapd:
    url: str
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        pid_file = self.directory / "slapd.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        shutil.rmtree(self.directory, ignore_errors=True)


def available() -> bool:
    return Path(SLAPD).exists() and Path(SLAPADD).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_slapd() -> Slapd:
    """Start a fresh server with the test directory; the caller stops it."""
    d = Path(tempfile.mkdtemp(prefix="meetops-slapd-"))
    (d / "conf").mkdir()
    (d / "db").mkdir()
    (d / "config.ldif").write_text(
        CONFIG.format(d=d, suffix=SUFFIX, root=ROOT_DN, pw=ROOT_PW, limit=SIZE_LIMIT)
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
    # slapd daemonises; its pid lands in slapd.pid.
    subprocess.run([SLAPD, "-h", f"{url}/", "-F", str(d / "conf")], check=True, capture_output=True)
    server = Slapd(url=url, directory=d)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("slapd did not start listening")
