"""DingTalk (钉钉) for MeetOps: sign-in, directory sync, change events, work notifications."""
