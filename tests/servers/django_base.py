"""Django settings the test identity servers share (each `from django_base import *`s them).

Run in the servers' own virtualenv, with this folder on PYTHONPATH; `SSO_SERVER_DATA` is the
server's scratch folder (its SQLite database, keys, log).
"""

import os
from pathlib import Path

DATA = Path(os.environ["SSO_SERVER_DATA"])
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
BASE_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def templates(folder: Path) -> list[dict[str, object]]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [folder],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ]


def database(name: str) -> dict[str, dict[str, str]]:
    return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA / name)}}


DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "/static/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
