"""Start the CAS server: `python -m cas_idp.run PORT` (with this folder's parent on PYTHONPATH)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cas_idp.settings")

import django

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
# Every loopback service may ask for a ticket, receives all attributes, and takes part
# in single logout (the server POSTs a logoutRequest to it when the person signs out).
pattern, _ = ServicePattern.objects.get_or_create(
    name="meetops",
    defaults={
        "pos": 0,
        "pattern": r"^https?://(127\.0\.0\.1|localhost|testserver)(:\d+)?/.*",
        "single_log_out": True,
    },
)
ReplaceAttributName.objects.get_or_create(name="*", service_pattern=pattern)
call_command("runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload", "--skip-checks")
