"""The questionnaire: one form shared by the web page, the JSON API and the ``advise`` command.

Vocabulary choices come from the database (editors can add terms in the admin) through
``catalog.vocabularies``, cached per process until the catalog version changes, so validating a
request costs one query; labels are in the language active when the form is built.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from aliadvisor.parsing import boolean_message, conflicting_values, one_value_message, parse_bool
from catalog.vocabularies import Vocabularies, get_vocabularies

MAX_TEXT_LENGTH = 2000
DEFAULT_LIMIT = 10
MAX_LIMIT = 50

# Parameters that take one value. Given twice with different values, the form says so instead
# of silently keeping the last one (a QueryDict's ``get``); ``data_type`` is multi-valued.
SINGLE_VALUE_FIELDS = (
    "q",
    "scenario",
    "scale",
    "framework",
    "deployment",
    "limit",
    "maintained_only",
    "open_source_only",
)


class Deployment(models.TextChoices):
    ANY = "any", _("Either is fine")
    SELF_HOSTED = "self-hosted", _("Self-hosted (open source on my own machines)")
    MANAGED = "managed", _("Managed (Alibaba Cloud service)")


# --- Fields and widgets --------------------------------------------------------------------


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox that hands the raw value to the field, so ``?maintained_only=maybe`` is an
    error instead of silently meaning "yes" (Django's CheckboxInput treats any string as on)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: parse_bool(value) is True)

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False


class StrictBooleanField(forms.Field):
    widget = StrictCheckboxInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        parsed = parse_bool(value)
        if parsed is None:
            raise forms.ValidationError(boolean_message(), code="invalid")
        return parsed

    def validate(self, value):
        return None


class MultiValueCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that also accept ``data_type=text,image`` (handy in the API and CLI)."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        if isinstance(values, str):
            values = [values]
        split: list[str] = []
        for value in values or []:
            split.extend(part.strip() for part in str(value).split(",") if part.strip())
        return split


# --- The form ------------------------------------------------------------------------------


class AdviceForm(forms.Form):
    """Every answer is optional; an all-empty form is valid and means "nothing asked yet"."""

    q = forms.CharField(
        label=_("Describe your use case"),
        help_text=_(
            "In Chinese or English, e.g. “e-commerce recommendation with billions of samples”."
        ),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)
    scale = forms.ChoiceField(label=_("Scale"), required=False)
    framework = forms.ChoiceField(label=_("Framework"), required=False)
    data_type = forms.MultipleChoiceField(
        label=_("Data types"), required=False, widget=MultiValueCheckboxes
    )
    deployment = forms.ChoiceField(
        label=_("Deployment"),
        required=False,
        choices=Deployment.choices,
        widget=forms.RadioSelect,
        initial=Deployment.ANY,
    )
    maintained_only = StrictBooleanField(label=_("Only actively maintained projects"))
    open_source_only = StrictBooleanField(label=_("Only open source (no cloud services)"))
    limit = forms.IntegerField(
        label=_("Number of results"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, vocabularies: Vocabularies | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        vocabularies = vocabularies or get_vocabularies()
        self.vocabularies = vocabularies
        any_label = _("Not sure / any")
        for name, vocabulary in (
            ("scenario", "scenarios"), ("scale", "scales"), ("framework", "frameworks")
        ):
            choices = vocabularies.choices(vocabulary=vocabulary)
            self.fields[name].choices = [("", any_label), *choices]
        self.fields["data_type"].choices = vocabularies.choices(vocabulary="data_types")

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data is not None:
            for name in SINGLE_VALUE_FIELDS:
                values = conflicting_values(data=self.data, name=name)
                if values:
                    self.add_error(name, one_value_message(len(values)))
        return cleaned

    def clean_deployment(self) -> str:
        return self.cleaned_data.get("deployment") or Deployment.ANY

    def clean_limit(self) -> int:
        limit = self.cleaned_data.get("limit")
        return DEFAULT_LIMIT if limit is None else limit

    def clean_data_type(self) -> list[str]:
        # Keep the vocabulary's order and drop repeats, so equal answers give equal permalinks.
        chosen = set(self.cleaned_data.get("data_type") or [])
        return [term.slug for term in self.vocabularies.data_types if term.slug in chosen]

    def error_dict(self) -> dict[str, list[str]]:
        """Errors as plain strings, keyed by field (``__all__`` for form-wide ones)."""
        return {
            field: [str(message) for message in errors] for field, errors in self.errors.items()
        }
