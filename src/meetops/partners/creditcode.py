"""The unified social credit code (统一社会信用代码, GB 32100-2015): format and check character.

Eighteen characters from 31 (digits and capital letters without I, O, S, V, Z): the
registering authority, the kind of body, the six-digit administrative division, the nine
character organisation code, and a check character computed from the first seventeen
with the weights 3^i mod 31. A typo in any one character changes the check.
"""

from __future__ import annotations

import re
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SHAPE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")


def normalise(value: str) -> str:
    """As typed from a Chinese input method: full-width characters, spaces, lower case."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", text).upper()


def check_character(first17: str) -> str:
    """The eighteenth character for the first seventeen (which must be from the alphabet)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem_with(code: str) -> str | None:
    """ "format", "check" or None for a normalised code."""
    if len(code) != 18 or SHAPE.fullmatch(code) is None:
        return "format"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None
