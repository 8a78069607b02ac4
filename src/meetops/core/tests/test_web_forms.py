"""core.web's form helpers: a refusal lands beside the field it names; not-found and forbidden do not."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from meetops.core.errors import DomainError, NotFound, ValidationFailed
from meetops.core.web import cleaned, errors_onto, form_error_text


class NoteForm(forms.Form):
    title = forms.CharField(label="Title")
    note = forms.CharField(label="Note", required=False)


def _form() -> NoteForm:
    form = NoteForm({"title": "x", "note": ""})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_lands_beside_it():
    form = _form()
    with errors_onto(form):
        raise ValidationFailed("Too short.", "too_short", field="note")
    assert form.errors == {"note": ["Too short."]}


def test_a_refusal_naming_several_fields_and_rows_shows_each():
    form = _form()
    with errors_onto(form):
        raise ValidationFailed(
            "Not valid.", "invalid", fields=["title", "nope"], rows=[{"message": "Row 2: no name."}]
        )
    assert form.errors == {"title": ["Not valid."], "__all__": ["Row 2: no name."]}


def test_a_refusal_naming_no_field_goes_to_the_default_or_above_the_form():
    form = _form()
    with errors_onto(form, field="note"):
        raise DomainError("Frozen.", "meeting_frozen")
    assert form.errors == {"note": ["Frozen."]}
    other = _form()
    with errors_onto(other):
        raise DomainError("Frozen.", "meeting_frozen")
    assert other.non_field_errors() == ["Frozen."]


def test_not_found_is_not_a_form_error():
    form = _form()
    with pytest.raises(NotFound), errors_onto(form):
        raise NotFound()
    assert not form.errors


def test_cleaned_refuses_an_invalid_form_with_every_error_named():
    form = NoteForm({"title": ""})
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as refused:
            cleaned(form)
        assert form_error_text(form) == "Title: This field is required."
    assert refused.value.code == "invalid_input"
    assert refused.value.details["fields"] == ["title"]
    assert str(refused.value.message) == "Title: This field is required."
