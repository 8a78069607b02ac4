"""WSGI entry point for gunicorn (`meetops serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetops.config.settings")
application = get_wsgi_application()
