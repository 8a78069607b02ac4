"""A throw-away app that proves the app contract (ADR 0009): installed only under pytest, it adds
a menu entry, a meeting-page link, an inbox source, an archive source, a job and an API router
from its own contributions.py, and no file outside this folder names it."""
