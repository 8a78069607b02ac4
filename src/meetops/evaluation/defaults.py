"""The default questionnaire, in the three interface languages (P6.3).

Each question: (kind, required, counts towards satisfaction, {language: (text, [choices])}).
"""

from __future__ import annotations

from typing import Any

TITLE = {
    "zh-hans": "会议满意度调查",
    "zh-hant": "會議滿意度調查",
    "en": "Meeting feedback",
}

INTRO = {
    "zh-hans": "感谢您参加本次会议。请花两分钟填写问卷，您的意见将用于改进今后的会议。",
    "zh-hant": "感謝您參加本次會議。請花兩分鐘填寫問卷，您的意見將用於改進今後的會議。",
    "en": "Thank you for attending. Two minutes of your time will help us run better meetings.",
}

QUESTIONS: list[tuple[str, bool, bool, dict[str, tuple[str, list[str]]]]] = [
    (
        "rating",
        True,
        True,
        {
            "zh-hans": ("您对本次会议的总体满意度", []),
            "zh-hant": ("您對本次會議的總體滿意度", []),
            "en": ("Overall, how satisfied are you with the meeting?", []),
        },
    ),
    (
        "rating",
        True,
        True,
        {
            "zh-hans": ("会议是否达到了预期目标", []),
            "zh-hant": ("會議是否達到了預期目標", []),
            "en": ("Did the meeting reach its goals?", []),
        },
    ),
    (
        "rating",
        False,
        True,
        {
            "zh-hans": ("会务组织（通知、会场、设备、服务）", []),
            "zh-hant": ("會務組織（通知、會場、設備、服務）", []),
            "en": ("Organisation (notice, venue, equipment, service)", []),
        },
    ),
    (
        "single",
        False,
        False,
        {
            "zh-hans": ("会议时长", ["偏短", "合适", "偏长"]),
            "zh-hant": ("會議時長", ["偏短", "合適", "偏長"]),
            "en": ("Length of the meeting", ["Too short", "About right", "Too long"]),
        },
    ),
    (
        "multiple",
        False,
        False,
        {
            "zh-hans": ("您最有收获的环节", ["主题报告", "讨论交流", "会议材料", "专家点评"]),
            "zh-hant": ("您最有收穫的環節", ["主題報告", "討論交流", "會議材料", "專家點評"]),
            "en": (
                "What was most useful to you?",
                ["Presentations", "Discussion", "Materials", "Experts' comments"],
            ),
        },
    ),
    (
        "text",
        False,
        False,
        {
            "zh-hans": ("您对本次会议的意见和建议", []),
            "zh-hant": ("您對本次會議的意見和建議", []),
            "en": ("Your comments and suggestions", []),
        },
    ),
]


def normalise(language: str) -> str:
    code = (language or "").lower()
    if code.startswith("zh-hant") or code in ("zh-tw", "zh-hk", "zh-mo"):
        return "zh-hant"
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    return "zh-hans"


def template_for(language: str) -> dict[str, Any]:
    """The default questionnaire in this language (Simplified Chinese when unknown)."""
    lang = normalise(language)
    return {
        "language": lang,
        "title": TITLE[lang],
        "intro": INTRO[lang],
        "questions": [
            {
                "kind": kind,
                "required": required,
                "satisfaction": satisfaction,
                "text": texts[lang][0],
                "choices": list(texts[lang][1]),
            }
            for kind, required, satisfaction, texts in QUESTIONS
        ],
    }
