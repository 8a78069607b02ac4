"""The invitation templates shipped with MeetOps, one per language (editable in the UI).

The sentences around values that may be missing (the place, the deadline) are
placeholders themselves (`meeting.notice`, `rsvp.request`), built in the code for
each case, so the text stays grammatical whatever is empty. Chinese values sit
between Chinese words with no spaces.
"""

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "zh-hans": (
        "会议通知：{{ meeting.title }}",
        "{{ person.name }}：\n\n"
        "{{ meeting.notice }}\n\n"
        "{{ meeting.description }}\n\n"
        "议程：\n{{ meeting.agenda }}\n\n"
        "{{ rsvp.request }}\n{{ link }}\n\n"
        "确认参会后，签到二维码见：{{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
    "zh-hant": (
        "會議通知：{{ meeting.title }}",
        "{{ person.name }}：\n\n"
        "{{ meeting.notice }}\n\n"
        "{{ meeting.description }}\n\n"
        "議程：\n{{ meeting.agenda }}\n\n"
        "{{ rsvp.request }}\n{{ link }}\n\n"
        "確認參會後，簽到二維碼見：{{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
    "en": (
        "Invitation: {{ meeting.title }}",
        "Dear {{ person.name }},\n\n"
        "{{ meeting.notice }}\n\n"
        "{{ meeting.description }}\n\n"
        "Agenda:\n{{ meeting.agenda }}\n\n"
        "{{ rsvp.request }}\n{{ link }}\n\n"
        "Once you accept, your sign-in QR code is at: {{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
}
