"""How dates and times read in each language (settings.FORMAT_MODULE_PATH, issue 16).

Django's English formats are American ("12/07/2026 1 a.m."); a reader of MeetOps in English
gets day, month name and year with a 24-hour clock ("7 Dec 2026, 01:00"), the Chinese
readers "2026年12月7日 01:00", in every list as in every page. Only the display formats are
set here: what forms accept stays Django's for the language.
"""
