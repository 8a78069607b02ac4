"""A throw-away OpenID Connect provider (django-oauth-toolkit) for MeetOps's sign-in tests.

Runs in its own virtualenv and process; nothing here is imported by MeetOps itself.
"""

from pathlib import Path

from django_base import *  # noqa: F403
from django_base import BASE_APPS, DATA, database, templates

SECRET_KEY = "oidc-test-server-not-secret"
INSTALLED_APPS = [*BASE_APPS, "oauth2_provider"]
ROOT_URLCONF = "oidc_op.urls"
TEMPLATES = templates(Path(__file__).parent / "templates")
DATABASES = database("op.sqlite3")
LOGIN_URL = "/accounts/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA / "op-key.pem").read_text(),
    "PKCE_REQUIRED": True,
    # pytest-django's live server is http://localhost:<any port>.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_VALIDATOR_CLASS": "oidc_op.users.ClaimsValidator",
    "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "E-mail", "phone": "Phone"},
}
