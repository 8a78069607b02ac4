"""The agenda's catalogues are complete in both Chinese scripts (the core test's rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetops.core.tests import test_translations as core

CATALOGUES = sorted(
    (Path(__file__).resolve().parents[1] / "locale").glob("*/LC_MESSAGES/django.po")
)


def test_both_scripts_have_catalogues():
    assert [p.parts[-3] for p in CATALOGUES] == ["zh_Hans", "zh_Hant"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_agenda_catalogue_is_complete(path):
    core.test_catalogue_is_complete(path)
