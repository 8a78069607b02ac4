"""Model choices follow the active language. (Catalogue completeness for every app: test_catalogues.py.)"""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "筹备中"), ("zh-hant", "籌備中"), ("en", "Preparing")]
)
def test_model_choices_are_translated(language, expected):
    from meetops.meetings.models import Stage

    with translation.override(language):
        assert str(Stage.PREPARING.label) == expected
