"""Duty kinds read from the free text people used to type (协助签到台, 安保巡查, 会议记录…).

Free text stays as the duty's note; the kinds found in it are a starting point that the
staffing plan confirms. The words are matched lower-case, as substrings; Simplified and
Traditional forms both.
"""

from __future__ import annotations

from meetops.meetings.models import DutyKind

DUTY_WORDS: dict[str, tuple[str, ...]] = {
    DutyKind.DESK: ("签到", "簽到", "报到", "報到", "sign-in", "sign in", "check-in", "desk"),
    DutyKind.SECURITY: ("安保", "安全", "保卫", "保衛", "security"),
    DutyKind.RECORDING: ("记录", "記錄", "纪要", "紀要", "minutes", "record"),
    DutyKind.LOGISTICS: ("会务", "會務", "保障", "后勤", "後勤", "logistics"),
    DutyKind.TECH: (
        "技术", "技術", "音响", "音響", "视频", "視頻", "视听", "視聽", "投影", "网络",
        "網絡", "網路", "设备", "設備", "sound", "audio", "video", "projector", "network",
    ),
}  # fmt: skip


def kinds_in(text: str) -> list[str]:
    """The duty kinds named in `text`, in the order of `DutyKind`."""
    lowered = text.lower()
    return [kind for kind in DutyKind.values if any(w in lowered for w in DUTY_WORDS[kind])]
