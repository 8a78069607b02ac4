"""Every app's catalogues are complete in both Chinese scripts, and the main pages speak the reader's language.

The catalogue rules (no empty msgstr, nothing fuzzy, the same %(name)s placeholders, no stray "%"
in python-format strings) apply to every app under src/meetops that has a locale directory, so a
new app is checked without editing this file. The page test loads the demo once per language and
walks the main page of every app as the demo admin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
SCRIPTS = ("zh_Hans", "zh_Hant")
APPS = sorted(p.parent.name for p in PACKAGE.glob("*/locale"))
CATALOGUES = [
    PACKAGE / app / "locale" / s / "LC_MESSAGES" / "django.po" for app in APPS for s in SCRIPTS
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\{ ?[\w.]+ ?\}\}")
FORMAT_TOKEN = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|%%")


def test_every_app_with_texts_has_both_scripts():
    assert {"agenda", "core", "invitations", "meetings", "notifications", "venues"} <= set(APPS)
    missing = [str(p.relative_to(PACKAGE)) for p in CATALOGUES if not p.exists()]
    assert not missing


def _problems(path: Path) -> list[str]:
    with path.open("rb") as handle:
        # With its locale Babel knows Chinese has one plural form (as compile_messages reads it).
        catalog = read_po(handle, locale=path.parts[-3])
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        # Chinese has one plural form: it must carry the plural source's placeholders.
        source = ids[-1]
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {ids[0]!r}")
        for text in texts:
            if not text:
                problems.append(f"untranslated: {ids[0]!r}")
            elif sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(text))):
                problems.append(f"placeholders differ: {source!r} → {text!r}")
            elif "python-format" in message.flags and "%" in FORMAT_TOKEN.sub("", text):
                problems.append(f"stray %: {text!r}")
    return problems


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-5]}-{p.parts[-3]}")
def test_catalogue_is_complete(path):
    assert path.exists()
    assert _problems(path) == []


def test_the_check_finds_each_kind_of_problem(tmp_path):
    po = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "猜"\n\n'
        '#, python-format\nmsgid "%(count)s rooms"\nmsgstr "%(n)s 间"\n\n'
        '#, python-format\nmsgid "%(share)s done"\nmsgstr "完成 %(share)s %"\n',
        encoding="utf-8",
    )
    kinds = [p.split(":")[0] for p in _problems(po)]
    assert kinds == ["untranslated", "fuzzy", "placeholders differ", "stray %"]


# (path name, English words that must be on the English page and on neither Chinese one)
PAGES = [
    ("dashboard", ["Dashboard", "Upcoming meetings", "Sign out"]),
    ("meetings", ["All stages", "New meeting", "Confidentiality"]),
    ("calendar", ["Today", "Month", "Week"]),
    ("meeting", ["Agenda", "Full history", "History"]),
    ("agenda", ["Add an agenda item", "Duration", "Presenter"]),
    ("plan", ["Meeting plan", "Expected attendance", "Duties"]),
    ("rooms", ["Capacity", "Facilities", "Needs approval"]),
    ("grid", ["Book for meeting", "Earlier", "Later"]),
    ("participants", ["Add people", "Staffing plan", "Export to Excel"]),
    ("rsvp", ["Answers received", "Who has not answered", "Calendar subscription"]),
    ("notifications", ["Notifications", "Mark all read"]),
    ("audit", ["Who changed what", "Object type", "Stage changed"]),
    ("lessons", ["Lessons register", "Per category", "Keep doing"]),
]


def _urls() -> dict[str, str]:
    from meetops.meetings.models import Meeting
    from meetops.venues.models import Building

    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("pk").first()
    building = Building.objects.order_by("pk").first()
    assert meeting is not None and building is not None
    m = meeting.pk
    moved = Meeting.objects.exclude(stage="draft").order_by("pk").first()
    assert moved is not None
    return {
        "dashboard": "/",
        "meetings": "/meetings/",
        "calendar": "/meetings/calendar/",
        "meeting": f"/meetings/{m}/",
        "agenda": f"/meetings/{m}/agenda/",
        "plan": f"/meetings/{m}/plan/",
        "rooms": "/rooms/",
        "grid": f"/venues/buildings/{building.pk}/grid",
        "participants": f"/meetings/{m}/people/",
        "rsvp": f"/meetings/{m}/rsvp/",
        "notifications": "/notifications/",
        # One meeting's history: its stage changes stay on the first page however many
        # audit entries later demo loaders add (the unfiltered log was at its 50-row edge).
        "audit": f"/audit/?object_type=meeting&object_id={moved.pk}",
        "lessons": "/lessons/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_main_pages_of_every_app_speak_the_readers_language(client, language):
    from meetops.core.demo import load_demo
    from meetops.people.models import User

    load_demo()
    admin = User.objects.get(username="admin")
    admin.language = language
    admin.save(update_fields=["language"])
    client.force_login(admin)
    urls = _urls()
    with translation.override(language):
        expected_title = str(translation.gettext("Meetings"))
    failures = []
    for name, words in PAGES:
        response = client.get(urls[name])
        body = response.content.decode()
        if response.status_code != 200:
            failures.append(f"{name}: {response.status_code}")
            continue
        if f'<html lang="{language}"' not in body:
            failures.append(f"{name}: no lang={language}")
        if expected_title not in body:
            failures.append(f"{name}: the menu is not in {language}")
        for word in words:
            present = word in body
            if present != (language == "en"):
                failures.append(f"{name}: {word!r} {'missing' if language == 'en' else 'leaks'}")
    assert failures == []


@pytest.mark.django_db
def test_every_audit_action_of_the_demo_has_a_name_in_each_language():
    """The audit log and a meeting's history show action names, not dotted codes."""
    from meetops.core.demo import load_demo
    from meetops.core.models import AuditEntry
    from meetops.core.templatetags.meetops import action_label

    load_demo()
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "agenda.agenda.replaced",
        "invitations.invitations.sent",
        "venues.booking.created",
    } <= codes
    unnamed = sorted(code for code in codes if str(action_label(code)) == code)
    assert unnamed == []
    for code in codes:
        with translation.override("en"):
            english = str(action_label(code))
        for language in ("zh-hans", "zh-hant"):
            with translation.override(language):
                assert str(action_label(code)) != english, (language, code)


