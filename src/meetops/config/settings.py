"""MeetOps settings, read from the environment (12-factor).

Every deployment-specific value comes from an environment variable; nothing
secret lives in the repository. `MEETOPS_DEBUG=1` is development mode; without
it MeetOps refuses to start unless `SECRET_KEY` is set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

env = environ.Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.str("MEETOPS_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("MEETOPS_DEBUG", default=False)
TESTING = env.bool("MEETOPS_TESTING", default="pytest" in sys.modules)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set MEETOPS_DEBUG=1 "
            "for a development instance."
        )
    SECRET_KEY = "meetops-development-only-not-secret"  # noqa: S105 - dev/test only

# The public address decides the allowed host, HTTPS redirects and cookie security.
SITE_URL = env.str("MEETOPS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
_site = urlparse(SITE_URL)
ALLOWED_HOSTS = [h for h in {_site.hostname, "127.0.0.1", "localhost", "[::1]"} if h]
ALLOWED_HOSTS += env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
_secure = _site.scheme == "https"
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure and env.bool("MEETOPS_SSL_REDIRECT", default=True)
# The load balancer's health checks and Prometheus talk plain HTTP to the node itself, not
# through the TLS proxy: a redirect to https would read as "down" (patterns match the path
# without its leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Behind an https site URL a TLS proxy sits in front of gunicorn and names the scheme it
# received in this header; empty = no proxy (the header would be trusted from anyone).
_proxy_header = env.str("MEETOPS_PROXY_SSL_HEADER", default="X-Forwarded-Proto" if _secure else "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
# HSTS only where the site is https: a year, subdomains included (an intranet's
# subdomains are its own); preload is a promise to browser vendors, so opt-in.
SECURE_HSTS_SECONDS = env.int("MEETOPS_HSTS_SECONDS", default=31536000) if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure and env.bool("MEETOPS_HSTS_PRELOAD", default=False)
# `check --deploy` asks for preload; it stays a deliberate choice (an intranet host
# cannot be on the public preload list), so its warning is silenced while preload is off.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("MEETOPS_SESSION_SECONDS", default=60 * 60 * 12)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "meetops.core",
    "meetops.people",
    "meetops.meetings",
    "meetops.policy",
    "meetops.notifications",
    "meetops.invitations",
    "meetops.agenda",
    "meetops.venues",
    "meetops.budget",
    "meetops.attendance",
    "meetops.minutes",
    "meetops.risks",
    "meetops.reports",
    "meetops.live",
    "meetops.followup",
    "meetops.seating",
    "meetops.evaluation",
    "meetops.records",
    "meetops.improvement",
    "meetops.training",
    "meetops.identity",
    "meetops.documents",
    "meetops.workim",
    "meetops.partners",
    "meetops.promotion",
    "django_cas_ng",  # the CAS ticket ↔ session table, for single logout
    "djangosaml2",
    # Above the domain apps: the dashboard reads meetings and their steps (docs/architecture.md).
    "meetops.home",
]
if TESTING and "pytest" in sys.modules:
    # The throw-away app that proves the app contract (tests/contrib_app, ADR 0009).
    INSTALLED_APPS.append("tests.contrib_app")

MIDDLEWARE = [
    # First: every later log line of the request carries its id; every answer is counted.
    "meetops.core.logs.RequestIdMiddleware",
    "meetops.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside CommonMiddleware and the locale: it shapes their /api/v1/ errors too.
    "meetops.core.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # SAML's own cookie for the requests in flight (djangosaml2); idle unless SAML is used.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meetops.people.middleware.TwoFactorMiddleware",
    "meetops.people.middleware.UserLanguageMiddleware",
    "meetops.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "meetops.core.middleware.ErrorBoundaryMiddleware",
]

# Content-Security-Policy on every response (docs/adr/0012-csp-and-web-hardening.md):
# scripts and styles only from MeetOps itself, no inline script, no eval, no inline
# style attribute; a nonce only for the one print page that keeps its CSS inline for
# WeasyPrint. Nothing is loaded from another origin: intranets are offline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "meetops.config.urls"
WSGI_APPLICATION = "meetops.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetops.core.context_processors.site",
            ],
            # `{% csrf_token %}` also names the form's page (core.refill, ADR 0034).
            "builtins": ["meetops.core.templatetags.forms"],
        },
    },
]

# SQLite in WAL mode under MEETOPS_DATA_DIR is the embedded default. IMMEDIATE
# transactions take the write lock at BEGIN, so concurrent writers queue on the
# busy timeout instead of failing with "database is locked" on lock upgrade.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'meetops.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file, not Django's shared in-memory database, so that tests with
    # threads see real SQLite locking (WAL, IMMEDIATE) as production does.
    # pytest-django gives each xdist worker its own file (suffix _gw0, _gw1...).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-meetops.sqlite3")}
# Connections are kept between requests (one per server thread): opening one costs a
# PostgreSQL backend fork and authentication, or SQLite's open and its four PRAGMAs, on
# every request otherwise. Health checks drop a connection the server closed meanwhile.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("MEETOPS_CONN_MAX_AGE", default=600))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Password providers (LDAP/AD) after the local accounts: see meetops.identity.
    "meetops.identity.backends.ProviderBackend",
    # Single sign-on: each answers only its own callback (a ticket, a code, an assertion).
    "meetops.identity.cas.CasBackend",
    "meetops.identity.oidc.OidcBackend",
    "meetops.identity.saml.SamlBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
    # Transactional tests restore the reference data that migrations load (meeting
    # kinds, the process template, ...) by serialized rollback. Content types and
    # permissions are recreated by the flush itself, so restoring them would clash.
    TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: after AXES_FAILURE_LIMIT failures for a username from one
# address, that combination is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("MEETOPS_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("MEETOPS_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_VERBOSE = False

# Security administration (docs/operations.md): local passwords for everyone, or (0) for
# administrators only; a second factor for every administrator; separation of duties
# between the system, security and audit administrators.
MEETOPS_LOCAL_LOGIN = env.bool("MEETOPS_LOCAL_LOGIN", default=True)
MEETOPS_ADMIN_2FA = env.bool("MEETOPS_ADMIN_2FA", default=False)
MEETOPS_SEPARATION_OF_DUTIES = env.bool("MEETOPS_SEPARATION_OF_DUTIES", default=False)
OTP_TOTP_ISSUER = env.str("MEETOPS_OTP_ISSUER", default="MeetOps")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
# Apps keep their own catalogues; this one holds the project-level strings of config/.
LOCALE_PATHS = [PACKAGE_DIR / "config" / "locale"]
USE_I18N = True
# Dates and times as each language writes them: "7 Dec 2026, 01:00", "2026年12月7日 01:00".
FORMAT_MODULE_PATH = ["meetops.formats"]
USE_TZ = True
TIME_ZONE = env.str("MEETOPS_TIME_ZONE", default="Asia/Shanghai")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES: dict[str, dict[str, Any]] = {
    # Both backends delete a file whose transaction rolls back (core/storage.py).
    "default": {"BACKEND": "meetops.core.storage.LocalStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files go to an S3-compatible object store (MinIO, Ceph, OSS, COS, AWS)
# when a bucket is named; otherwise under MEDIA_ROOT. Objects stay private: every
# download passes through MeetOps's permission checks, never a public URL.
MEETOPS_S3_BUCKET = env.str("MEETOPS_S3_BUCKET", default="")
if MEETOPS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "meetops.core.storage_s3.BucketStorage",
        "OPTIONS": {
            "bucket_name": MEETOPS_S3_BUCKET,
            "endpoint_url": env.str("MEETOPS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("MEETOPS_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("MEETOPS_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("MEETOPS_S3_REGION", default="") or None,
            "location": env.str("MEETOPS_S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env.str("MEETOPS_S3_ADDRESSING_STYLE", default="path"),
        },
    }
# Serve straight from the app folders, so `meetops serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that stops answering must not hold a worker forever: the message is retried.
EMAIL_TIMEOUT = env.int("MEETOPS_EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str("MEETOPS_FROM_EMAIL", default="MeetOps <meetops@localhost>")
# Calendar replies (iMIP, ADR 0020): the mailbox MeetOps reads, put in every invitation's
# ORGANIZER as rsvp+<per-invitation tag>@domain. Empty: ORGANIZER is the organiser, replies
# go to their own mailbox and never reach MeetOps.
MEETOPS_MAIL_REPLY_ADDRESS = env.str("MEETOPS_MAIL_REPLY_ADDRESS", default="").strip()
# `meetops mail poll`: the IMAP mailbox the reply address is delivered to.
MEETOPS_MAIL_IMAP_HOST = env.str("MEETOPS_MAIL_IMAP_HOST", default="")
MEETOPS_MAIL_IMAP_PORT = env.int("MEETOPS_MAIL_IMAP_PORT", default=993)
MEETOPS_MAIL_IMAP_USER = env.str("MEETOPS_MAIL_IMAP_USER", default="")
MEETOPS_MAIL_IMAP_PASSWORD = env.str("MEETOPS_MAIL_IMAP_PASSWORD", default="")
# "ssl" (port 993), "starttls" (143) or "none" (a mail server on the same host only).
MEETOPS_MAIL_IMAP_TLS = env.str("MEETOPS_MAIL_IMAP_TLS", default="ssl").lower()
MEETOPS_MAIL_IMAP_FOLDER = env.str("MEETOPS_MAIL_IMAP_FOLDER", default="INBOX")

REDIS_URL = env.str("REDIS_URL", default="")

# Notifications: the outbox and its worker (docs/adr/0007-outbox-and-worker.md).
MEETOPS_OUTBOX_LEASE_SECONDS = env.int("MEETOPS_OUTBOX_LEASE_SECONDS", default=120)
MEETOPS_OUTBOX_MAX_ATTEMPTS = env.int("MEETOPS_OUTBOX_MAX_ATTEMPTS", default=8)
# A message handed over with no answer (the worker died, or the connection broke
# after SMTP's final "."): "hold" marks it unconfirmed and tells the people
# responsible (never sent twice); "resend" queues it again with the same
# Message-ID, for mail systems that drop repeats (at least once). ADR 0008.
MEETOPS_OUTBOX_UNCONFIRMED = env.str("MEETOPS_OUTBOX_UNCONFIRMED", default="hold").lower()
if MEETOPS_OUTBOX_UNCONFIRMED not in ("hold", "resend"):
    raise ImproperlyConfigured("MEETOPS_OUTBOX_UNCONFIRMED must be 'hold' or 'resend'.")
MEETOPS_REMINDER_OFFSETS = env.list("MEETOPS_REMINDER_OFFSETS", cast=int, default=[1440, 60])
# Days past its due date after which an open action item is escalated to the organisers.
MEETOPS_ESCALATE_AFTER_DAYS = env.int("MEETOPS_ESCALATE_AFTER_DAYS", default=3)
# Days before a supplier's qualification or contract expires that its managers are told
# (P10.5), comma-separated: one reminder per document per number.
MEETOPS_PARTNER_EXPIRY_DAYS = env.list("MEETOPS_PARTNER_EXPIRY_DAYS", cast=int, default=[30])
# Defaults of the archive's 档号 parts (DA/T 22-2015); admins change them on the scheme page.
MEETOPS_ARCHIVE_FONDS_CODE = env.str("MEETOPS_ARCHIVE_FONDS_CODE", default="")
MEETOPS_ARCHIVE_CLASS_CODE = env.str("MEETOPS_ARCHIVE_CLASS_CODE", default="WS")
# 姓氏笔画 (`surname`: a one-character given name counts as empty) or 姓名笔画 (`name`);
# people/names.py, applied to stored keys by `meetops names recompute`.
MEETOPS_STROKE_ORDER = env.str("MEETOPS_STROKE_ORDER", default="surname")

# Identity providers and directory sync (meetops.identity, docs/operations.md "Identity").
# A first sign-in through a provider creates the account with this global role.
MEETOPS_IDENTITY_DEFAULT_ROLE = env.str("MEETOPS_IDENTITY_DEFAULT_ROLE", default="member")
MEETOPS_IDENTITY_CREATE_ON_LOGIN = env.bool("MEETOPS_IDENTITY_CREATE_ON_LOGIN", default=True)
# Minutes between scheduled directory syncs of every provider that lists people; 0 = off.
MEETOPS_DIRECTORY_SYNC_MINUTES = env.int("MEETOPS_DIRECTORY_SYNC_MINUTES", default=0)
# Meetings into the invitees' work IM calendars (Feishu / Lark, WeCom; workim/calendars.py, ADR 0033).
MEETOPS_IM_CALENDAR = env.bool("MEETOPS_IM_CALENDAR", default=True)
# LDAP / Active Directory: switched on by MEETOPS_LDAP_URL.
MEETOPS_LDAP_URL = env.str("MEETOPS_LDAP_URL", default="")
MEETOPS_LDAP_BIND_DN = env.str("MEETOPS_LDAP_BIND_DN", default="")
MEETOPS_LDAP_BIND_PASSWORD = env.str("MEETOPS_LDAP_BIND_PASSWORD", default="")
MEETOPS_LDAP_START_TLS = env.bool("MEETOPS_LDAP_START_TLS", default=False)
MEETOPS_LDAP_CA_FILE = env.str("MEETOPS_LDAP_CA_FILE", default="")
MEETOPS_LDAP_USER_BASE = env.str("MEETOPS_LDAP_USER_BASE", default="")
# "openldap" (inetOrgPerson) or "ad" (Active Directory): picks the defaults below.
MEETOPS_LDAP_FLAVOUR = env.str("MEETOPS_LDAP_FLAVOUR", default="openldap").lower()
MEETOPS_LDAP_USER_FILTER = env.str("MEETOPS_LDAP_USER_FILTER", default="")
MEETOPS_LDAP_DEPARTMENT_BASE = env.str("MEETOPS_LDAP_DEPARTMENT_BASE", default="")
# field=attribute pairs separated by ";" that replace the flavour's defaults,
# e.g. "mobile=telephoneNumber;people_filter=(objectClass=person)" (values may hold "=").
MEETOPS_LDAP_ATTRIBUTES = {
    field.strip(): value.strip()
    for field, _eq, value in (
        pair.partition("=") for pair in env.str("MEETOPS_LDAP_ATTRIBUTES", default="").split(";")
    )
    if field.strip() and value.strip()
}
# Group DN=role pairs, separated by ";", e.g. "cn=meetops-admins,ou=groups,dc=corp=admin".
MEETOPS_LDAP_GROUP_ROLES = env.str("MEETOPS_LDAP_GROUP_ROLES", default="")
MEETOPS_LDAP_GROUP_BASE = env.str("MEETOPS_LDAP_GROUP_BASE", default="")
MEETOPS_LDAP_PAGE_SIZE = env.int("MEETOPS_LDAP_PAGE_SIZE", default=500)
MEETOPS_LDAP_TIMEOUT = env.int("MEETOPS_LDAP_TIMEOUT", default=10)
# Single sign-on (docs/operations.md "Single sign-on"): each provider is on when its first
# setting is set, and the login page shows its button (CAS first). *_ATTRIBUTES / *_CLAIMS
# map MeetOps fields to the provider's names: "name=cn,department=ou|dwmc" (| = or).
# CAS 2.0/3.0 (统一身份认证): the CAS root, e.g. https://cas.example.edu.cn/cas/
MEETOPS_CAS_URL = env.str("MEETOPS_CAS_URL", default="")
MEETOPS_CAS_VERSION = env.str("MEETOPS_CAS_VERSION", default="3")
MEETOPS_CAS_LABEL = env.str("MEETOPS_CAS_LABEL", default="")
MEETOPS_CAS_ATTRIBUTES = env.dict("MEETOPS_CAS_ATTRIBUTES", default={})
if MEETOPS_CAS_VERSION not in ("2", "3"):
    raise ImproperlyConfigured("MEETOPS_CAS_VERSION must be 2 or 3.")
# django-cas-ng's own names, from ours.
CAS_SERVER_URL = MEETOPS_CAS_URL or None
CAS_VERSION = MEETOPS_CAS_VERSION
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
# OpenID Connect: endpoints come from {issuer}/.well-known/openid-configuration.
MEETOPS_OIDC_ISSUER = env.str("MEETOPS_OIDC_ISSUER", default="")
MEETOPS_OIDC_CLIENT_ID = env.str("MEETOPS_OIDC_CLIENT_ID", default="")
MEETOPS_OIDC_CLIENT_SECRET = env.str("MEETOPS_OIDC_CLIENT_SECRET", default="")
MEETOPS_OIDC_SCOPES = env.str("MEETOPS_OIDC_SCOPES", default="openid profile email phone")
MEETOPS_OIDC_SIGN_ALGO = env.str("MEETOPS_OIDC_SIGN_ALGO", default="RS256")
MEETOPS_OIDC_LABEL = env.str("MEETOPS_OIDC_LABEL", default="")
MEETOPS_OIDC_CLAIMS = env.dict("MEETOPS_OIDC_CLAIMS", default={})
MEETOPS_OIDC_TIMEOUT = env.int("MEETOPS_OIDC_TIMEOUT", default=10)
# SAML 2.0: the IdP's metadata, a file path or an http(s) URL. Needs the xmlsec1 program.
MEETOPS_SAML_IDP_METADATA = env.str("MEETOPS_SAML_IDP_METADATA", default="")
MEETOPS_SAML_ENTITY_ID = env.str("MEETOPS_SAML_ENTITY_ID", default="")
MEETOPS_SAML_KEY_FILE = env.str("MEETOPS_SAML_KEY_FILE", default="")
MEETOPS_SAML_CERT_FILE = env.str("MEETOPS_SAML_CERT_FILE", default="")
MEETOPS_SAML_LABEL = env.str("MEETOPS_SAML_LABEL", default="")
MEETOPS_SAML_ATTRIBUTES = env.dict("MEETOPS_SAML_ATTRIBUTES", default={})
SAML_CONFIG_LOADER = "meetops.identity.saml.sp_config"
# The IdP posts the assertion back from another site: the cookie that holds the request in
# flight must travel on that POST (SameSite=None needs https; plain http stays on Lax).
SAML_SESSION_COOKIE_SAMESITE = "None" if _secure else "Lax"
SAML_IGNORE_LOGOUT_ERRORS = True
# Signing out is a form POST that ends in a redirect to the provider's logout page, and a
# form's redirects are held to form-action.
_sso_sites = [
    urlparse(u)
    for u in (MEETOPS_CAS_URL, MEETOPS_OIDC_ISSUER, MEETOPS_SAML_IDP_METADATA)
    if u.startswith(("http://", "https://"))
]
_directives = cast(dict[str, list[str]], CONTENT_SECURITY_POLICY["DIRECTIVES"])
_directives["form-action"] += sorted({f"{site.scheme}://{site.netloc}" for site in _sso_sites})
# `meetops serve` sends from a thread in each server process, so a single-box
# SQLite install needs no second command; deployments with `meetops worker`
# processes (PostgreSQL, Redis) turn it off.
MEETOPS_EMBEDDED_WORKER = env.bool(
    "MEETOPS_EMBEDDED_WORKER",
    default=DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not REDIS_URL,
)
# What `meetops serve` starts in each server process for that (core names no app).
MEETOPS_EMBEDDED_WORKER_START = "meetops.notifications.worker.start_embedded_worker"

# Periodic jobs (core/scheduler.py): how long a run may last before another worker takes its
# slot over, for jobs that do not say (a job's own period, if shorter).
MEETOPS_JOB_LEASE_SECONDS = env.int("MEETOPS_JOB_LEASE_SECONDS", default=1800)
# The lanes this node's workers take (`meetops worker --lanes`): "urgent" (reminders,
# sign-in alerts, approvals), "bulk" (invitations to many, backups). Urgent first, always.
MEETOPS_WORKER_LANES = env.list("MEETOPS_WORKER_LANES", default=["urgent", "bulk"])
# An event registered with lane "auto" (an invitation) goes to the bulk lane when one call
# queues at least this many messages.
MEETOPS_BULK_FROM = env.int("MEETOPS_BULK_FROM", default=100)

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The window every date a person enters must lie in (core/validation.py): far outside
# it a date is a typo or an attack, and at the edge of time it overflows local time.
MEETOPS_DATE_MIN_YEAR = env.int("MEETOPS_DATE_MIN_YEAR", default=1970)
MEETOPS_DATE_MAX_YEAR = env.int("MEETOPS_DATE_MAX_YEAR", default=2100)
if not 1 < MEETOPS_DATE_MIN_YEAR <= MEETOPS_DATE_MAX_YEAR < 9999:
    raise ImproperlyConfigured(
        "MEETOPS_DATE_MIN_YEAR and MEETOPS_DATE_MAX_YEAR must be years 2-9998, in order."
    )

# Backups (P7.6, docs/operations.md): the worker writes one every
# MEETOPS_BACKUP_EVERY_HOURS (0 = never; tests never) and keeps the newest
# MEETOPS_BACKUP_KEEP. Copy the backup directory off the machine too.
MEETOPS_BACKUP_DIR = Path(env.str("MEETOPS_BACKUP_DIR", default=str(DATA_DIR / "backups")))
MEETOPS_BACKUP_EVERY_HOURS = env.int("MEETOPS_BACKUP_EVERY_HOURS", default=0 if TESTING else 24)
MEETOPS_BACKUP_KEEP = env.int("MEETOPS_BACKUP_KEEP", default=14)
# The audit log's seals (docs/adr/0011-keyed-audit-seals.md): an HMAC keyed with
# MEETOPS_AUDIT_KEY, which lives in the environment and never in the database (unset:
# derived from SECRET_KEY, and `check` warns). MEETOPS_AUDIT_HASH=sm3 seals with SM3
# (国密) instead of SHA-256. A signed checkpoint of every stream's head is written to
# MEETOPS_AUDIT_CHECKPOINT_DIR every MEETOPS_AUDIT_CHECKPOINT_MINUTES and with each backup.
MEETOPS_AUDIT_KEY = env.str("MEETOPS_AUDIT_KEY", default="")
MEETOPS_AUDIT_HASH = env.str("MEETOPS_AUDIT_HASH", default="sha256")
MEETOPS_AUDIT_CHECKPOINT_DIR = Path(
    env.str("MEETOPS_AUDIT_CHECKPOINT_DIR", default=str(DATA_DIR / "audit"))
)
MEETOPS_AUDIT_CHECKPOINT_MINUTES = env.int(
    "MEETOPS_AUDIT_CHECKPOINT_MINUTES", default=0 if TESTING else 60
)
# P9.8: how long the process in force may go without a recorded review.
MEETOPS_PROCESS_REVIEW_MONTHS = env.int("MEETOPS_PROCESS_REVIEW_MONTHS", default=12)

# One line per record; MEETOPS_LOG_FORMAT=json for one JSON object per line. Either way each
# line written while a request is handled carries its id (core/logs.py, X-Request-ID).
MEETOPS_LOG_FORMAT = env.str("MEETOPS_LOG_FORMAT", default="plain").lower()
if MEETOPS_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("MEETOPS_LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "meetops.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "meetops.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": MEETOPS_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MEETOPS_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO: one PDF would fill a screen.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# GET /metrics (core/metrics.py) for Prometheus with `Authorization: Bearer <token>`; unset:
# there is no /metrics (404). With a token, the server processes count in files under
# PROMETHEUS_MULTIPROC_DIR (set before prometheus_client is imported anywhere).
MEETOPS_METRICS_TOKEN = env.str("MEETOPS_METRICS_TOKEN", default="")
if MEETOPS_METRICS_TOKEN and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(DATA_DIR / "metrics")
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

MEETOPS_NAME = _("MeetOps")
