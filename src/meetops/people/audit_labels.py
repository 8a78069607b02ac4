"""Names of people's sign-in and second-factor audit actions, and of their data keys."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values

label_actions(
    {
        "people.sign_in.success": _("Signed in to MeetOps"),
        "people.sign_in.failure": _("Sign-in failed"),
        "people.sign_in.locked_out": _("Sign-in locked out"),
        "people.sign_in.refused": _("Password sign-in refused"),
        "people.sign_in.verified": _("Second factor verified"),
        "people.sign_in.code_failed": _("Wrong second-factor code"),
        "people.two_factor.enabled": _("Two-factor sign-in turned on"),
        "people.two_factor.disabled": _("Two-factor sign-in turned off"),
        "people.two_factor.reset": _("Second factor reset"),
        "people.department.heads_changed": _("Department heads changed"),
    }
)
label_data_keys(
    {
        "provider": _("Sign-in provider"),
        "username": _("Username"),
        "added": _("added"),
        "removed": _("removed"),
    }
)
label_values(
    "provider",
    {"local": _("Local password"), "totp": _("Authenticator app")},
)
