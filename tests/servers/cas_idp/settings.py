"""A throw-away CAS 3.0 server (django-cas-server) for MeetOps's sign-in tests.

Runs in its own virtualenv and process (tests/servers/fixtures.py starts it);
nothing here is imported by MeetOps itself.
"""

from pathlib import Path

from django_base import *  # noqa: F403
from django_base import BASE_APPS, database, templates

SECRET_KEY = "cas-test-server-not-secret"
INSTALLED_APPS = [*BASE_APPS, "cas_server"]
ROOT_URLCONF = "cas_idp.urls"
TEMPLATES = templates(Path(__file__).parent / "templates")
DATABASES = database("cas.sqlite3")
CAS_AUTH_CLASS = "cas_idp.users.FixtureUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_LOGO_URL = None
CAS_FAVICON_URL = None