# Django merges every catalogue into one: for the same msgid (and context) the app listed
# earlier in INSTALLED_APPS wins, and django.contrib (admin, auth, …) comes before ours.
LANGUAGES = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant"}


def _collisions(paths: list[Path]) -> list[tuple[str, str, str, str, str]]:
    """(script, app, msgid, ours, got) for each translation of ours the reader does not see."""
    from django.utils.translation import gettext, ngettext, npgettext, pgettext

    found = []
    for path in paths:
        script, app = path.parts[-3], path.parts[-5]
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=script)
        with translation.override(LANGUAGES[script]):
            for m in catalog:
                if not m.id or not m.string:
                    continue
                source = m.id[0] if isinstance(m.id, tuple) else m.id
                label = f"{m.context}|{source}" if m.context else source
                if isinstance(m.id, tuple):
                    ours = m.string[0]
                    for n in (1, 2):
                        if m.context:
                            got = npgettext(m.context, m.id[0], m.id[1], n)
                        else:
                            got = ngettext(m.id[0], m.id[1], n)
                        if ours and got != ours:
                            found.append((script, app, label, ours, got))
                            break
                    continue
                got = pgettext(m.context, m.id) if m.context else gettext(m.id)
                if got != m.string:
                    found.append((script, app, label, m.string, got))
    return found


def test_no_catalogue_is_overridden_by_another():
    """What a reader sees is what the app's own catalogue says, in both scripts, plurals too.

    Django keeps one translation per msgid (and context) for the whole site: the catalogue of
    the app listed earlier in INSTALLED_APPS wins, and django.contrib's (admin, auth…) come
    before ours. A failure lists (script, app, msgid, ours, got): the app's entry `ours` loses
    to another catalogue's `got`. To fix one:
    - same meaning, two wordings (名称/名字, 原因/理由): use one house wording in every
      catalogue that has the msgid (会议室 for a room, 参会人员, 负责人, 参会类型, 原因…);
    - different meanings (a verb and a status, a room's name and a person's): give the string a
      context in the code, `pgettext_lazy("room", "A name is required.")` or
      `{% translate "Open" context "verb" %}`, and put `msgctxt "verb"` on that app's entries
      in both scripts. Contexts in use: verb (buttons: Add, Remove, Filter, Open), person
      (a person's Name/name), attendance, audit, risk, plan, readiness, calendar, menu…;
    - Django's own catalogue wins with a wording we do not want (增加 for Add, 过滤器 for
      Filter): a context as above, or a more specific msgid ("My action items").
    Then `make messages` and run this test again.
    """
    assert _collisions(CATALOGUES) == []


def test_the_collision_check_sees_django_admin_winning(tmp_path):
    po = tmp_path / "mine" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Filter"\nmsgstr "筛选"\n\n'
        'msgctxt "verb"\nmsgid "Filter"\nmsgstr "筛选"\n\n'
        'msgid "%(n)s entry"\nmsgid_plural "%(n)s entries"\nmsgstr[0] "%(n)s 项"\n',
        encoding="utf-8",
    )
    assert _collisions([po]) == [
        ("zh_Hans", "mine", "Filter", "筛选", "过滤器"),
        ("zh_Hans", "mine", "%(n)s entry", "%(n)s 项", "%(n)s 条记录"),
    ]
