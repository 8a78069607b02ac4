"""The invitation templates shipped with MeetOps, one per language (editable in the UI)."""

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "zh-hans": (
        "会议通知：{{ meeting.title }}",
        "{{ person.name }}：\n\n"
        "兹定于 {{ meeting.time }} 在 {{ meeting.place }} 召开“{{ meeting.title }}”，请您参加。\n\n"
        "{{ meeting.description }}\n\n"
        "议程：\n{{ meeting.agenda }}\n\n"
        "请于 {{ rsvp.deadline }} 前通过以下链接确认是否参会：\n{{ link }}\n\n"
        "确认参会后，签到二维码见：{{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
    "zh-hant": (
        "會議通知：{{ meeting.title }}",
        "{{ person.name }}：\n\n"
        "茲定於 {{ meeting.time }} 在 {{ meeting.place }} 召開「{{ meeting.title }}」，請您參加。\n\n"
        "{{ meeting.description }}\n\n"
        "議程：\n{{ meeting.agenda }}\n\n"
        "請於 {{ rsvp.deadline }} 前通過以下連結確認是否參會：\n{{ link }}\n\n"
        "確認參會後，簽到二維碼見：{{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
    "en": (
        "Invitation: {{ meeting.title }}",
        "Dear {{ person.name }},\n\n"
        "You are invited to “{{ meeting.title }}” on {{ meeting.time }} at {{ meeting.place }}.\n\n"
        "{{ meeting.description }}\n\n"
        "Agenda:\n{{ meeting.agenda }}\n\n"
        "Please answer by {{ rsvp.deadline }} with your personal link:\n{{ link }}\n\n"
        "Once you accept, your sign-in QR code is at: {{ qr }}\n\n"
        "{{ meeting.organiser }}",
    ),
}
