"""Start the provider: `python -m oidc_op.run PORT REDIRECT_URI POST_LOGOUT_URI`.

Loopback redirect URIs match on any port (RFC 8252), so one registration serves every
MeetOps live server of the test session.
"""

import os
import sys
from pathlib import Path

key_file = Path(os.environ["SSO_SERVER_DATA"]) / "op-key.pem"
if not key_file.exists():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oidc_op.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402
from oidc_op.users import PASSWORD, PEOPLE  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
User = get_user_model()
for username in PEOPLE:
    if not User.objects.filter(username=username).exists():
        User.objects.create_user(username=username, password=PASSWORD)
Application = get_application_model()
Application.objects.filter(client_id="meetops").delete()
Application.objects.create(
    name="MeetOps",
    client_id="meetops",
    client_secret="meetops-oidc-secret",
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=" ".join(sys.argv[2].split(",")),
    post_logout_redirect_uris=" ".join(sys.argv[3].split(",")),
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
call_command("runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload", "--skip-checks")
