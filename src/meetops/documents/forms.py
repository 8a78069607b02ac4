from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.documents.models import Issuer, Kind
from meetops.documents.services import ISSUER_FIELDS

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class IssuerForm(forms.ModelForm):
    class Meta:
        model = Issuer
        fields = ISSUER_FIELDS


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Kind.choices)
    file = forms.FileField(label=_("Word template (.docx)"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(_("The template is larger than 5 MB."))
        return upload
