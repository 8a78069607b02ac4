"""Every catalogue of the foundation is complete in both Chinese scripts and keeps its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p
    for area in ("config", "core", "people", "meetings", "policy")
    for p in (PACKAGE / area / "locale").glob("*/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")


def test_both_scripts_have_catalogues():
    assert {p.parent.parent.name for p in CATALOGUES} == {"zh_Hans", "zh_Hant"}
    assert len(CATALOGUES) == 10


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-4]}-{p.parts[-3]}")
def test_catalogue_is_complete(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        assert text, f"{path}: {source!r} is not translated"
        assert "fuzzy" not in message.flags, f"{path}: {source!r} is fuzzy"
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "筹备中"), ("zh-hant", "籌備中"), ("en", "Preparing")]
)
def test_model_choices_are_translated(language, expected):
    from meetops.meetings.models import Stage

    with translation.override(language):
        assert str(Stage.PREPARING.label) == expected
