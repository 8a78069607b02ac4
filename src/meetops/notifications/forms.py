from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import choice_field
from meetops.meetings.selectors import meetings_visible_to
from meetops.notifications import events as registry
from meetops.notifications.models import ROBOT_CHANNELS, RobotEndpoint, WebhookEndpoint


class RobotForm(forms.ModelForm):
    url = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk SEC… or Feishu secret. Leave empty to keep the current one."),
    )

    class Meta:
        model = RobotEndpoint
        fields = ["name", "kind", "url", "department", "meeting", "enabled", "rate_per_minute"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            # Under separation of duties the administrator who configures robots may not
            # see every meeting: offer only those they may.
            meeting_field = self.fields["meeting"]
            assert isinstance(meeting_field, forms.ModelChoiceField)
            meeting_field.queryset = meetings_visible_to(user)
        choice_field(self, "kind").choices = [(c.value, c.label) for c in ROBOT_CHANNELS]
        if self.instance.pk:
            # The stored URL holds the token: never send it back to the browser.
            self.fields["url"].required = False
            self.fields["url"].help_text = _("Current: %(url)s. Leave empty to keep it.") % {
                "url": self.instance.masked_url
            }
            self.initial["url"] = ""


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every event."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "events").choices = [
            (code, e.label)
            for code, e in registry.EVENTS.items()
            if e.broadcast and code != registry.TEST.code
        ]
